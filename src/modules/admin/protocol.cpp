#include "modules/admin/protocol.hpp"

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "http/json.hpp"

namespace wp::admin::protocol {

namespace json = boost::json;

std::string broadcast_message(const BroadcastRow& b) {
  json::object data{{"id", b.id},
                    {"message", b.message},
                    {"severity", to_string(b.severity)},
                    {"expires_at", http::time_or_null(b.expires_at)},
                    {"created_at", to_rfc3339(b.created_at)}};
  return json::serialize(json::object{{"type", "admin_broadcast"}, {"data", std::move(data)}});
}

std::string broadcast_id_of(const std::string& message_json) {
  boost::system::error_code ec;
  auto v = json::parse(message_json, ec);
  if (ec || !v.is_object()) return "";
  auto* data = v.as_object().if_contains("data");
  if (!data || !data->is_object()) return "";
  auto* id = data->as_object().if_contains("id");
  return id && id->is_string() ? std::string(id->as_string()) : "";
}

}  // namespace wp::admin::protocol

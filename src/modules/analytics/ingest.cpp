#include "modules/analytics/ingest.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/fields.hpp"
#include "core/ids.hpp"

namespace wp::analytics {

namespace json = boost::json;

namespace {

std::optional<std::string> optional_uuid(Fields& f, const char* name) {
  auto id = f.optional_string(name, 64);
  if (id && !is_uuid(*id)) {
    f.add_error(name, "Must be an id (UUID).");
    return std::nullopt;
  }
  return id;
}

// The event at `index`, or its errors (Fields collects them; done() throws them).
EventRow check_event(const json::object& o, const Origin& origin, const Settings& settings) {
  Fields f(o);
  EventRow row;
  auto type = f.required_string("event_type", 1, 64);
  if (f.ok() && !parse_enum<EventType>(type))
    f.add_error("event_type", "Must be one of " + enum_choices<EventType>() + " (event types version " +
                                  std::to_string(kEventTypesVersion) + ").");
  row.event_type = type;
  row.event_name = f.required_string("event_name", 1, 100);
  row.session_id = f.required_string("session_id", 1, 64);
  row.video_id = optional_uuid(f, "video_id");
  row.party_id = optional_uuid(f, "party_id");
  auto at = f.required_string("client_timestamp", 1, 40);
  if (!at.empty()) {
    row.client_timestamp = parse_rfc3339(at);
    if (!row.client_timestamp) f.add_error("client_timestamp", "Must be an RFC 3339 time.");
  }
  if (auto data = f.optional_object("event_data")) {
    row.event_data = json::serialize(*data);
    if (row.event_data.size() > settings.max_event_data_bytes)
      f.add_error("event_data", "At most " + std::to_string(settings.max_event_data_bytes) + " bytes (as JSON).");
  }
  f.done();
  row.id = new_uuid();
  row.source = Source::client;
  row.user_id = origin.user_id;
  row.ip_address = origin.ip_address;
  row.user_agent = origin.user_agent;
  row.timestamp = origin.now;
  return row;
}

Reject reject_of(std::size_t index, const Error& e) {
  Reject r{index, {}};
  for (auto& [field, messages] : e.fields())
    for (auto& m : messages) r.errors.emplace_back(field, m);
  if (r.errors.empty()) r.errors.emplace_back("event", e.what());
  return r;
}

}  // namespace

Batch check_batch(const json::array& events, const Origin& origin, const Settings& settings) {
  Batch out;
  out.rows.reserve(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (!events[i].is_object()) {
      out.rejects.push_back({i, {{"event", "Must be an object."}}});
      continue;
    }
    try {
      out.rows.push_back(check_event(events[i].get_object(), origin, settings));
    } catch (const Error& e) {
      if (e.code() != ErrorCode::validation) throw;
      out.rejects.push_back(reject_of(i, e));
    }
  }
  return out;
}

std::string truncate_ip(const std::string& ip) {
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(ip, ec);
  if (ec) return "";
  if (a.is_v6() && a.to_v6().is_v4_mapped()) a = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6());
  if (a.is_v4()) {
    auto bytes = a.to_v4().to_bytes();
    bytes[3] = 0;
    return boost::asio::ip::address_v4(bytes).to_string();
  }
  auto bytes = a.to_v6().to_bytes();
  for (std::size_t i = 6; i < bytes.size(); ++i) bytes[i] = 0;
  return boost::asio::ip::address_v6(bytes).to_string();
}

}  // namespace wp::analytics

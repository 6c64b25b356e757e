#include "modules/notifications/dto.hpp"

#include <cstdio>

#include "core/clock.hpp"
#include "http/json.hpp"

namespace wp::notifications {

namespace json = boost::json;

json::object notification_json(const NotificationRow& n) {
  json::value data;
  boost::system::error_code ec;
  data = json::parse(n.data, ec);
  if (ec || !data.is_object()) data = json::object{};
  auto url = data.as_object().if_contains("url");
  return {{"id", n.id},
          {"notification_type", to_string(n.type)},
          {"title", n.title},
          {"message", n.message},
          {"data", data},
          {"url", url && url->is_string() ? *url : json::value("")},
          {"group_count", n.group_count},
          {"actor_id", n.actor_id ? json::value(*n.actor_id) : json::value(nullptr)},
          {"is_read", n.is_read},
          {"read_at", http::time_or_null(n.read_at)},
          {"created_at", to_rfc3339(n.created_at)},
          {"updated_at", to_rfc3339(n.updated_at)}};
}

json::object unread_json(const UnreadCount& u) { return {{"count", u.count}, {"version", u.version}}; }

json::object type_json(const TypeInfo& info) {
  return {{"notification_type", to_string(info.type)},
          {"label", info.label},
          {"defaults", json::object{{"in_app", info.in_app}, {"email", info.email}, {"push", info.push}}}};
}

json::object broadcast_json(const BroadcastRow& b) {
  json::object o{{"id", b.id},
                 {"audience", to_string(b.audience)},
                 {"user_id", b.subject_user_id ? json::value(*b.subject_user_id) : json::value(nullptr)},
                 {"plan", b.plan ? json::value(*b.plan) : json::value(nullptr)},
                 {"title", b.title},
                 {"message", b.message},
                 {"url", b.url},
                 {"status", to_string(b.status)},
                 {"recipients", b.recipients},
                 {"created_at", to_rfc3339(b.created_at)},
                 {"started_at", http::time_or_null(b.started_at)},
                 {"finished_at", http::time_or_null(b.finished_at)}};
  if (b.started_at && b.finished_at) o["fanout_ms"] = *b.finished_at - *b.started_at;
  return o;
}

std::string minutes_text(int minutes) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", (minutes / 60) % 24, minutes % 60);
  return buf;
}

std::optional<int> parse_minutes(const std::string& text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (int i : {0, 1, 3, 4})
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  int h = (text[0] - '0') * 10 + (text[1] - '0'), m = (text[3] - '0') * 10 + (text[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

}  // namespace wp::notifications

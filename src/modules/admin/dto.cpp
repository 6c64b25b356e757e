#include "modules/admin/dto.hpp"

#include "core/clock.hpp"
#include "http/json.hpp"
#include "modules/admin/protocol.hpp"

namespace wp::admin {

namespace json = boost::json;

namespace {

using http::time_or_null;
json::value text_or_null(const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); }

json::value context_of(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return ec ? json::value(json::object{}) : v;
}

}  // namespace

json::object system_log_json(const SystemLogRow& r) {
  return {{"id", r.id},
          {"level", to_string(r.level)},
          {"category", to_string(r.category)},
          {"message", r.message},
          {"context", context_of(r.context)},
          {"user_id", text_or_null(r.user_id)},
          {"username", text_or_null(r.username)},
          {"created_at", to_rfc3339(r.created_at)}};
}

json::object error_log_json(const ErrorLogRow& r) {
  return {{"signature", r.signature},
          {"method", r.method},
          {"route", r.route},
          {"message", r.message},
          {"count", r.count},
          {"first_seen", to_rfc3339(r.first_seen)},
          {"last_seen", to_rfc3339(r.last_seen)},
          {"last_request_id", r.last_request_id},
          {"last_user_id", text_or_null(r.last_user_id)}};
}

json::object broadcast_json(const BroadcastRow& b) {
  return {{"id", b.id},
          {"message", b.message},
          {"severity", to_string(b.severity)},
          {"audience", to_string(b.audience)},
          {"plan", text_or_null(b.plan)},
          {"expires_at", time_or_null(b.expires_at)},
          {"created_by", text_or_null(b.created_by)},
          {"notification_broadcast_id", text_or_null(b.notification_broadcast_id)},
          {"created_at", to_rfc3339(b.created_at)}};
}

json::object broadcast_status_json(const BroadcastStatus& s) {
  auto out = broadcast_json(s.broadcast);
  json::array nodes;
  long long sockets = 0;
  for (auto& d : s.deliveries) {
    sockets += d.sockets;
    nodes.push_back({{"node_id", d.node_id}, {"sockets", d.sockets}, {"delivered_at", to_rfc3339(d.delivered_at)}});
  }
  out["delivery"] = json::object{{"sockets", sockets}, {"nodes", std::move(nodes)}};
  if (s.notification)
    out["notification"] = json::object{{"status", s.notification->status},
                                       {"recipients", s.notification->recipients},
                                       {"finished_at", time_or_null(s.notification->finished_at)}};
  else
    out["notification"] = nullptr;
  return out;
}

json::object content_json(const ContentItem& c) {
  return {{"id", c.id},         {"title", c.title},       {"status", c.status},
          {"visibility", c.visibility}, {"owner_id", c.owner_id}, {"created_at", to_rfc3339(c.created_at)}};
}

json::object health_json(const Health& h) {
  json::array nodes;
  long long party = 0, user = 0;
  for (auto& n : h.nodes) {
    party += n.party_sockets;
    user += n.user_sockets;
    nodes.push_back(node_stats_json(n));
  }
  json::object queues;
  for (auto& [name, depth] : h.queues) queues[name] = depth;
  auto self = node_stats_json(h.self);
  return {{"status", h.self.db_latency_ms < 0 ? "degraded" : "ok"},
          {"node_id", h.self.node_id},
          {"version", h.self.version},
          {"uptime_s", self["uptime_s"]},
          {"database", self["database"]},
          {"redis", self["redis"]},
          {"disk", self["disk"]},
          {"queues", std::move(queues)},
          {"websockets", json::object{{"party", party}, {"user", user}, {"total", party + user}}},
          {"nodes_seen_last_minute", static_cast<std::int64_t>(h.nodes.size())},
          {"nodes", std::move(nodes)}};
}

json::object series_json(const std::string& name, std::int64_t since, std::int64_t until,
                         const std::vector<MetricPoint>& points) {
  json::array out;
  for (auto& p : points)
    out.push_back({{"t", p.taken_at}, {"node_id", p.node_id}, {"label", p.label}, {"value", p.value}});
  return {{"name", name}, {"since", to_rfc3339(since)}, {"until", to_rfc3339(until)}, {"points", std::move(out)}};
}

}  // namespace wp::admin

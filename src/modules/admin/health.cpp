#include "modules/admin/health.hpp"

#include <sys/statvfs.h>

#include <boost/json.hpp>

#include "core/clock.hpp"

namespace wp::admin {

namespace json = boost::json;

namespace {

template <class T>
json::value opt(const std::optional<T>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

std::int64_t int_of(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->as_int64() : 0;
}

}  // namespace

json::object node_stats_json(const NodeStats& s) {
  json::object redis{{"configured", s.redis_configured}, {"connected", s.redis_connected},
                     {"latency_ms", opt(s.redis_latency_ms)}};
  return {{"node_id", s.node_id},
          {"version", s.version},
          {"started_at", s.started_at},
          {"seen_at", s.seen_at},
          {"uptime_s", (s.seen_at - s.started_at) / 1000},
          {"database", json::object{{"latency_ms", s.db_latency_ms},
                                    {"pool_in_use", s.db_pool_in_use},
                                    {"pool_size", s.db_pool_size}}},
          {"redis", std::move(redis)},
          {"disk", json::object{{"free_bytes", opt(s.disk_free_bytes)}, {"total_bytes", opt(s.disk_total_bytes)}}},
          {"websockets", json::object{{"party", s.party_sockets},
                                      {"user", s.user_sockets},
                                      {"total", s.party_sockets + s.user_sockets}}},
          {"http_connections", s.http_connections},
          {"blocking_queue", s.blocking_queue}};
}

std::optional<NodeStats> parse_node_stats(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  NodeStats s;
  if (auto* id = o.if_contains("node_id"); id && id->is_string()) s.node_id = std::string(id->as_string());
  if (auto* ver = o.if_contains("version"); ver && ver->is_string()) s.version = std::string(ver->as_string());
  s.started_at = int_of(o, "started_at");
  s.seen_at = int_of(o, "seen_at");
  if (auto* db = o.if_contains("database"); db && db->is_object()) {
    const auto& d = db->as_object();
    if (auto* l = d.if_contains("latency_ms"); l && l->is_number()) s.db_latency_ms = l->to_number<double>();
    s.db_pool_in_use = static_cast<int>(int_of(d, "pool_in_use"));
    s.db_pool_size = static_cast<int>(int_of(d, "pool_size"));
  }
  if (auto* r = o.if_contains("redis"); r && r->is_object()) {
    const auto& d = r->as_object();
    s.redis_configured = d.if_contains("configured") && d.at("configured").is_bool() && d.at("configured").as_bool();
    s.redis_connected = d.if_contains("connected") && d.at("connected").is_bool() && d.at("connected").as_bool();
    if (auto* l = d.if_contains("latency_ms"); l && l->is_number()) s.redis_latency_ms = l->to_number<double>();
  }
  if (auto* dk = o.if_contains("disk"); dk && dk->is_object()) {
    const auto& d = dk->as_object();
    if (auto* f = d.if_contains("free_bytes"); f && f->is_int64()) s.disk_free_bytes = f->as_int64();
    if (auto* t = d.if_contains("total_bytes"); t && t->is_int64()) s.disk_total_bytes = t->as_int64();
  }
  if (auto* w = o.if_contains("websockets"); w && w->is_object()) {
    s.party_sockets = static_cast<long>(int_of(w->as_object(), "party"));
    s.user_sockets = static_cast<long>(int_of(w->as_object(), "user"));
  }
  s.http_connections = static_cast<long>(int_of(o, "http_connections"));
  s.blocking_queue = static_cast<long>(int_of(o, "blocking_queue"));
  return s;
}

void LocalNodeRegistry::beat(const std::string& node_id, const std::string& stats_json) {
  std::lock_guard lock(mu_);
  beats_[node_id] = stats_json;
}

std::vector<std::string> LocalNodeRegistry::all() {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (auto& [id, text] : beats_) out.push_back(text);
  return out;
}

std::optional<std::pair<std::int64_t, std::int64_t>> disk_space(const std::string& path) {
  struct statvfs st {};
  if (::statvfs(path.c_str(), &st) != 0) return std::nullopt;
  auto unit = static_cast<std::int64_t>(st.f_frsize);
  return std::pair{static_cast<std::int64_t>(st.f_bavail) * unit, static_cast<std::int64_t>(st.f_blocks) * unit};
}

}  // namespace wp::admin

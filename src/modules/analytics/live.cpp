#include "modules/analytics/live.hpp"

#include <boost/json.hpp>

#include <set>

#include "core/clock.hpp"
#include "realtime/redis_node.hpp"

namespace wp::analytics {

namespace json = boost::json;

namespace {
constexpr const char* kBoard = "analytics:live";
constexpr std::int64_t kForgetAfterMs = 3600 * 1000;
}  // namespace

LiveTotals sum_live(const std::vector<NodeLive>& nodes, std::int64_t now, std::int64_t fresh_ms) {
  LiveTotals t;
  std::set<std::string> parties;
  for (auto& n : nodes) {
    if (now - n.at > fresh_ms) continue;
    ++t.nodes;
    t.sockets += n.sockets;
    t.watching_now += n.party_sockets;
    t.events_per_minute += n.events_per_minute;
    parties.insert(n.party_rooms.begin(), n.party_rooms.end());
  }
  t.active_parties = static_cast<long>(parties.size());
  return t;
}

std::string live_json_text(const NodeLive& n) {
  json::array rooms;
  for (auto& r : n.party_rooms) rooms.push_back(json::string(r));
  return json::serialize(json::object{{"node_id", n.node_id},
                                      {"at", n.at},
                                      {"sockets", n.sockets},
                                      {"party_sockets", n.party_sockets},
                                      {"party_rooms", std::move(rooms)},
                                      {"events_per_minute", n.events_per_minute}});
}

NodeLive live_from_json_text(const std::string& text) {
  NodeLive n;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return n;
  auto& o = v.as_object();
  auto num = [&o](const char* key) -> double {
    auto* x = o.if_contains(key);
    if (!x) return 0;
    if (x->is_int64()) return static_cast<double>(x->as_int64());
    if (x->is_double()) return x->as_double();
    return 0;
  };
  if (auto* id = o.if_contains("node_id"); id && id->is_string()) n.node_id = id->as_string().c_str();
  n.at = static_cast<std::int64_t>(num("at"));
  n.sockets = static_cast<long>(num("sockets"));
  n.party_sockets = static_cast<long>(num("party_sockets"));
  n.events_per_minute = num("events_per_minute");
  if (auto* rooms = o.if_contains("party_rooms"); rooms && rooms->is_array())
    for (auto& r : rooms->as_array())
      if (r.is_string()) n.party_rooms.emplace_back(r.as_string().c_str());
  return n;
}

void MemoryLiveBoard::put(const NodeLive& n) {
  std::lock_guard lock(mu_);
  self_ = n;
}

std::vector<NodeLive> MemoryLiveBoard::all() {
  std::lock_guard lock(mu_);
  return {self_};
}

void RedisLiveBoard::put(const NodeLive& n) { redis_.call({"HSET", redis_.key(kBoard), n.node_id, live_json_text(n)}); }

std::vector<NodeLive> RedisLiveBoard::all() {
  auto reply = redis_.call({"HGETALL", redis_.key(kBoard)});
  const auto now = now_ms();
  std::vector<NodeLive> out;
  for (std::size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    auto n = live_from_json_text(reply.elements[i + 1].str);
    if (n.at + kForgetAfterMs < now) {
      redis_.call({"HDEL", redis_.key(kBoard), reply.elements[i].str});  // a node gone for an hour
      continue;
    }
    out.push_back(std::move(n));
  }
  return out;
}

double RateOverMinute::add(std::int64_t now, std::uint64_t total) {
  samples_.emplace_back(now, total);
  while (samples_.size() > 1 && now - samples_.front().first > 60'000) samples_.pop_front();
  const auto& [t0, n0] = samples_.front();
  if (now <= t0) return 0;
  return static_cast<double>(total - n0) * 60'000.0 / static_cast<double>(now - t0);
}

}  // namespace wp::analytics

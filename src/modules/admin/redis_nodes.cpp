#include "modules/admin/redis_nodes.hpp"

#include <boost/json.hpp>

#include "core/clock.hpp"

namespace wp::admin {

namespace {
constexpr std::int64_t kForgetAfterMs = 3600 * 1000;

std::int64_t seen_at_of(const std::string& text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return 0;
  auto* seen = v.as_object().if_contains("seen_at");
  return seen && seen->is_int64() ? seen->as_int64() : 0;
}
}  // namespace

void RedisNodeRegistry::beat(const std::string& node_id, const std::string& stats_json) {
  redis_.call({"HSET", redis_.key("admin:nodes"), node_id, stats_json});
}

std::vector<std::string> RedisNodeRegistry::all() {
  auto reply = redis_.call({"HGETALL", redis_.key("admin:nodes")});
  std::vector<std::string> out;
  const auto now = now_ms();
  for (std::size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    const auto& text = reply.elements[i + 1].str;
    if (now - seen_at_of(text) > kForgetAfterMs) {
      redis_.call({"HDEL", redis_.key("admin:nodes"), reply.elements[i].str});
      continue;
    }
    out.push_back(text);
  }
  return out;
}

}  // namespace wp::admin

#include "modules/mobile/app_config.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "core/crypto.hpp"
#include "modules/mobile/semver.hpp"

namespace wp::mobile {

namespace json = boost::json;

std::map<Platform, std::string> parse_platform_versions(const std::vector<std::string>& items) {
  std::map<Platform, std::string> out;
  for (const auto& item : items) {
    auto eq = item.find('=');
    auto platform = eq == std::string::npos ? std::nullopt : parse_enum<Platform>(item.substr(0, eq));
    if (!platform || !parse_semver(item.substr(eq + 1)))
      throw std::invalid_argument("'" + item + "' is not platform=version (ios, android or web; a semantic version)");
    out[*platform] = item.substr(eq + 1);
  }
  return out;
}

std::vector<Flag> parse_flags(const std::vector<std::string>& items) {
  std::vector<Flag> out;
  for (const auto& item : items) {
    Flag f;
    auto c1 = item.find(':');
    f.name = item.substr(0, c1);
    if (f.name.empty()) throw std::invalid_argument("a flag without a name: '" + item + "'");
    if (c1 != std::string::npos) {
      auto c2 = item.find(':', c1 + 1);
      auto pct = item.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1);
      auto [end, ec] = std::from_chars(pct.data(), pct.data() + pct.size(), f.percent);
      if (pct.empty() || ec != std::errc() || end != pct.data() + pct.size() || f.percent < 0 || f.percent > 100)
        throw std::invalid_argument("flag '" + item + "': the percentage must be 0 to 100");
      if (c2 != std::string::npos) {
        auto plans = item.substr(c2 + 1);
        for (std::size_t at = 0; at <= plans.size();) {
          auto bar = plans.find('|', at);
          auto p = plans.substr(at, bar == std::string::npos ? std::string::npos : bar - at);
          if (!p.empty()) f.plans.push_back(p);
          if (bar == std::string::npos) break;
          at = bar + 1;
        }
      }
    }
    out.push_back(std::move(f));
  }
  return out;
}

int rollout_bucket(const std::string& flag, const std::string& user_key) {
  auto hex = crypto::sha256_hex(flag + ":" + user_key);
  unsigned long v = std::stoul(hex.substr(0, 8), nullptr, 16);
  return static_cast<int>(v % 100);
}

bool flag_on(const Flag& flag, const std::string& user_key, const std::string& plan) {
  if (!flag.plans.empty() && std::find(flag.plans.begin(), flag.plans.end(), plan) == flag.plans.end()) return false;
  if (flag.percent >= 100) return true;
  if (flag.percent <= 0 || user_key.empty()) return false;
  return rollout_bucket(flag.name, user_key) < flag.percent;
}

namespace {

json::value version_or_null(const std::map<Platform, std::string>& m, std::optional<Platform> p) {
  if (!p) return nullptr;
  auto it = m.find(*p);
  return it == m.end() ? json::value(nullptr) : json::value(it->second);
}

// Whether the caller's version is older than the configured one for its platform.
bool older_than(const std::map<Platform, std::string>& m, const Caller& c) {
  if (!c.platform) return false;
  auto it = m.find(*c.platform);
  auto mine = parse_semver(c.app_version);
  if (it == m.end() || !mine) return false;
  return compare_semver(*mine, *parse_semver(it->second)) < 0;
}

}  // namespace

json::object app_config_json(const AppConfigSettings& s, const Caller& c) {
  json::object versions;
  for (auto p : {Platform::ios, Platform::android, Platform::web}) {
    versions[to_string(p)] = json::object{{"min", version_or_null(s.min_versions, p)},
                                          {"latest", version_or_null(s.latest_versions, p)}};
  }
  json::object flags;
  for (const auto& f : s.flags) flags[f.name] = flag_on(f, c.user_key, c.plan);
  json::array stun(s.stun_urls.begin(), s.stun_urls.end()), turn(s.turn_urls.begin(), s.turn_urls.end());
  return {{"versions", std::move(versions)},
          {"platform", c.platform ? json::value(to_string(*c.platform)) : json::value(nullptr)},
          {"app_version", c.app_version.empty() ? json::value(nullptr) : json::value(c.app_version)},
          {"force_update", older_than(s.min_versions, c)},
          {"update_available", older_than(s.latest_versions, c)},
          {"flags", std::move(flags)},
          {"api", json::object{{"base_url", s.api_base_url}, {"sync_url", s.api_base_url + "mobile/sync/"}}},
          {"ice", json::object{{"stun_urls", std::move(stun)},
                               {"turn_urls", std::move(turn)},
                               {"turn_credentials", "GET /api/parties/{id}/call/ice-servers/ (call members)"}}},
          {"maintenance", s.maintenance_message.empty() ? json::value(nullptr) : json::value(s.maintenance_message)}};
}

}  // namespace wp::mobile

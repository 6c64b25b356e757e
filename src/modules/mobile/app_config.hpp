#pragma once
// GET /api/mobile/config/: what the app needs before anything else, from
// the server's settings and the caller (platform, app version, user, plan).
// Pure: built and tested without a server.
#include <boost/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "modules/mobile/model.hpp"

namespace wp::mobile {

struct Flag {
  std::string name;
  int percent = 100;               // the share of users it is on for
  std::vector<std::string> plans;  // empty: every plan
};

struct AppConfigSettings {
  std::map<Platform, std::string> min_versions, latest_versions;
  std::vector<Flag> flags;
  std::string api_base_url;
  std::vector<std::string> stun_urls, turn_urls;  // the ICE hint: no credentials here
  std::string maintenance_message;
  int max_age_s = 300;
};

// "ios=1.2.0" items into a map; throws std::invalid_argument naming a bad item.
std::map<Platform, std::string> parse_platform_versions(const std::vector<std::string>& items);
// "name", "name:50", "name:50:premium|pro"; throws std::invalid_argument.
std::vector<Flag> parse_flags(const std::vector<std::string>& items);

// Stable per user and flag: the same user stays in or out as a rollout grows.
int rollout_bucket(const std::string& flag, const std::string& user_key);  // 0..99
bool flag_on(const Flag& flag, const std::string& user_key, const std::string& plan);

struct Caller {
  std::optional<Platform> platform;
  std::string app_version;  // may be empty or unparsable: no force_update then
  std::string user_key;     // the user id, or the install id when anonymous ("" : only flags at 100%)
  std::string plan = "free";
};

boost::json::object app_config_json(const AppConfigSettings& settings, const Caller& caller);

}  // namespace wp::mobile

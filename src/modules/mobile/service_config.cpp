// The app's config for one caller: the settings, with the caller's plan and rollout key.
#include "core/enum_names.hpp"
#include "core/plans.hpp"
#include "modules/mobile/service.hpp"

namespace wp::mobile {

boost::json::object MobileService::app_config(const std::optional<Principal>& user,
                                              const std::optional<std::string>& platform,
                                              const std::string& app_version, const std::string& device_id) {
  Caller c;
  if (platform) c.platform = require_enum<Platform>("platform", *platform);
  c.app_version = app_version;
  c.user_key = user ? user->id : device_id;
  c.plan = user ? limits_of(plans_, user->id).plan : "free";
  return app_config_json(app_config_, c);
}

}  // namespace wp::mobile

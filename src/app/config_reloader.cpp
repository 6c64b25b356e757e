#include "app/config_reloader.hpp"

#include <boost/json.hpp>

#include "core/config_reload.hpp"
#include "core/log.hpp"

namespace wp {

namespace {

boost::json::array names(const std::vector<std::string>& v) { return boost::json::array(v.begin(), v.end()); }

}  // namespace

const std::set<std::string>& ConfigReloader::live_settings() {
  static const std::set<std::string> live{"log_level"};
  return live;
}

void ConfigReloader::reload() {
  std::lock_guard lock(mu_);
  Config loaded;
  try {
    loaded = read_();
  } catch (const ConfigError& e) {
    record_quietly(&audit_, {AuditLevel::warning, AuditCategory::config,
                             "Configuration reload failed; the running configuration is kept",
                             boost::json::serialize(boost::json::object{{"error", e.what()}})});
    return;
  }
  auto change = diff_settings(current_, loaded, live_settings());
  if (!change.applied.empty()) {
    log::set_level(loaded.log_level);
    current_.log_level = loaded.log_level;
  }
  record_quietly(&audit_, {AuditLevel::info, AuditCategory::config,
                           change.empty() ? "Configuration reloaded: nothing changed" : "Configuration reloaded",
                           boost::json::serialize(boost::json::object{{"applied", names(change.applied)},
                                                                      {"needs_restart", names(change.needs_restart)}})});
}

}  // namespace wp

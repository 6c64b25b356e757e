#include "core/config_reload.hpp"

namespace wp {

ConfigChange diff_settings(const Config& running, const Config& loaded, const std::set<std::string>& live) {
  ConfigChange change;
  for (const auto& s : settings()) {
    if (s.get(running) == s.get(loaded)) continue;
    (live.count(s.name) ? change.applied : change.needs_restart).push_back(s.name);
  }
  return change;
}

}  // namespace wp

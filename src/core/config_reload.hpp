#pragma once
// A running server re-reads its configuration on SIGHUP. Few settings can
// change under a running process (the log level can); the others are
// reported as waiting for a restart, so an operator sees what a reload did.
#include <set>
#include <string>
#include <vector>

#include "core/config.hpp"

namespace wp {

struct ConfigChange {
  std::vector<std::string> applied;        // changed, and taken by this process now
  std::vector<std::string> needs_restart;  // changed, taken at the next start
  bool empty() const { return applied.empty() && needs_restart.empty(); }
};

// The settings whose values differ between `running` and `loaded` (by name;
// never their values, which may be secrets), split by `live`, the names this
// process can apply while running.
ConfigChange diff_settings(const Config& running, const Config& loaded, const std::set<std::string>& live);

}  // namespace wp

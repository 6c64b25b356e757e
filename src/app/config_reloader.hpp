#pragma once
// SIGHUP: the configuration is read again. The log level is applied at once;
// every other change waits for a restart. Both, by setting name only (values
// may be secrets), go to the system log (category config); a file that does
// not load is reported there too, and the running configuration is kept.
#include <functional>
#include <mutex>
#include <set>
#include <string>

#include "core/audit_log.hpp"
#include "core/config.hpp"

namespace wp {

class ConfigReloader {
 public:
  ConfigReloader(const Config& started, std::function<Config()> read, AuditLog& audit)
      : current_(started), read_(std::move(read)), audit_(audit) {}
  // Runs on the blocking pool; reloads one at a time.
  void reload();

  static const std::set<std::string>& live_settings();

 private:
  std::mutex mu_;
  Config current_;  // as this process runs now: the start's, with the live changes applied
  std::function<Config()> read_;
  AuditLog& audit_;
};

}  // namespace wp

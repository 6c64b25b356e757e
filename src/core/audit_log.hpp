#pragma once
// The audit trail (SystemLog) as every module sees it: "record that this
// happened". The admin module implements it (a system_logs row per entry,
// docs/api.md "Logs and metrics"); modules that take one call
// record_quietly. record() runs SQL: call it on the blocking pool.
#include <optional>
#include <string>

#include "core/enum_names.hpp"

namespace wp {

enum class AuditLevel { info, warning, error, critical };
// What an entry is about. admin: a staff action; security: a security event
// (login throttled, 2FA disabled, password changed, an export of emails);
// config: configuration loaded or changed; system: the server itself.
enum class AuditCategory { admin, security, config, system };

struct AuditEntry {
  AuditLevel level = AuditLevel::info;
  AuditCategory category = AuditCategory::admin;
  std::string message;             // one line for a person
  std::string context_json = "{}";  // a JSON object: ids and counts, never secrets
  std::optional<std::string> user_id;  // who did it, when a user did
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  virtual void record(const AuditEntry& entry) = 0;
};

// Records through `log` when one is wired (null: nowhere), and logs a
// failure instead of throwing it: what is being recorded has happened.
void record_quietly(AuditLog* log, const AuditEntry& entry);

}  // namespace wp

WP_ENUM_NAMES(wp::AuditLevel, {wp::AuditLevel::info, "info"}, {wp::AuditLevel::warning, "warning"},
              {wp::AuditLevel::error, "error"}, {wp::AuditLevel::critical, "critical"});
WP_ENUM_NAMES(wp::AuditCategory, {wp::AuditCategory::admin, "admin"}, {wp::AuditCategory::security, "security"},
              {wp::AuditCategory::config, "config"}, {wp::AuditCategory::system, "system"});

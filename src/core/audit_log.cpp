#include "core/audit_log.hpp"

#include <spdlog/spdlog.h>

#include "core/error.hpp"

namespace wp {

void record_quietly(AuditLog* log, const AuditEntry& entry) {
  if (!log) return;
  try {
    log->record(entry);
  } catch (const Error& e) {
    spdlog::warn("audit entry '{}' not recorded: {}", entry.message, e.what());
  }
}

}  // namespace wp

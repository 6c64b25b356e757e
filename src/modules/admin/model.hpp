#pragma once
// The admin area's rows (system_logs, error_logs, performance_metrics,
// admin_broadcasts) and its vocabulary.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/audit_log.hpp"
#include "core/enum_names.hpp"

namespace wp::admin {

enum class Severity { info, warning, critical };
// Who is notified of a broadcast besides every open socket. "plan" waits for billing.
enum class Segment { all, staff, plan };
enum class ExportFormat { csv, jsonl };
// The columns an export may name; email only for a superuser.
enum class ExportField { id, username, email, first_name, last_name, is_active, is_staff, is_superuser,
                         email_verified, date_joined, last_login };

struct SystemLogRow {
  std::string id;
  AuditLevel level = AuditLevel::info;
  AuditCategory category = AuditCategory::admin;
  std::string message;
  std::string context = "{}";
  std::optional<std::string> user_id;
  std::optional<std::string> username;  // joined for lists
  std::int64_t created_at = 0;
};

struct LogFilter {
  std::optional<AuditLevel> level;
  std::optional<AuditCategory> category;
  std::optional<std::string> user_id;
  std::string search;  // in the message
  std::optional<std::int64_t> since, until;
};

// One group of 500s.
struct ErrorLogRow {
  std::string signature;
  std::string method, route, message;
  std::int64_t count = 0;
  std::int64_t first_seen = 0, last_seen = 0;
  std::string last_request_id;
  std::optional<std::string> last_user_id;
};

// One 500 as the dispatcher saw it (no stack: the route, the request, the redacted message).
struct ErrorEvent {
  std::string method, route, request_id, message;
  std::optional<std::string> user_id;
};

struct MetricPoint {
  std::string node_id;
  std::string name;
  std::string label;  // the route for per-route series, else empty
  double value = 0;
  std::int64_t taken_at = 0;
};

struct BroadcastRow {
  std::string id;
  std::optional<std::string> created_by;
  std::string message;
  Severity severity = Severity::info;
  Segment audience = Segment::all;
  std::optional<std::string> plan;  // audience plan: the billing plan's id
  std::optional<std::int64_t> expires_at;
  std::optional<std::string> notification_broadcast_id;
  std::int64_t created_at = 0;
};

struct DeliveryRow {
  std::string node_id;
  int sockets = 0;
  std::int64_t delivered_at = 0;
};

struct BroadcastInput {
  std::string message;
  Severity severity = Severity::info;
  Segment audience = Segment::all;
  std::optional<std::string> plan;
  std::optional<std::int64_t> expires_at;
  bool notify = true;  // also as a notification to the segment
};

// One user as an export writes it (accounts' users row, read through a seam).
struct ExportUser {
  std::string id, username, email, first_name, last_name;
  bool is_active = true, is_staff = false, is_superuser = false, email_verified = false;
  std::int64_t date_joined = 0;
  std::optional<std::int64_t> last_login;
};

struct ExportRequest {
  ExportFormat format = ExportFormat::csv;
  std::vector<ExportField> fields;
  std::optional<bool> is_active;  // only these users, when set
};

}  // namespace wp::admin

WP_ENUM_NAMES(wp::admin::Severity, {wp::admin::Severity::info, "info"}, {wp::admin::Severity::warning, "warning"},
              {wp::admin::Severity::critical, "critical"});
WP_ENUM_NAMES(wp::admin::Segment, {wp::admin::Segment::all, "all"}, {wp::admin::Segment::staff, "staff"},
              {wp::admin::Segment::plan, "plan"});
WP_ENUM_NAMES(wp::admin::ExportFormat, {wp::admin::ExportFormat::csv, "csv"},
              {wp::admin::ExportFormat::jsonl, "jsonl"});
WP_ENUM_NAMES(wp::admin::ExportField, {wp::admin::ExportField::id, "id"},
              {wp::admin::ExportField::username, "username"}, {wp::admin::ExportField::email, "email"},
              {wp::admin::ExportField::first_name, "first_name"}, {wp::admin::ExportField::last_name, "last_name"},
              {wp::admin::ExportField::is_active, "is_active"}, {wp::admin::ExportField::is_staff, "is_staff"},
              {wp::admin::ExportField::is_superuser, "is_superuser"},
              {wp::admin::ExportField::email_verified, "email_verified"},
              {wp::admin::ExportField::date_joined, "date_joined"},
              {wp::admin::ExportField::last_login, "last_login"});

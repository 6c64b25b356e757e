#pragma once
// Mobile (#21): devices, the delta-sync change log and its syncs, crash
// reports and app sessions, as the store reads them, with their vocabulary.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/enum_names.hpp"

namespace wp::mobile {

enum class Platform { ios, android, web };
// What a sync carries. The app keeps one cursor per type.
enum class DataType { profile, friends, conversations, notifications, watch_history, downloads, settings, read_marks };
// full: every cursor empty; delta: from cursors; push: offline changes only.
enum class SyncType { full, delta, push };
enum class SyncStatus { in_progress, completed, failed };
// What an offline read mark is about: a notification, or a conversation read up to a message.
enum class ReadMarkKind { notification, conversation };

struct DeviceRow {
  std::string id;
  std::string user_id;
  std::string device_id;  // the app's install id
  std::string name;
  Platform platform = Platform::android;
  std::string model, os_version, app_version;
  std::optional<std::string> push_token;
  bool push_enabled = true;
  std::string settings = "{}";
  bool disabled = false;
  std::string session_id;
  std::int64_t created_at = 0, updated_at = 0, last_active = 0;
  // The token is handed to push only while all of this holds.
  bool pushable() const { return push_token && !push_token->empty() && push_enabled && !disabled; }
};

// The latest change of one synced record.
struct ChangeRow {
  std::string record_id;
  std::int64_t seq = 0;
  bool deleted = false;
  std::string payload = "{}";
  std::int64_t changed_at = 0;
};

// What a writer asks the change log to record (a tombstone when deleted).
struct Change {
  DataType type = DataType::settings;
  std::string record_id;
  bool deleted = false;
  std::string payload = "{}";
};

struct SyncRow {
  std::string id;
  std::string user_id;
  std::string device_id;  // mobile_devices.id
  SyncType sync_type = SyncType::delta;
  SyncStatus status = SyncStatus::in_progress;
  std::string data_types = "[]";
  std::int64_t size_bytes = 0;
  std::int64_t records_count = 0;
  int pages = 0;
  std::string last_request;
  std::int64_t started_at = 0;
  std::optional<std::int64_t> completed_at, duration_ms;
  std::string error;
  int retry_count = 0;
};

}  // namespace wp::mobile

WP_ENUM_NAMES(wp::mobile::Platform, {wp::mobile::Platform::ios, "ios"}, {wp::mobile::Platform::android, "android"},
              {wp::mobile::Platform::web, "web"});
WP_ENUM_NAMES(wp::mobile::DataType, {wp::mobile::DataType::profile, "profile"},
              {wp::mobile::DataType::friends, "friends"}, {wp::mobile::DataType::conversations, "conversations"},
              {wp::mobile::DataType::notifications, "notifications"},
              {wp::mobile::DataType::watch_history, "watch_history"}, {wp::mobile::DataType::downloads, "downloads"},
              {wp::mobile::DataType::settings, "settings"}, {wp::mobile::DataType::read_marks, "read_marks"});
WP_ENUM_NAMES(wp::mobile::SyncType, {wp::mobile::SyncType::full, "full"}, {wp::mobile::SyncType::delta, "delta"},
              {wp::mobile::SyncType::push, "push"});
WP_ENUM_NAMES(wp::mobile::SyncStatus, {wp::mobile::SyncStatus::in_progress, "in_progress"},
              {wp::mobile::SyncStatus::completed, "completed"}, {wp::mobile::SyncStatus::failed, "failed"});
WP_ENUM_NAMES(wp::mobile::ReadMarkKind, {wp::mobile::ReadMarkKind::notification, "notification"},
              {wp::mobile::ReadMarkKind::conversation, "conversation"});

// ---- crashes (MobileAppCrash) and app sessions (MobileAnalytics)
namespace wp::mobile {

// open -> fixed (staff, with the version) -> regressed (a crash of that version or later) -> fixed ...
enum class CrashStatus { open, fixed, regressed };

struct CrashGroupRow {
  std::string id;
  std::string signature;
  std::string platform;
  std::string title;
  CrashStatus status = CrashStatus::open;
  std::optional<std::string> fixed_in_version;
  std::int64_t count = 0;
  std::int64_t first_seen = 0, last_seen = 0;
};

struct CrashVersionRow {
  std::string app_version;
  std::int64_t count = 0;
};

struct CrashRow {
  std::string id;
  std::string group_id;
  std::optional<std::string> user_id;
  std::string platform, app_version, os_version, device_model;
  std::string stack_trace;
  std::string breadcrumbs = "[]";
  std::int64_t occurred_at = 0, received_at = 0;
};

struct SessionRow {
  std::string id;
  std::optional<std::string> user_id;
  std::string device_id, platform, app_version, network_type;
  std::int64_t started_at = 0;
  std::optional<std::int64_t> ended_at;
  int screen_views = 0;
  bool crashed = false;
};

// Staff figures per platform over a window.
struct PlatformFigures {
  std::string platform;
  std::int64_t active_devices = 0, sessions = 0, crashed_sessions = 0;
};

}  // namespace wp::mobile

WP_ENUM_NAMES(wp::mobile::CrashStatus, {wp::mobile::CrashStatus::open, "open"},
              {wp::mobile::CrashStatus::fixed, "fixed"}, {wp::mobile::CrashStatus::regressed, "regressed"});

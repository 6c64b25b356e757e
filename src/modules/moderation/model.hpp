#pragma once
// Moderation (issue #19): rows, vocabulary and inputs.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/enum_names.hpp"
#include "core/moderation.hpp"

namespace wp::moderation {

// The longest suspension or mute: ten years.
inline constexpr std::int64_t kMaxPeriodS = std::int64_t{10} * 365 * 86400;

enum class ReportType { spam, harassment, nudity, violence, copyright, other };
enum class ReportStatus { open, reviewing, actioned, dismissed };
enum class ActionType { warn, remove_content, mute, suspend, ban, lift };
enum class FlagSignal { word_list, rate };
enum class FlagStatus { open, actioned, dismissed };
// A user's standing as the admin filters name it.
enum class StandingState { good, muted, suspended, banned };

struct ReportRow {
  std::string id;
  std::optional<std::string> reporter_id;
  ContentType content_type = ContentType::user;
  std::string object_id;
  std::optional<std::string> owner_id;
  ReportType report_type = ReportType::other;
  std::string description;
  ReportStatus status = ReportStatus::open;
  std::string admin_notes;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> resolved_at;
  std::optional<std::string> resolved_by;
};

struct ActionRow {
  std::string id;
  ActionType action = ActionType::warn;
  std::optional<std::string> user_id;
  std::optional<std::string> staff_id;
  std::optional<ContentType> content_type;
  std::optional<std::string> object_id;
  std::optional<std::string> report_id;
  std::string reason;
  std::optional<std::int64_t> duration_s;
  std::optional<std::int64_t> ends_at;
  std::int64_t created_at = 0;
};

struct StandingRow {
  std::string user_id;
  std::optional<std::int64_t> muted_until;
  std::optional<std::int64_t> suspended_until;
  bool banned = false;
  std::int64_t warnings = 0;
  std::int64_t updated_at = 0;
};

struct FlagRow {
  std::string id;
  ContentType content_type = ContentType::user;
  std::string object_id;
  std::optional<std::string> user_id;
  FlagSignal signal = FlagSignal::word_list;
  std::string detail;
  std::string excerpt;
  FlagStatus status = FlagStatus::open;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> resolved_at;
};

struct TombstoneRow {
  ContentType content_type = ContentType::user;
  std::string object_id;
  std::string snapshot;
  std::string action_id;
  std::int64_t removed_at = 0;
};

// One object of the staff queue: its open reports and flags counted.
struct QueueRow {
  ContentType content_type = ContentType::user;
  std::string object_id;
  std::int64_t reports = 0;
  std::int64_t flags = 0;
  std::int64_t first_at = 0;
  std::int64_t last_at = 0;
};

struct ReportInput {
  ContentType content_type = ContentType::user;
  std::string object_id;
  ReportType report_type = ReportType::other;
  std::string description;
};

struct ReportFilter {
  std::optional<ReportStatus> status;
  std::optional<ContentType> content_type;
  std::optional<std::string> object_id;
};

struct ActionInput {
  ActionType action = ActionType::warn;
  std::optional<std::string> user_id;  // whose standing; for content, its author when not given
  std::optional<ContentType> content_type;
  std::optional<std::string> object_id;
  std::optional<std::string> report_id;
  std::string reason;
  std::optional<std::int64_t> duration_s;  // mute and suspend: required
};

struct Window {
  int limit = 20;
  int offset = 0;
};

// A user's standing now, from their row and the clock.
struct Standing {
  StandingState state = StandingState::good;
  std::optional<std::int64_t> muted_until, suspended_until;
  bool banned = false;
  std::int64_t warnings = 0;
};

}  // namespace wp::moderation

WP_ENUM_NAMES(wp::moderation::ReportType, {wp::moderation::ReportType::spam, "spam"},
              {wp::moderation::ReportType::harassment, "harassment"}, {wp::moderation::ReportType::nudity, "nudity"},
              {wp::moderation::ReportType::violence, "violence"},
              {wp::moderation::ReportType::copyright, "copyright"}, {wp::moderation::ReportType::other, "other"});
WP_ENUM_NAMES(wp::moderation::ReportStatus, {wp::moderation::ReportStatus::open, "open"},
              {wp::moderation::ReportStatus::reviewing, "reviewing"},
              {wp::moderation::ReportStatus::actioned, "actioned"},
              {wp::moderation::ReportStatus::dismissed, "dismissed"});
WP_ENUM_NAMES(wp::moderation::ActionType, {wp::moderation::ActionType::warn, "warn"},
              {wp::moderation::ActionType::remove_content, "remove_content"},
              {wp::moderation::ActionType::mute, "mute"}, {wp::moderation::ActionType::suspend, "suspend"},
              {wp::moderation::ActionType::ban, "ban"}, {wp::moderation::ActionType::lift, "lift"});
WP_ENUM_NAMES(wp::moderation::FlagSignal, {wp::moderation::FlagSignal::word_list, "word_list"},
              {wp::moderation::FlagSignal::rate, "rate"});
WP_ENUM_NAMES(wp::moderation::FlagStatus, {wp::moderation::FlagStatus::open, "open"},
              {wp::moderation::FlagStatus::actioned, "actioned"},
              {wp::moderation::FlagStatus::dismissed, "dismissed"});
WP_ENUM_NAMES(wp::moderation::StandingState, {wp::moderation::StandingState::good, "good"},
              {wp::moderation::StandingState::muted, "muted"},
              {wp::moderation::StandingState::suspended, "suspended"},
              {wp::moderation::StandingState::banned, "banned"});

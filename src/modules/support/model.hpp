#pragma once
// The support desk: tickets and their replies, attachments, FAQ entries
// with their votes, and feedback, as the store reads them; the vocabulary;
// the settings and the inputs of the rules.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/attachment_files.hpp"
#include "core/enum_names.hpp"

namespace wp::support {

// Bytes of a search text that count.
inline constexpr std::size_t kSearchMax = 200;

// The vocabulary; each has one string table (bottom of this file).
// `appeal` is a ticket about a moderation action (moderation_action_id).
enum class TicketCategory { account, billing, technical, playback, parties, content, abuse, feature_request, appeal, other };
enum class TicketPriority { low, normal, high, urgent };
// open -> pending (waiting for the user) -> resolved -> closed; reopened to open.
enum class TicketStatus { open, pending, resolved, closed };
enum class FeedbackStatus { new_, triaged, planned, done, dismissed };
// The order of a ticket list (?ordering=).
enum class TicketOrdering { priority, oldest, newest, updated };

struct Settings {
  int reopen_days = 7;  // the owner may reopen a resolved or closed ticket this long after
  std::int64_t max_attachment_bytes = 25 * 1024 * 1024;
  std::int64_t attachment_ttl_ms = 24 * 3600 * 1000LL;
  std::string data_dir = "./data";  // attachments under <data_dir>/support
  std::string ffmpeg = "ffmpeg";
};

struct TicketRow {
  std::string id;
  std::string user_id, username;  // the username is read only (joined)
  std::string subject, description;
  TicketCategory category = TicketCategory::other;
  TicketPriority priority = TicketPriority::normal;
  TicketStatus status = TicketStatus::open;
  std::optional<std::string> assigned_to, assignee_username;  // staff only
  std::string admin_notes;                                    // staff only
  std::optional<std::string> moderation_action_id;            // appeals
  std::optional<std::int64_t> first_staff_reply_at;           // SLA
  std::optional<std::int64_t> resolved_at, closed_at;
  int reply_count = 0;     // public replies: what the user sees
  int internal_count = 0;  // staff only
  std::optional<std::int64_t> last_reply_at;  // of a public reply
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;  // moved only by what the user sees
};

struct AttachmentRow {
  std::string id;
  std::string uploader_id;
  std::optional<std::string> ticket_id, reply_id, feedback_id;
  std::string filename, mime_type;
  AttachmentKind kind = AttachmentKind::file;
  std::int64_t size = 0;
  bool has_thumbnail = false;
  int position = 0;
  std::int64_t created_at = 0;
  // Read only (joined): the ticket's owner, and whether its reply is an internal note.
  std::optional<std::string> ticket_owner;
  bool internal = false;
};

struct ReplyRow {
  std::string id;
  std::string ticket_id;
  std::optional<std::string> author_id, author_username;
  bool from_staff = false;
  bool is_internal = false;
  std::string content;
  std::int64_t created_at = 0;
  std::vector<AttachmentRow> attachments;  // filled by the service
};

struct FaqRow {
  std::string id;
  std::string category, question, answer;  // answer: Markdown, rendered by the client
  int position = 0;
  bool is_published = false;
  int helpful_count = 0, not_helpful_count = 0;
  std::optional<bool> my_vote;  // read only: the viewer's vote
  std::int64_t created_at = 0, updated_at = 0;
};

struct FeedbackRow {
  std::string id;
  std::string user_id, username;
  int rating = 0;
  std::string text, page, context = "{}";
  std::optional<std::string> screenshot_id;
  FeedbackStatus status = FeedbackStatus::new_;
  std::int64_t created_at = 0, updated_at = 0;
};

// ---------------------------------------------------------------- inputs

struct TicketInput {
  std::string subject, description;
  TicketCategory category = TicketCategory::other;
  TicketPriority priority = TicketPriority::normal;
  std::optional<std::string> moderation_action_id;
  std::vector<std::string> attachment_ids;
};

// A staff change of a ticket: only the fields set change.
struct TicketChange {
  std::optional<TicketStatus> status;
  std::optional<TicketPriority> priority;
  std::optional<TicketCategory> category;
  std::optional<std::string> admin_notes;
};

struct ReplyInput {
  std::string content;
  bool is_internal = false;
  std::vector<std::string> attachment_ids;
};

struct TicketFilter {
  std::optional<std::string> owner;  // a user's own list
  std::optional<TicketStatus> status;
  std::optional<TicketPriority> priority;
  std::optional<TicketCategory> category;
  std::optional<std::string> assignee;
  bool unassigned = false;
  std::optional<std::string> search;
  TicketOrdering ordering = TicketOrdering::newest;
};

struct FaqInput {
  std::optional<std::string> category, question, answer;
  std::optional<int> position;
  std::optional<bool> is_published;
};

struct FeedbackInput {
  int rating = 0;
  std::string text, page, context = "{}";
  std::optional<std::string> screenshot_id;
};

struct FaqFilter {
  bool published_only = true;
  std::optional<std::string> category, search;
};

struct FeedbackFilter {
  std::optional<FeedbackStatus> status;
  std::optional<int> rating;
};

// The staff summary: the queue now, and the time to a first staff reply.
struct Summary {
  long long open = 0, pending = 0, resolved = 0, closed = 0;
  long long unassigned = 0;              // open or pending, nobody assigned
  long long urgent = 0, high = 0;        // open or pending of that priority
  long long awaiting_first_reply = 0;    // open or pending, no staff reply yet
  std::optional<std::int64_t> oldest_awaiting_since;
  long long answered = 0;                // tickets created in the window with a first staff reply
  std::optional<std::int64_t> first_reply_avg_ms, first_reply_max_ms;
};

// Moderation's answer for an appeal (app.cpp): may this user appeal that action?
using AppealCheck = std::function<bool(const std::string& user_id, const std::string& action_id)>;

}  // namespace wp::support

WP_ENUM_NAMES(wp::support::TicketCategory, {wp::support::TicketCategory::account, "account"},
              {wp::support::TicketCategory::billing, "billing"},
              {wp::support::TicketCategory::technical, "technical"},
              {wp::support::TicketCategory::playback, "playback"},
              {wp::support::TicketCategory::parties, "parties"}, {wp::support::TicketCategory::content, "content"},
              {wp::support::TicketCategory::abuse, "abuse"},
              {wp::support::TicketCategory::feature_request, "feature_request"},
              {wp::support::TicketCategory::appeal, "appeal"}, {wp::support::TicketCategory::other, "other"});
WP_ENUM_NAMES(wp::support::TicketPriority, {wp::support::TicketPriority::low, "low"},
              {wp::support::TicketPriority::normal, "normal"}, {wp::support::TicketPriority::high, "high"},
              {wp::support::TicketPriority::urgent, "urgent"});
WP_ENUM_NAMES(wp::support::TicketStatus, {wp::support::TicketStatus::open, "open"},
              {wp::support::TicketStatus::pending, "pending"}, {wp::support::TicketStatus::resolved, "resolved"},
              {wp::support::TicketStatus::closed, "closed"});
WP_ENUM_NAMES(wp::support::TicketOrdering, {wp::support::TicketOrdering::priority, "priority"},
              {wp::support::TicketOrdering::oldest, "created_at"},
              {wp::support::TicketOrdering::newest, "-created_at"},
              {wp::support::TicketOrdering::updated, "-updated_at"});
WP_ENUM_NAMES(wp::support::FeedbackStatus, {wp::support::FeedbackStatus::new_, "new"},
              {wp::support::FeedbackStatus::triaged, "triaged"},
              {wp::support::FeedbackStatus::planned, "planned"}, {wp::support::FeedbackStatus::done, "done"},
              {wp::support::FeedbackStatus::dismissed, "dismissed"});

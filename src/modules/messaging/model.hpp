#pragma once
// Conversations, members, messages, reactions and attachments as the store
// reads them, the vocabulary of messaging, and the inputs of its rules.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/attachment_files.hpp"
#include "core/enum_names.hpp"

namespace wp::messaging {

enum class ConversationKind { direct, group };
enum class MemberRole { owner, member };
// Who may add members to a group.
enum class AddMembers { owner, members };
enum class MessageType { text, image, video, file, system };
using AttachmentKind = wp::AttachmentKind;  // core/attachment_files.hpp: shared with support
// The fixed set of reactions.
enum class Emoji { thumbs_up, heart, joy, wow, sad, pray };
// What a system message records (its metadata.event).
enum class SystemEvent { member_added, member_removed, member_left, title_changed };
// What a conversation_updated event says changed.
enum class Change { created, title, settings, member_added, member_removed, member_left, owner_changed };

// The key that makes a direct conversation unique per pair, whatever the order.
inline std::string direct_key(const std::string& a, const std::string& b) {
  return a < b ? a + ":" + b : b + ":" + a;
}

struct ConversationRow {
  std::string id;
  ConversationKind kind = ConversationKind::direct;
  std::optional<std::string> title;
  std::optional<std::string> owner_id;
  AddMembers add_members = AddMembers::owner;
  int member_count = 0;
  std::int64_t last_seq = 0;
  std::int64_t last_activity_at = 0;
  std::int64_t created_at = 0;
};

struct MemberRow {
  std::string conversation_id;
  std::string user_id;
  std::string username;
  MemberRole role = MemberRole::member;
  std::int64_t joined_at = 0;
  std::int64_t last_read_seq = 0;
  std::int64_t viewing_until = 0;
  bool show_read_receipts = true;
};

struct AttachmentRow {
  std::string id;
  std::string uploader_id;
  std::optional<std::string> message_id;
  std::optional<std::string> conversation_id;
  std::string filename;
  std::string mime_type;
  AttachmentKind kind = AttachmentKind::file;
  std::int64_t size = 0;
  bool has_thumbnail = false;
  int position = 0;
  std::int64_t created_at = 0;
};

struct ReactionCount {
  std::string message_id;
  Emoji emoji = Emoji::thumbs_up;
  std::int64_t count = 0;
  bool me = false;
};

struct MessageRow {
  std::string id;
  std::string conversation_id;
  std::int64_t seq = 0;
  std::optional<std::string> sender_id;
  std::optional<std::string> sender_username;
  std::optional<std::string> client_id;
  MessageType message_type = MessageType::text;
  std::optional<std::string> body;
  std::optional<std::string> reply_to_id;
  std::optional<std::string> metadata;  // JSON object text
  bool is_edited = false;
  std::optional<std::int64_t> edited_at;
  std::optional<std::int64_t> deleted_at;
  std::int64_t created_at = 0;
  // Filled after the row is read.
  std::vector<AttachmentRow> attachments;
  std::vector<ReactionCount> reactions;
  bool deleted() const { return deleted_at.has_value(); }
};

// A conversation as a list or a detail shows it to one member.
struct ConversationView {
  ConversationRow conversation;
  std::vector<MemberRow> members;
  std::vector<bool> online;  // per member
  std::optional<MessageRow> last_message;
  std::int64_t unread_count = 0;
};

// A member as a new message's fan-out sees one: whom to tell, and until
// when (ms) they have the conversation in view (no notice then).
struct Recipient {
  std::string user_id;
  std::int64_t viewing_until = 0;
};

// A message to store (the service has checked it).
struct NewMessage {
  std::string conversation_id;
  std::string sender_id;
  std::string sender_username;  // for the row handed back; not stored
  std::optional<std::string> client_id;
  MessageType message_type = MessageType::text;
  std::optional<std::string> body;
  std::optional<std::string> reply_to_id;
  std::optional<std::string> metadata;
  std::vector<std::string> attachment_ids;
};

// What a send did: the message, and whether it is new (false: a retry found
// it); a new one comes with the members it was stored for (read with it).
struct Sent {
  MessageRow message;
  bool created = true;
  std::vector<Recipient> recipients;
};

// A page of messages and whether more lie beyond it.
struct MessagePage {
  std::vector<MessageRow> rows;
  bool has_more = false;
};

// Which way a page of messages goes from its cursor.
enum class Direction { newest, before, after };
struct MessageQuery {
  Direction direction = Direction::newest;
  std::int64_t seq = 0;  // the cursor's seq (before / after)
  int limit = 50;
  std::optional<std::string> text;  // search
};

struct ReadState {
  std::int64_t last_read_seq = 0;
  std::int64_t unread_count = 0;
};

struct UnreadTotal {
  std::int64_t total = 0;
  std::int64_t conversations = 0;
};

}  // namespace wp::messaging

WP_ENUM_NAMES(wp::messaging::ConversationKind, {wp::messaging::ConversationKind::direct, "direct"},
              {wp::messaging::ConversationKind::group, "group"});
WP_ENUM_NAMES(wp::messaging::MemberRole, {wp::messaging::MemberRole::owner, "owner"},
              {wp::messaging::MemberRole::member, "member"});
WP_ENUM_NAMES(wp::messaging::AddMembers, {wp::messaging::AddMembers::owner, "owner"},
              {wp::messaging::AddMembers::members, "members"});
WP_ENUM_NAMES(wp::messaging::MessageType, {wp::messaging::MessageType::text, "text"},
              {wp::messaging::MessageType::image, "image"}, {wp::messaging::MessageType::video, "video"},
              {wp::messaging::MessageType::file, "file"}, {wp::messaging::MessageType::system, "system"});
WP_ENUM_NAMES(wp::messaging::Emoji, {wp::messaging::Emoji::thumbs_up, "\xF0\x9F\x91\x8D"},
              {wp::messaging::Emoji::heart, "\xE2\x9D\xA4\xEF\xB8\x8F"},
              {wp::messaging::Emoji::joy, "\xF0\x9F\x98\x82"}, {wp::messaging::Emoji::wow, "\xF0\x9F\x98\xAE"},
              {wp::messaging::Emoji::sad, "\xF0\x9F\x98\xA2"}, {wp::messaging::Emoji::pray, "\xF0\x9F\x99\x8F"});
WP_ENUM_NAMES(wp::messaging::SystemEvent, {wp::messaging::SystemEvent::member_added, "member_added"},
              {wp::messaging::SystemEvent::member_removed, "member_removed"},
              {wp::messaging::SystemEvent::member_left, "member_left"},
              {wp::messaging::SystemEvent::title_changed, "title_changed"});
WP_ENUM_NAMES(wp::messaging::Change, {wp::messaging::Change::created, "created"},
              {wp::messaging::Change::title, "title"}, {wp::messaging::Change::settings, "settings"},
              {wp::messaging::Change::member_added, "member_added"},
              {wp::messaging::Change::member_removed, "member_removed"},
              {wp::messaging::Change::member_left, "member_left"},
              {wp::messaging::Change::owner_changed, "owner_changed"});

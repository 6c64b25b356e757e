#pragma once
// Every read and write of the messaging tables (the SQL text is in sql.hpp).
// store.cpp: conversations, members, read state, settings;
// message_store.cpp: messages, reactions, attachments.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/messaging/model.hpp"

namespace wp::messaging {

// Where a page of my conversations continues (the last one of the previous page).
struct ConversationCursor {
  std::int64_t last_activity_at = 0;
  std::string id;
};

// What a member change wrote: the system message, and a new owner when the owner left.
struct MemberChange {
  MessageRow system;
  std::optional<std::string> new_owner;
};

class Store {
 public:
  explicit Store(db::Database& db) : db_(db) {}

  // An active user's name, or nothing.
  std::optional<std::string> active_username(const std::string& user_id);

  // ---- conversations (store.cpp)
  std::optional<ConversationRow> conversation(const std::string& id);
  // The pair's direct conversation, made when there is none (one per pair,
  // also for two calls at the same instant); `created` says which.
  ConversationRow open_direct(const std::string& a, const std::string& b, std::int64_t now, bool& created);
  ConversationRow create_group(const std::string& owner, const std::string& title, AddMembers add,
                               const std::vector<std::string>& others, std::int64_t now);
  // Title and settings; with a new title, a title_changed system message by `actor`.
  std::optional<MessageRow> update_group(const std::string& id, const std::string& title, AddMembers add,
                                         const std::string& actor, bool title_changed, std::int64_t now);
  // Adds the member (conflict when already one, or `max_members` reached)
  // and the member_added system message, in one transaction.
  MessageRow add_member(const std::string& id, const std::string& user_id, const std::string& actor,
                        int max_members, std::int64_t now);
  // Removes the member (not_found when not one) with the system message
  // `event`; an owner who goes hands the group to the member who joined first.
  MemberChange remove_member(const std::string& id, const std::string& user_id, const std::string& actor,
                             SystemEvent event, std::int64_t now);
  std::vector<ConversationRow> conversations_of(const std::string& user_id,
                                                const std::optional<ConversationCursor>& after, int limit);

  std::vector<MemberRow> members(const std::string& conversation_id);
  std::optional<MemberRow> member(const std::string& conversation_id, const std::string& user_id);

  // ---- read state (store.cpp)
  // Moves my read receipt up to seq (never back); false when it did not move.
  bool mark_read(const std::string& conversation_id, const std::string& user_id, std::int64_t seq);
  std::int64_t unread(const std::string& conversation_id, const std::string& user_id);
  UnreadTotal unread_total(const std::string& user_id);
  // I look at this conversation until `until` (ms), and at no other; none: at nothing.
  void set_viewing(const std::string& user_id, const std::optional<std::string>& conversation_id,
                   std::int64_t until);

  bool show_read_receipts(const std::string& user_id);
  void set_show_read_receipts(const std::string& user_id, bool show);

  // ---- messages (message_store.cpp)
  // Stores the message with the next seq, claims its attachments, and
  // moves the sender's read receipt when they had read all before, in one
  // short transaction (one statement on PostgreSQL without attachments),
  // and reads the members to tell with it; the row is not read back. A
  // client_id the sender used already in this conversation answers that
  // message instead (created false), also when both sends ran at once.
  // not_found when the sender is not a member or is muted by moderation at
  // now (user_standing, checked by the same statement); validation / conflict for
  // attachments not theirs or used.
  Sent send(const NewMessage& m, std::int64_t now);
  std::optional<MessageRow> message(const std::string& id, const std::string& viewer);
  // moderation (#19): false when nothing changed.
  bool hide_message(const std::string& id, std::int64_t now);
  bool restore_message(const std::string& id, const std::optional<std::string>& body,
                       const std::optional<std::string>& metadata);
  // The message `sender` sent with this client_id in the conversation, if any.
  std::optional<MessageRow> by_client_id(const std::string& conversation_id, const std::string& sender,
                                         const std::string& client_id);
  MessagePage messages(const std::string& conversation_id, const MessageQuery& q, const std::string& viewer);
  // Messages after `seq`, oldest first, at most `limit`.
  std::vector<MessageRow> messages_after(const std::string& conversation_id, std::int64_t seq, int limit,
                                         const std::string& viewer);
  bool edit(const std::string& message_id, const std::string& body, std::int64_t now);
  // The tombstone replaces the message; its reactions and attachments go
  // (the attachment rows are returned, for their files).
  std::vector<AttachmentRow> soft_delete(const std::string& message_id, std::int64_t now);
  // Adds my reaction with this emoji, or removes it: whether it is there now.
  bool toggle_reaction(const std::string& message_id, const std::string& user_id, Emoji emoji, std::int64_t now);
  std::vector<ReactionCount> reactions(const MessageRow& m, const std::string& viewer);

  // ---- attachments (message_store.cpp)
  void insert_attachment(const AttachmentRow& a);
  std::optional<AttachmentRow> attachment(const std::string& id);
  std::vector<AttachmentRow> orphans(std::int64_t created_before);
  // Deletes the row if it is still unreferenced.
  bool delete_orphan(const std::string& id);

 private:
  // PostgreSQL without attachments: one statement (sql::kSendInOneStatement).
  Sent send_in_one_statement(const NewMessage& m, std::int64_t now);
  // SQLite, or with attachments to claim: the same in one transaction.
  Sent send_in_transaction(const NewMessage& m, std::int64_t now);

  db::Database& db_;
  const std::uint64_t send_key_ = db::Database::new_kept_key();  // kSendInOneStatement, kept (db/kept.hpp)
};

}  // namespace wp::messaging

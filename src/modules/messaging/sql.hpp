#pragma once
// Every SQL text of the messaging store, and the column tables of the rows
// it reads. Only the store's files include this. A row query is the text
// after the SELECT list (db::select_rows puts the list first).
#include "db/columns.hpp"
#include "modules/messaging/model.hpp"

namespace wp::messaging::sql {

// A user as messaging needs one: id and name.
struct UserRef {
  std::string id, username;
};

inline const db::Columns<UserRef> kUser{{"u.id", &UserRef::id}, {"u.username", &UserRef::username}};
inline constexpr const char* kActiveUser = "FROM users u WHERE u.id = :id AND u.is_active = TRUE";

// ---------------------------------------------------------------- conversations

inline const db::Columns<ConversationRow> kConversation{
    {"c.id", &ConversationRow::id},
    {"c.kind", &ConversationRow::kind},
    {"c.title", &ConversationRow::title},
    {"c.owner_id", &ConversationRow::owner_id},
    {"c.add_members", &ConversationRow::add_members},
    {"c.member_count", &ConversationRow::member_count},
    {"c.last_seq", &ConversationRow::last_seq},
    {"c.last_activity_at", &ConversationRow::last_activity_at},
    {"c.created_at", &ConversationRow::created_at},
};

inline constexpr const char* kConversationById = "FROM conversations c WHERE c.id = :id";
inline constexpr const char* kForUpdate = " FOR UPDATE";
inline constexpr const char* kDirectByKey = "FROM conversations c WHERE c.direct_key = :k";
// Two first messages of a pair at the same instant meet on the unique key: the loser inserts nothing.
inline constexpr const char* kInsertDirect =
    "INSERT INTO conversations (id, kind, direct_key, member_count, last_seq, last_activity_at, created_at) VALUES "
    "(:id, 'direct', :k, 2, 0, :a, :t) ON CONFLICT (direct_key) DO NOTHING";
inline constexpr const char* kInsertGroup =
    "INSERT INTO conversations (id, kind, title, owner_id, add_members, member_count, last_seq, last_activity_at, "
    "created_at) VALUES (:id, 'group', :title, :o, :am, :n, 0, :a, :t)";
inline constexpr const char* kUpdateGroup = "UPDATE conversations SET title = :t, add_members = :a WHERE id = :id";
inline constexpr const char* kMoveMemberCount = "UPDATE conversations SET member_count = member_count + :d WHERE id = :id";
inline constexpr const char* kSetOwner = "UPDATE conversations SET owner_id = :o WHERE id = :id";
// The message counter: the row stays locked (PostgreSQL) or the database
// (SQLite, BEGIN IMMEDIATE) until the message is committed.
inline constexpr const char* kNextSeq =
    "UPDATE conversations SET last_seq = last_seq + 1, last_activity_at = :t WHERE id = :id RETURNING last_seq";
// A sender muted by moderation at :t (user_standing, issue #19): the send's
// own statement refuses them, so a mute applies at once on every node
// without a lookup of its own per send (docs/architecture.md "Moderation").
#define WP_MESSAGING_NOT_MUTED \
  " AND NOT EXISTS (SELECT 1 FROM user_standing st WHERE st.user_id = :mu AND st.muted_until > :mt)"
// The same for a member's message, in one statement: no row when :u is not a
// member or is muted at :mt.
inline constexpr const char* kNextSeqForMember =
    "UPDATE conversations SET last_seq = last_seq + 1, last_activity_at = :t WHERE id = :id AND EXISTS (SELECT 1 "
    "FROM conversation_members m WHERE m.conversation_id = :id2 AND m.user_id = :u)" WP_MESSAGING_NOT_MUTED
    " RETURNING last_seq";

// PostgreSQL: a member's message without attachments in one statement, so in
// one round trip and its own transaction: the counter (no row when :u is not
// a member or is muted), the message, the sender's receipt when they had read all
// before, and the members to tell ("<user id>:<viewing_until>,...").
// The casts: parameters of INSERT ... SELECT have no type of their own.
inline constexpr const char* kSendInOneStatement =
    "WITH s AS (UPDATE conversations SET last_seq = last_seq + 1, last_activity_at = :t WHERE id = :c AND EXISTS "
    "(SELECT 1 FROM conversation_members m WHERE m.conversation_id = :c2 AND m.user_id = :u)" WP_MESSAGING_NOT_MUTED
    " RETURNING last_seq), "
    "i AS (INSERT INTO messages (id, conversation_id, seq, sender_id, client_id, message_type, body, reply_to_id, "
    "metadata, created_at) SELECT CAST(:id AS TEXT), CAST(:c3 AS TEXT), s.last_seq, CAST(:u2 AS TEXT), "
    "CAST(:k AS TEXT), CAST(:ty AS TEXT), CAST(:b AS TEXT), CAST(:r AS TEXT), CAST(:md AS JSONB), "
    "CAST(:t2 AS BIGINT) FROM s RETURNING seq), "
    "r AS (UPDATE conversation_members SET last_read_seq = i.seq FROM i WHERE conversation_members.conversation_id = "
    ":c4 AND conversation_members.user_id = :u3 AND conversation_members.last_read_seq = i.seq - 1) "
    "SELECT i.seq, (SELECT string_agg(m.user_id || ':' || m.viewing_until, ',') FROM conversation_members m WHERE "
    "m.conversation_id = :c5) FROM i";
#undef WP_MESSAGING_NOT_MUTED

// My conversations, latest activity first; the keyset cursor continues after (:a, :cid).
inline constexpr const char* kMine =
    "FROM conversations c JOIN conversation_members me ON me.conversation_id = c.id WHERE me.user_id = :u";
inline constexpr const char* kAfterCursor =
    " AND (c.last_activity_at < :a OR (c.last_activity_at = :a2 AND c.id < :cid))";
inline constexpr const char* kMineOrder = " ORDER BY c.last_activity_at DESC, c.id DESC LIMIT :lim";

// ---------------------------------------------------------------- members

// show_read_receipts defaults to on for users who never set it.
inline const db::Columns<MemberRow> kMember{
    {"m.conversation_id", &MemberRow::conversation_id},
    {"m.user_id", &MemberRow::user_id},
    {"u.username", &MemberRow::username},
    {"m.role", &MemberRow::role},
    {"m.joined_at", &MemberRow::joined_at},
    {"m.last_read_seq", &MemberRow::last_read_seq},
    {"m.viewing_until", &MemberRow::viewing_until},
    {"CASE WHEN ms.show_read_receipts IS NULL OR ms.show_read_receipts THEN 1 ELSE 0 END",
     &MemberRow::show_read_receipts},
};

inline constexpr const char* kMembersFrom =
    "FROM conversation_members m JOIN users u ON u.id = m.user_id LEFT JOIN messaging_settings ms ON ms.user_id = "
    "m.user_id WHERE m.conversation_id = :c";
inline constexpr const char* kMembersOrder = " ORDER BY m.joined_at, u.username_key";
inline constexpr const char* kOneMember = " AND m.user_id = :u";
inline constexpr const char* kFirstJoinedOther = " AND m.user_id <> :u ORDER BY m.joined_at, u.username_key LIMIT 1";

// Whom a new message goes to (read in the send's transaction).
inline const db::Columns<Recipient> kRecipient{{"m.user_id", &Recipient::user_id},
                                               {"m.viewing_until", &Recipient::viewing_until}};
inline constexpr const char* kRecipientsOf = "FROM conversation_members m WHERE m.conversation_id = :c";

inline constexpr const char* kInsertMember =
    "INSERT INTO conversation_members (conversation_id, user_id, role, joined_at, last_read_seq) VALUES (:c, :u, :r, "
    ":t, :s)";
inline constexpr const char* kDeleteMember =
    "DELETE FROM conversation_members WHERE conversation_id = :c AND user_id = :u";
inline constexpr const char* kSetRole =
    "UPDATE conversation_members SET role = :r WHERE conversation_id = :c AND user_id = :u";
// Read state only moves forward.
inline constexpr const char* kMarkRead =
    "UPDATE conversation_members SET last_read_seq = :s WHERE conversation_id = :c AND user_id = :u AND "
    "last_read_seq < :s2";
// A sender who had read everything before their message has read it too.
inline constexpr const char* kReadOwnMessage =
    "UPDATE conversation_members SET last_read_seq = :s WHERE conversation_id = :c AND user_id = :u AND "
    "last_read_seq = :p";
inline constexpr const char* kStopViewing =
    "UPDATE conversation_members SET viewing_until = 0 WHERE user_id = :u AND viewing_until > 0";
inline constexpr const char* kSetViewing =
    "UPDATE conversation_members SET viewing_until = :v WHERE conversation_id = :c AND user_id = :u";

// Unread: messages after my read receipt that others sent, counted from the rows in one statement.
inline constexpr const char* kUnreadIn =
    "SELECT COUNT(*) FROM messages x JOIN conversation_members me ON me.conversation_id = x.conversation_id AND "
    "me.user_id = :u WHERE x.conversation_id = :c AND x.seq > me.last_read_seq AND (x.sender_id IS NULL OR "
    "x.sender_id <> :u2)";
inline constexpr const char* kUnreadTotal =
    "SELECT COUNT(*) FROM messages x JOIN conversation_members me ON me.conversation_id = x.conversation_id WHERE "
    "me.user_id = :u AND x.seq > me.last_read_seq AND (x.sender_id IS NULL OR x.sender_id <> :u2)";
inline constexpr const char* kUnreadConversations =
    "SELECT COUNT(DISTINCT x.conversation_id) FROM messages x JOIN conversation_members me ON me.conversation_id = "
    "x.conversation_id WHERE me.user_id = :u AND x.seq > me.last_read_seq AND (x.sender_id IS NULL OR x.sender_id "
    "<> :u2)";

// ---------------------------------------------------------------- messages

inline const db::Columns<MessageRow> kMessage{
    {"m.id", &MessageRow::id},
    {"m.conversation_id", &MessageRow::conversation_id},
    {"m.seq", &MessageRow::seq},
    {"m.sender_id", &MessageRow::sender_id},
    {"u.username", &MessageRow::sender_username},
    {"m.client_id", &MessageRow::client_id},
    {"m.message_type", &MessageRow::message_type},
    {"m.body", &MessageRow::body},
    {"m.reply_to_id", &MessageRow::reply_to_id},
    {"m.metadata", &MessageRow::metadata},
    {"m.is_edited", &MessageRow::is_edited},
    {"m.edited_at", &MessageRow::edited_at},
    {"m.deleted_at", &MessageRow::deleted_at},
    {"m.created_at", &MessageRow::created_at},
};

inline constexpr const char* kMessageFrom = "FROM messages m LEFT JOIN users u ON u.id = m.sender_id ";
inline constexpr const char* kMessageById = "WHERE m.id = :id";
inline constexpr const char* kMessageByClientId =
    "WHERE m.conversation_id = :c AND m.sender_id = :s AND m.client_id = :k";
inline constexpr const char* kMessagesOf = "WHERE m.conversation_id = :c";
inline constexpr const char* kSeqBefore = " AND m.seq < :s";
inline constexpr const char* kSeqAfter = " AND m.seq > :s";
inline constexpr const char* kBodyLike = " AND LOWER(m.body) LIKE :q ESCAPE '\\'";
inline constexpr const char* kNewestFirst = " ORDER BY m.seq DESC LIMIT :lim";
inline constexpr const char* kOldestFirst = " ORDER BY m.seq ASC LIMIT :lim";

inline constexpr const char* kInsertMessage =
    "INSERT INTO messages (id, conversation_id, seq, sender_id, client_id, message_type, body, reply_to_id, metadata, "
    "created_at) VALUES (:id, :c, :seq, :s, :k, :ty, :b, :r, :md, :t)";
inline constexpr const char* kEditMessage =
    "UPDATE messages SET body = :b, is_edited = TRUE, edited_at = :t WHERE id = :id AND deleted_at IS NULL";
// moderation (#19): hidden like a deletion (attachments and reactions kept), restored from the tombstone.
inline constexpr const char* kHideMessage =
    "UPDATE messages SET body = NULL, metadata = NULL, deleted_at = :t WHERE id = :id AND deleted_at IS NULL";
inline constexpr const char* kRestoreMessage =
    "UPDATE messages SET body = :b, metadata = :m, deleted_at = NULL WHERE id = :id AND deleted_at IS NOT NULL";
inline constexpr const char* kDeleteMessage =
    "UPDATE messages SET body = NULL, metadata = NULL, deleted_at = :t WHERE id = :id AND deleted_at IS NULL";

// ---------------------------------------------------------------- reactions

inline const db::Columns<ReactionCount> kReactionCount{
    {"r.message_id", &ReactionCount::message_id},
    {"r.emoji", &ReactionCount::emoji},
    {"COUNT(*)", &ReactionCount::count},
    {"MAX(CASE WHEN r.user_id = :me THEN 1 ELSE 0 END)", &ReactionCount::me},
};
// The reactions of the messages seq :lo to :hi of a conversation (a page in one query).
inline constexpr const char* kReactionsInRange =
    "FROM message_reactions r JOIN messages m ON m.id = r.message_id WHERE m.conversation_id = :c AND m.seq >= :lo "
    "AND m.seq <= :hi GROUP BY r.message_id, r.emoji ORDER BY r.message_id, MIN(r.created_at), r.emoji";
inline constexpr const char* kInsertReaction =
    "INSERT INTO message_reactions (message_id, user_id, emoji, created_at) VALUES (:m, :u, :e, :t) ON CONFLICT "
    "(message_id, user_id, emoji) DO NOTHING";
inline constexpr const char* kDeleteReaction =
    "DELETE FROM message_reactions WHERE message_id = :m AND user_id = :u AND emoji = :e";
inline constexpr const char* kDeleteReactionsOf = "DELETE FROM message_reactions WHERE message_id = :m";

// ---------------------------------------------------------------- attachments

inline const db::Columns<AttachmentRow> kAttachment{
    {"a.id", &AttachmentRow::id},
    {"a.uploader_id", &AttachmentRow::uploader_id},
    {"a.message_id", &AttachmentRow::message_id},
    {"a.conversation_id", &AttachmentRow::conversation_id},
    {"a.filename", &AttachmentRow::filename},
    {"a.mime_type", &AttachmentRow::mime_type},
    {"a.kind", &AttachmentRow::kind},
    {"a.size", &AttachmentRow::size},
    {"a.has_thumbnail", &AttachmentRow::has_thumbnail},
    {"a.position", &AttachmentRow::position},
    {"a.created_at", &AttachmentRow::created_at},
};

inline constexpr const char* kAttachmentById = "FROM message_attachments a WHERE a.id = :id";
inline constexpr const char* kAttachmentsInRange =
    "FROM message_attachments a JOIN messages m ON m.id = a.message_id WHERE m.conversation_id = :c AND m.seq >= :lo "
    "AND m.seq <= :hi ORDER BY a.message_id, a.position";
inline constexpr const char* kAttachmentsOfMessage =
    "FROM message_attachments a WHERE a.message_id = :m ORDER BY a.position";
inline constexpr const char* kOrphans =
    "FROM message_attachments a WHERE a.message_id IS NULL AND a.created_at < :t ORDER BY a.created_at LIMIT 100";
inline constexpr const char* kInsertAttachment =
    "INSERT INTO message_attachments (id, uploader_id, filename, mime_type, kind, size, has_thumbnail, created_at) "
    "VALUES (:id, :u, :f, :mt, :k, :s, :th, :t)";
// An upload becomes part of one message, once.
inline constexpr const char* kClaimAttachment =
    "UPDATE message_attachments SET message_id = :m, conversation_id = :c, position = :p WHERE id = :id AND "
    "uploader_id = :u AND message_id IS NULL";
inline constexpr const char* kDeleteOrphan = "DELETE FROM message_attachments WHERE id = :id AND message_id IS NULL";
inline constexpr const char* kDeleteAttachmentsOf = "DELETE FROM message_attachments WHERE message_id = :m";

// ---------------------------------------------------------------- settings

struct SettingsRow {
  bool show_read_receipts = true;
};
inline const db::Columns<SettingsRow> kSettings{{"s.show_read_receipts", &SettingsRow::show_read_receipts}};
inline constexpr const char* kSettingsOf = "FROM messaging_settings s WHERE s.user_id = :u";
inline constexpr const char* kUpsertSettings =
    "INSERT INTO messaging_settings (user_id, show_read_receipts) VALUES (:u, :v) ON CONFLICT (user_id) DO UPDATE "
    "SET show_read_receipts = excluded.show_read_receipts";

}  // namespace wp::messaging::sql

// The messaging store's messages, reactions and attachments (the class is in store.hpp).
#include <soci/soci.h>

#include <algorithm>
#include <map>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "db/affected.hpp"
#include "db/columns.hpp"
#include "db/kept.hpp"
#include "db/like.hpp"
#include "db/soci_optional.hpp"
#include "modules/messaging/sql.hpp"
#include "modules/messaging/store.hpp"
#include "modules/messaging/store_detail.hpp"

namespace wp::messaging {

using soci::use;

namespace {

using db::changed;

std::string message_sql(const char* where) { return std::string(sql::kMessageFrom) + where; }

// Gives each message of rows (one conversation) its attachments and reactions: two queries for the page.
void fill(soci::session& s, std::vector<MessageRow>& rows, const std::string& viewer) {
  if (rows.empty()) return;
  long long lo = rows.front().seq, hi = rows.front().seq;
  for (auto& r : rows) {
    lo = std::min<long long>(lo, r.seq);
    hi = std::max<long long>(hi, r.seq);
  }
  const std::string& cid = rows.front().conversation_id;
  std::map<std::string, MessageRow*> by_id;
  for (auto& r : rows) by_id[r.id] = &r;
  for (auto& a : db::select_rows(s, sql::kAttachment, sql::kAttachmentsInRange, db::uses(cid, lo, hi)))
    if (auto it = by_id.find(a.message_id.value_or("")); it != by_id.end()) it->second->attachments.push_back(a);
  for (auto& rc : db::select_rows(s, sql::kReactionCount, sql::kReactionsInRange, db::uses(viewer, cid, lo, hi)))
    if (auto it = by_id.find(rc.message_id); it != by_id.end()) it->second->reactions.push_back(rc);
}

// Claims the sender's uploads for message m, in the order given; the rows as claimed.
std::vector<AttachmentRow> claim_attachments(soci::session& s, const NewMessage& in, const std::string& message_id,
                                             const std::string& conversation_id) {
  std::vector<AttachmentRow> claimed;
  for (std::size_t i = 0; i < in.attachment_ids.size(); ++i) {
    const auto& aid = in.attachment_ids[i];
    auto a = db::select_one(s, sql::kAttachment, sql::kAttachmentById, db::uses(aid));
    if (!a || a->uploader_id != in.sender_id) throw_validation("attachment_ids", "No such upload of yours: " + aid);
    int pos = static_cast<int>(i);
    if (!changed((s.prepare << sql::kClaimAttachment, use(message_id), use(conversation_id), use(pos), use(aid),
                  use(in.sender_id))))
      throw_conflict("The attachment " + aid + " was sent already.");
    a->message_id = message_id;
    a->conversation_id = conversation_id;
    a->position = pos;
    claimed.push_back(std::move(*a));
  }
  return claimed;
}

// The row just stored, from what was written: nothing is read back.
MessageRow stored_row(const NewMessage& in, const std::string& id, long long seq, long long now) {
  MessageRow m;
  m.id = id;
  m.conversation_id = in.conversation_id;
  m.seq = seq;
  if (!in.sender_id.empty()) {
    m.sender_id = in.sender_id;
    m.sender_username = in.sender_username;
  }
  m.client_id = in.client_id;
  m.message_type = in.message_type;
  m.body = in.body;
  m.reply_to_id = in.reply_to_id;
  m.metadata = in.metadata;
  m.created_at = now;
  return m;
}

// What kSendInOneStatement is bound to, kept with it on each session.
struct SendVars {
  long long t = 0, seq = 0;
  std::string conversation_id, sender_id, id, type, members;
  std::optional<std::string> client_id, body, reply_to_id, metadata;
  soci::indicator seq_ind = soci::i_null, members_ind = soci::i_null;
};

// "<user id>:<viewing_until>,..." as kSendInOneStatement aggregates the members.
std::vector<Recipient> parse_recipients(const std::string& text) {
  std::vector<Recipient> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    auto colon = text.rfind(':', end);
    if (colon != std::string::npos && colon > start)
      out.push_back({text.substr(start, colon - start), std::stoll(text.substr(colon + 1, end - colon - 1))});
    start = end + 1;
  }
  return out;
}

}  // namespace

Sent Store::send(const NewMessage& in, std::int64_t now) {
  try {
    return in.attachment_ids.empty() && db_.dialect() == db::Dialect::postgresql ? send_in_one_statement(in, now)
                                                                                 : send_in_transaction(in, now);
  } catch (const Error& e) {
    // A retry, or the same client_id sent at the same instant: the unique
    // key refused this one (the counter rolled back with it), and the first
    // is the answer. Retries are rare, so they are not looked for first.
    if (e.code() != ErrorCode::conflict || !in.client_id) throw;
    if (auto first = by_client_id(in.conversation_id, in.sender_id, *in.client_id)) return Sent{*first, false, {}};
    throw;
  }
}

Sent Store::send_in_one_statement(const NewMessage& in, std::int64_t now) {
  long long seq = 0;
  std::string id = new_uuid_v7(), members;
  bool has_members = false;
  db_.with([&](soci::session& s) {
    // Every send runs it: kept prepared on the session (db/kept.hpp), bound to SendVars once.
    auto& k = db::kept_statement<SendVars>(db_, s, send_key_, sql::kSendInOneStatement, [](soci::statement& st,
                                                                                             SendVars& v) {
      st.exchange(soci::into(v.seq, v.seq_ind));
      st.exchange(soci::into(v.members, v.members_ind));
      st.exchange(use(v.t));
      st.exchange(use(v.conversation_id));  // :c
      st.exchange(use(v.conversation_id));  // :c2
      st.exchange(use(v.sender_id));        // :u
      st.exchange(use(v.sender_id));        // :mu
      st.exchange(use(v.t));                // :mt
      st.exchange(use(v.id));
      st.exchange(use(v.conversation_id));  // :c3
      st.exchange(use(v.sender_id));        // :u2
      st.exchange(use(v.client_id));
      st.exchange(use(v.type));
      st.exchange(use(v.body));
      st.exchange(use(v.reply_to_id));
      st.exchange(use(v.metadata));
      st.exchange(use(v.t));                // :t2
      st.exchange(use(v.conversation_id));  // :c4
      st.exchange(use(v.sender_id));        // :u3
      st.exchange(use(v.conversation_id));  // :c5
    });
    auto& v = k.vars;
    v.t = now;
    v.conversation_id = in.conversation_id;
    v.sender_id = in.sender_id;
    v.id = id;
    v.client_id = in.client_id;
    v.type = to_string(in.message_type);
    v.body = in.body;
    v.reply_to_id = in.reply_to_id;
    v.metadata = in.metadata;
    v.seq_ind = v.members_ind = soci::i_null;
    if (!db::run_kept(db_, s, send_key_, k) || v.seq_ind != soci::i_ok)
      throw_not_found("No such conversation.");
    seq = v.seq;
    has_members = v.members_ind == soci::i_ok;
    if (has_members) members = v.members;
  });
  Sent sent{stored_row(in, id, seq, now), true, {}};
  if (has_members) sent.recipients = parse_recipients(members);
  return sent;
}

Sent Store::send_in_transaction(const NewMessage& in, std::int64_t now) {
  long long t = now;
  // Short on purpose: the conversation row is locked from the counter's
  // UPDATE to the commit, and every send of the conversation waits for it.
  return db_.tx([&](soci::session& s) {
    long long seq = 0;
    s << sql::kNextSeqForMember, soci::into(seq), use(t), use(in.conversation_id), use(in.conversation_id),
        use(in.sender_id), use(in.sender_id), use(t);
    if (!s.got_data()) throw_not_found("No such conversation.");
    auto mid = detail::insert_message(s, in, seq, t);
    Sent sent{stored_row(in, mid, seq, t), true, {}};
    sent.message.attachments = claim_attachments(s, in, mid, in.conversation_id);
    sent.recipients = db::select_rows(s, sql::kRecipient, sql::kRecipientsOf, db::uses(in.conversation_id));
    return sent;
  });
}

std::optional<MessageRow> Store::message(const std::string& id, const std::string& viewer) {
  return db_.with([&](soci::session& s) -> std::optional<MessageRow> {
    auto m = db::select_one(s, sql::kMessage, message_sql(sql::kMessageById), db::uses(id));
    if (!m) return std::nullopt;
    std::vector<MessageRow> one{*m};
    fill(s, one, viewer);
    return one.front();
  });
}

std::optional<MessageRow> Store::by_client_id(const std::string& conversation_id, const std::string& sender,
                                              const std::string& client_id) {
  return db_.with([&](soci::session& s) -> std::optional<MessageRow> {
    auto m = db::select_one(s, sql::kMessage, message_sql(sql::kMessageByClientId),
                            db::uses(conversation_id, sender, client_id));
    if (!m) return std::nullopt;
    std::vector<MessageRow> one{*m};
    fill(s, one, sender);
    return one.front();
  });
}

MessagePage Store::messages(const std::string& conversation_id, const MessageQuery& q, const std::string& viewer) {
  std::string rest = message_sql(sql::kMessagesOf);
  if (q.direction == Direction::before) rest += sql::kSeqBefore;
  if (q.direction == Direction::after) rest += sql::kSeqAfter;
  std::optional<std::string> like;
  if (q.text) {
    like = db::like_pattern(*q.text);
    rest += sql::kBodyLike;
  }
  rest += q.direction == Direction::after ? sql::kOldestFirst : sql::kNewestFirst;
  long long seq = q.seq;
  int fetch = q.limit + 1;  // one more says whether there are more
  return db_.with([&](soci::session& s) {
    MessagePage page;
    page.rows = db::select_rows(s, sql::kMessage, rest, [&](soci::statement& st) {
      st.exchange(use(conversation_id));
      if (q.direction != Direction::newest) st.exchange(use(seq));
      if (like) st.exchange(use(*like));
      st.exchange(use(fetch));
    });
    page.has_more = static_cast<int>(page.rows.size()) > q.limit;
    if (page.has_more) page.rows.pop_back();
    if (q.direction != Direction::after) std::reverse(page.rows.begin(), page.rows.end());
    fill(s, page.rows, viewer);
    return page;
  });
}

std::vector<MessageRow> Store::messages_after(const std::string& conversation_id, std::int64_t seq, int limit,
                                              const std::string& viewer) {
  MessageQuery q;
  q.direction = Direction::after;
  q.seq = seq;
  q.limit = limit;
  return messages(conversation_id, q, viewer).rows;
}

bool Store::edit(const std::string& message_id, const std::string& body, std::int64_t now) {
  long long t = now;
  return db_.with(
      [&](soci::session& s) { return changed((s.prepare << sql::kEditMessage, use(body), use(t), use(message_id))); });
}

bool Store::hide_message(const std::string& id, std::int64_t now) {
  long long t = now;
  return db_.with([&](soci::session& s) { return changed((s.prepare << sql::kHideMessage, use(t), use(id))); });
}

bool Store::restore_message(const std::string& id, const std::optional<std::string>& body,
                            const std::optional<std::string>& metadata) {
  return db_.with(
      [&](soci::session& s) { return changed((s.prepare << sql::kRestoreMessage, use(body), use(metadata), use(id))); });
}

std::vector<AttachmentRow> Store::soft_delete(const std::string& message_id, std::int64_t now) {
  long long t = now;
  return db_.tx([&](soci::session& s) {
    std::vector<AttachmentRow> gone;
    if (!changed((s.prepare << sql::kDeleteMessage, use(t), use(message_id)))) return gone;
    gone = db::select_rows(s, sql::kAttachment, sql::kAttachmentsOfMessage, db::uses(message_id));
    s << sql::kDeleteAttachmentsOf, use(message_id);
    s << sql::kDeleteReactionsOf, use(message_id);
    return gone;
  });
}

bool Store::toggle_reaction(const std::string& message_id, const std::string& user_id, Emoji emoji,
                            std::int64_t now) {
  std::string e(to_string(emoji));
  long long t = now;
  return db_.tx([&](soci::session& s) {
    if (changed((s.prepare << sql::kDeleteReaction, use(message_id), use(user_id), use(e)))) return false;
    s << sql::kInsertReaction, use(message_id), use(user_id), use(e), use(t);
    return true;
  });
}

std::vector<ReactionCount> Store::reactions(const MessageRow& m, const std::string& viewer) {
  long long seq = m.seq;
  return db_.with([&](soci::session& s) {
    return db::select_rows(s, sql::kReactionCount, sql::kReactionsInRange, db::uses(viewer, m.conversation_id, seq, seq));
  });
}

// ---------------------------------------------------------------- attachments

void Store::insert_attachment(const AttachmentRow& a) {
  std::string kind(to_string(a.kind));
  long long size = a.size, t = a.created_at;
  int thumb = a.has_thumbnail ? 1 : 0;
  db_.with([&](soci::session& s) {
    s << sql::kInsertAttachment, use(a.id), use(a.uploader_id), use(a.filename), use(a.mime_type), use(kind),
        use(size), use(thumb), use(t);
  });
}

std::optional<AttachmentRow> Store::attachment(const std::string& id) {
  return db_.with(
      [&](soci::session& s) { return db::select_one(s, sql::kAttachment, sql::kAttachmentById, db::uses(id)); });
}

std::vector<AttachmentRow> Store::orphans(std::int64_t created_before) {
  long long t = created_before;
  return db_.with([&](soci::session& s) { return db::select_rows(s, sql::kAttachment, sql::kOrphans, db::uses(t)); });
}

bool Store::delete_orphan(const std::string& id) {
  return db_.with([&](soci::session& s) { return changed((s.prepare << sql::kDeleteOrphan, use(id))); });
}

}  // namespace wp::messaging

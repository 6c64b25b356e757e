// The messaging store's messages, reactions and attachments (the class is in store.hpp).
#include <soci/soci.h>

#include <algorithm>
#include <map>

#include "core/error.hpp"
#include "db/affected.hpp"
#include "db/columns.hpp"
#include "db/like.hpp"
#include "db/soci_optional.hpp"
#include "modules/messaging/sql.hpp"
#include "modules/messaging/store.hpp"
#include "modules/messaging/store_detail.hpp"

namespace wp::messaging {

using soci::use;

namespace {

bool changed(soci::statement st) { return db::execute_counting(st) > 0; }

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

// Claims the sender's uploads for message m, in the order given.
void claim_attachments(soci::session& s, const NewMessage& in, const std::string& message_id,
                       const std::string& conversation_id) {
  for (std::size_t i = 0; i < in.attachment_ids.size(); ++i) {
    const auto& aid = in.attachment_ids[i];
    auto a = db::select_one(s, sql::kAttachment, sql::kAttachmentById, db::uses(aid));
    if (!a || a->uploader_id != in.sender_id) throw_validation("attachment_ids", "No such upload of yours: " + aid);
    int pos = static_cast<int>(i);
    if (!changed((s.prepare << sql::kClaimAttachment, use(message_id), use(conversation_id), use(pos), use(aid),
                  use(in.sender_id))))
      throw_conflict("The attachment " + aid + " was sent already.");
  }
}

}  // namespace

Sent Store::send(const NewMessage& in, std::int64_t now) {
  // A retry finds its message without touching the conversation row.
  if (in.client_id)
    if (auto first = by_client_id(in.conversation_id, in.sender_id, *in.client_id)) return Sent{*first, false};
  long long t = now;
  std::string id;
  try {
    // Short on purpose: the conversation row is locked from the counter's
    // UPDATE to the commit, and every send of the conversation waits for it.
    id = db_.tx([&](soci::session& s) {
      long long seq = 0;
      s << sql::kNextSeqForMember, soci::into(seq), use(t), use(in.conversation_id), use(in.conversation_id),
          use(in.sender_id);
      if (!s.got_data()) throw_not_found("No such conversation.");
      auto mid = detail::insert_message(s, in, seq, t);
      claim_attachments(s, in, mid, in.conversation_id);
      return mid;
    });
  } catch (const Error& e) {
    // The same client_id sent at the same instant: the unique key made this
    // one wait for the first and fail; the first is the answer.
    if (e.code() != ErrorCode::conflict || !in.client_id) throw;
    if (auto first = by_client_id(in.conversation_id, in.sender_id, *in.client_id)) return Sent{*first, false};
    throw;
  }
  auto m = message(id, in.sender_id);
  if (!m) throw Error(ErrorCode::internal, "a message just stored is missing");
  return Sent{*m, true};
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

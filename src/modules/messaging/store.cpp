#include "modules/messaging/store.hpp"

#include <soci/soci.h>

#include <boost/json.hpp>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "db/affected.hpp"
#include "db/columns.hpp"
#include "db/soci_optional.hpp"
#include "modules/messaging/sql.hpp"
#include "modules/messaging/store_detail.hpp"

namespace wp::messaging {

using soci::into;
using soci::use;

namespace detail {

std::string insert_message(soci::session& s, const NewMessage& m, long long seq, long long now) {
  std::string id = new_uuid_v7();
  std::string type(to_string(m.message_type));
  std::optional<std::string> sender;
  if (!m.sender_id.empty()) sender = m.sender_id;
  s << sql::kInsertMessage, use(id), use(m.conversation_id), use(seq), use(sender), use(m.client_id), use(type),
      use(m.body), use(m.reply_to_id), use(m.metadata), use(now);
  if (sender) {
    long long before = seq - 1;
    s << sql::kReadOwnMessage, use(seq), use(m.conversation_id), use(*sender), use(before);
  }
  return id;
}

MessageRow append(soci::session& s, const NewMessage& m, long long now) {
  long long seq = 0;
  s << sql::kNextSeq, into(seq), use(now), use(m.conversation_id);
  auto id = insert_message(s, m, seq, now);
  auto row = db::select_one(s, sql::kMessage, std::string(sql::kMessageFrom) + sql::kMessageById, db::uses(id));
  if (!row) throw Error(ErrorCode::internal, "a message just stored is missing");
  return *row;
}

NewMessage system_message(const std::string& conversation_id, const std::string& actor, SystemEvent event,
                          const std::string& user_id, const std::string& title) {
  boost::json::object md{{"event", to_string(event)}};
  if (!user_id.empty()) md["user_id"] = user_id;
  if (event == SystemEvent::title_changed) md["title"] = title;
  NewMessage m;
  m.conversation_id = conversation_id;
  m.sender_id = actor;
  m.message_type = MessageType::system;
  m.metadata = boost::json::serialize(md);
  return m;
}

ConversationRow lock_conversation(soci::session& s, const std::string& id, bool postgresql) {
  std::string rest = sql::kConversationById;
  if (postgresql) rest += sql::kForUpdate;
  auto row = db::select_one(s, sql::kConversation, rest, db::uses(id));
  if (!row) throw_not_found("No such conversation.");
  return *row;
}

}  // namespace detail

namespace {

using db::changed;

std::optional<MemberRow> member_row(soci::session& s, const std::string& cid, const std::string& uid) {
  return db::select_one(s, sql::kMember, std::string(sql::kMembersFrom) + sql::kOneMember, db::uses(cid, uid));
}

void insert_member(soci::session& s, const std::string& cid, const std::string& uid, MemberRole role, long long t,
                   long long read_seq) {
  std::string r(to_string(role));
  s << sql::kInsertMember, use(cid), use(uid), use(r), use(t), use(read_seq);
}

}  // namespace

std::optional<std::string> Store::active_username(const std::string& user_id) {
  auto u = db_.with([&](soci::session& s) { return db::select_one(s, sql::kUser, sql::kActiveUser, db::uses(user_id)); });
  if (!u) return std::nullopt;
  return u->username;
}

// ---------------------------------------------------------------- conversations

std::optional<ConversationRow> Store::conversation(const std::string& id) {
  return db_.with(
      [&](soci::session& s) { return db::select_one(s, sql::kConversation, sql::kConversationById, db::uses(id)); });
}

ConversationRow Store::open_direct(const std::string& a, const std::string& b, std::int64_t now, bool& created) {
  std::string key = direct_key(a, b);
  long long t = now;
  return db_.tx([&](soci::session& s) {
    std::string id = new_uuid();
    // On PostgreSQL a conflicting insert waits for the other transaction;
    // the read below then sees its committed row.
    created = changed((s.prepare << sql::kInsertDirect, use(id), use(key), use(t), use(t)));
    if (created) {
      insert_member(s, id, a, MemberRole::member, t, 0);
      insert_member(s, id, b, MemberRole::member, t, 0);
    }
    auto row = db::select_one(s, sql::kConversation, sql::kDirectByKey, db::uses(key));
    if (!row) throw Error(ErrorCode::unavailable, "The conversation changed meanwhile; try again.");
    return *row;
  });
}

ConversationRow Store::create_group(const std::string& owner, const std::string& title, AddMembers add,
                                    const std::vector<std::string>& others, std::int64_t now) {
  long long t = now;
  int n = static_cast<int>(others.size()) + 1;
  std::string id = new_uuid(), am(to_string(add));
  return db_.tx([&](soci::session& s) {
    s << sql::kInsertGroup, use(id), use(title), use(owner), use(am), use(n), use(t), use(t);
    insert_member(s, id, owner, MemberRole::owner, t, 0);
    for (auto& u : others) insert_member(s, id, u, MemberRole::member, t, 0);
    return *db::select_one(s, sql::kConversation, sql::kConversationById, db::uses(id));
  });
}

std::optional<MessageRow> Store::update_group(const std::string& id, const std::string& title, AddMembers add,
                                              const std::string& actor, bool title_changed, std::int64_t now) {
  std::string am(to_string(add));
  bool pg = db_.dialect() == db::Dialect::postgresql;
  return db_.tx([&](soci::session& s) -> std::optional<MessageRow> {
    detail::lock_conversation(s, id, pg);
    s << sql::kUpdateGroup, use(title), use(am), use(id);
    if (!title_changed) return std::nullopt;
    return detail::append(s, detail::system_message(id, actor, SystemEvent::title_changed, "", title), now);
  });
}

MessageRow Store::add_member(const std::string& id, const std::string& user_id, const std::string& actor,
                             int max_members, std::int64_t now) {
  bool pg = db_.dialect() == db::Dialect::postgresql;
  return db_.tx([&](soci::session& s) {
    auto c = detail::lock_conversation(s, id, pg);
    if (member_row(s, id, user_id)) throw_conflict("Already a member.");
    if (c.member_count >= max_members) throw_conflict("The conversation is full.");
    auto msg = detail::append(s, detail::system_message(id, actor, SystemEvent::member_added, user_id, ""), now);
    // The newcomer starts with everything so far read.
    insert_member(s, id, user_id, MemberRole::member, now, msg.seq);
    int one = 1;
    s << sql::kMoveMemberCount, use(one), use(id);
    return msg;
  });
}

MemberChange Store::remove_member(const std::string& id, const std::string& user_id, const std::string& actor,
                                  SystemEvent event, std::int64_t now) {
  bool pg = db_.dialect() == db::Dialect::postgresql;
  return db_.tx([&](soci::session& s) {
    detail::lock_conversation(s, id, pg);
    auto gone = member_row(s, id, user_id);
    if (!gone) throw_not_found("Not a member.");
    MemberChange out;
    if (gone->role == MemberRole::owner) {
      auto heir = db::select_one(s, sql::kMember, std::string(sql::kMembersFrom) + sql::kFirstJoinedOther,
                                 db::uses(id, user_id));
      std::optional<std::string> owner;
      if (heir) {
        owner = heir->user_id;
        std::string r(to_string(MemberRole::owner));
        s << sql::kSetRole, use(r), use(id), use(heir->user_id);
      }
      s << sql::kSetOwner, use(owner), use(id);
      out.new_owner = owner;
    }
    s << sql::kDeleteMember, use(id), use(user_id);
    int minus = -1;
    s << sql::kMoveMemberCount, use(minus), use(id);
    out.system = detail::append(s, detail::system_message(id, actor, event, user_id, ""), now);
    return out;
  });
}

std::vector<ConversationRow> Store::conversations_of(const std::string& user_id,
                                                     const std::optional<ConversationCursor>& after, int limit) {
  return db_.with([&](soci::session& s) {
    std::string rest = sql::kMine;
    long long a = after ? after->last_activity_at : 0;
    if (after) rest += sql::kAfterCursor;
    rest += sql::kMineOrder;
    return db::select_rows(s, sql::kConversation, rest, [&](soci::statement& st) {
      st.exchange(use(user_id));
      if (after) {
        st.exchange(use(a));
        st.exchange(use(a));
        st.exchange(use(after->id));
      }
      st.exchange(use(limit));
    });
  });
}

std::vector<MemberRow> Store::members(const std::string& conversation_id) {
  return db_.with([&](soci::session& s) {
    return db::select_rows(s, sql::kMember, std::string(sql::kMembersFrom) + sql::kMembersOrder,
                           db::uses(conversation_id));
  });
}

std::optional<MemberRow> Store::member(const std::string& conversation_id, const std::string& user_id) {
  return db_.with([&](soci::session& s) { return member_row(s, conversation_id, user_id); });
}

// ---------------------------------------------------------------- read state

bool Store::mark_read(const std::string& conversation_id, const std::string& user_id, std::int64_t seq) {
  long long v = seq;
  return db_.with([&](soci::session& s) {
    return changed((s.prepare << sql::kMarkRead, use(v), use(conversation_id), use(user_id), use(v)));
  });
}

std::int64_t Store::unread(const std::string& conversation_id, const std::string& user_id) {
  return db_.with([&](soci::session& s) {
    return db::fetch_count(s, sql::kUnreadIn, db::uses(user_id, conversation_id, user_id));
  });
}

UnreadTotal Store::unread_total(const std::string& user_id) {
  return db_.with([&](soci::session& s) {
    UnreadTotal t;
    t.total = db::fetch_count(s, sql::kUnreadTotal, db::uses(user_id, user_id));
    t.conversations = db::fetch_count(s, sql::kUnreadConversations, db::uses(user_id, user_id));
    return t;
  });
}

void Store::set_viewing(const std::string& user_id, const std::optional<std::string>& conversation_id,
                        std::int64_t until) {
  long long v = until;
  db_.tx([&](soci::session& s) {
    s << sql::kStopViewing, use(user_id);
    if (conversation_id) s << sql::kSetViewing, use(v), use(*conversation_id), use(user_id);
  });
}

bool Store::show_read_receipts(const std::string& user_id) {
  auto row = db_.with(
      [&](soci::session& s) { return db::select_one(s, sql::kSettings, sql::kSettingsOf, db::uses(user_id)); });
  return !row || row->show_read_receipts;
}

void Store::set_show_read_receipts(const std::string& user_id, bool show) {
  int v = show ? 1 : 0;
  db_.with([&](soci::session& s) { s << sql::kUpsertSettings, use(user_id), use(v); });
}

}  // namespace wp::messaging

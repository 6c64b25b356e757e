#include "modules/notifications/store.hpp"

#include <soci/soci.h>

#include <algorithm>

#include "core/ids.hpp"
#include "db/affected.hpp"
#include "db/columns.hpp"
#include "db/soci_optional.hpp"
#include "modules/notifications/sql.hpp"

namespace wp::notifications {

using soci::into;
using soci::use;

namespace {

long long changed(soci::statement st) { return db::execute_counting(st); }

// Bumps the user's counter, then counts: called last in every transaction
// that changes the user's rows, so a higher version never shows an older count.
bool claim_key_in(soci::session& s, const std::string& user_id, const std::string& key, std::int64_t now) {
  long long t = now;
  return changed((s.prepare << sql::kClaimKey, use(user_id), use(key), use(t))) == 1;
}

UnreadCount bump_and_count(soci::session& s, const std::string& user_id) {
  s << sql::kBumpCounter, use(user_id);
  UnreadCount u;
  s << sql::kCounterVersion, into(u.version), use(user_id);
  u.count = db::fetch_count(s, sql::kUnreadCount, db::uses(user_id));
  return u;
}

void insert_row(soci::session& s, const NotificationRow& r, const char* statement, const std::optional<std::string>& slot,
                long long& inserted) {
  std::string type(to_string(r.type));
  long long c = r.created_at, up = r.updated_at;
  inserted = changed((s.prepare << statement, use(r.id), use(r.user_id), use(type), use(r.title), use(r.message),
                      use(r.data), use(r.group_key), use(slot), use(r.actor_id), use(c), use(up)));
}

std::string list_rest(const ListFilter& f, bool paged) {
  std::string rest = sql::kListFrom;
  if (f.unread_only) rest += *f.unread_only ? sql::kUnreadFilter : sql::kReadFilter;
  if (f.type) rest += sql::kTypeFilter;
  if (paged) rest += sql::kNewestFirst;
  return rest;
}

auto list_params(const std::string& user_id, const ListFilter& f, const std::string& type, bool paged) {
  return [&, paged](soci::statement& st) {
    st.exchange(use(user_id));
    if (f.type) st.exchange(use(type));
    if (paged) {
      st.exchange(use(f.limit));
      st.exchange(use(f.offset));
    }
  };
}

}  // namespace

// ---------------------------------------------------------------- in-app rows

Stored Store::insert(const NotificationRow& row, std::int64_t since, const Regroup& regroup,
                     const std::string& dedupe_key) {
  bool pg = db_.dialect() == db::Dialect::postgresql;
  return db_.tx([&](soci::session& s) {
    Stored out{row, false, false, {}};
    if (!dedupe_key.empty() && !claim_key_in(s, row.user_id, dedupe_key, row.created_at)) {
      out.duplicate = true;
      return out;
    }
    long long inserted = 0;
    if (row.group_key.empty()) {
      insert_row(s, row, sql::kInsert, std::nullopt, inserted);
      out.unread = bump_and_count(s, row.user_id);
      return out;
    }
    std::string type(to_string(row.type));
    long long since_ms = since;
    s << sql::kCloseStaleGroup, use(row.user_id), use(type), use(row.group_key), use(since_ms);
    // Another transaction may insert the group's row between our read and
    // our insert: its conflict sends us back to read that row.
    for (int round = 0; round < 3; ++round) {
      std::string rest = sql::kOpenGroup;
      if (pg) rest += sql::kForUpdate;
      if (auto open = db::select_one(s, sql::kNotification, rest, db::uses(row.user_id, type, row.group_key))) {
        NotificationRow g = *open;
        g.group_count += 1;
        g.data = row.data;
        g.actor_id = row.actor_id;
        g.updated_at = row.updated_at;
        regroup(g);
        long long up = g.updated_at;
        s << sql::kUpdateGroup, use(g.title), use(g.message), use(g.data), use(g.group_count), use(g.actor_id),
            use(up), use(g.id);
        out.row = g;
        out.grouped = true;
        out.unread = bump_and_count(s, row.user_id);
        return out;
      }
      insert_row(s, row, sql::kInsertGrouped, row.group_key, inserted);
      if (inserted > 0) {
        out.unread = bump_and_count(s, row.user_id);
        return out;
      }
    }
    throw Error(ErrorCode::unavailable, "The notification group changed meanwhile; try again.");
  });
}

std::map<std::string, UnreadCount> Store::insert_many(const std::vector<NotificationRow>& rows) {
  // Statements of at most kChunk rows: well under both drivers' parameter limits.
  constexpr std::size_t kChunk = 100;
  return db_.tx([&](soci::session& s) {
    std::map<std::string, UnreadCount> out;
    for (std::size_t from = 0; from < rows.size(); from += kChunk) {
      std::size_t to = std::min(rows.size(), from + kChunk);
      db::NamedParams values, users;
      std::string insert = sql::kInsertManyHead, bump = sql::kBumpManyHead, in = "(";
      for (std::size_t i = from; i < to; ++i) {
        const auto& r = rows[i];
        auto n = std::to_string(i - from);
        for (auto [name, value] : {std::pair{"i", &r.id}, {"u", &r.user_id}, {"ti", &r.title}, {"m", &r.message},
                                   {"d", &r.data}})
          values.add(name + n, *value);
        values.add("t" + n, std::string(to_string(r.type)));
        std::string actor = "NULL";
        if (r.actor_id) {
          values.add("a" + n, *r.actor_id);
          actor = ":a" + n;
        }
        auto at = std::to_string(r.created_at);
        insert += (i > from ? ", (" : "(") + (":i" + n) + ", :u" + n + ", :t" + n + ", :ti" + n + ", :m" + n + ", :d" +
                  n + ", '', NULL, 1, " + actor + ", FALSE, NULL, " + at + ", " + at + ")";
        users.add("b" + n, r.user_id);
        bump += (i > from ? ", (:b" : "(:b") + n + ", 1)";
        in += (i > from ? ", :b" : ":b") + n;
      }
      soci::statement ins(s);
      values.bind(ins);
      ins.alloc();
      ins.prepare(insert);
      ins.define_and_bind();
      ins.execute(true);
      // The counters are taken before the counts are read (see bump_and_count).
      soci::statement bumped(s);
      users.bind(bumped);
      bumped.alloc();
      bumped.prepare(bump + sql::kBumpManyTail);
      bumped.define_and_bind();
      bumped.execute(true);
      for (auto& u : db::select_rows(s, sql::kUserUnread, sql::kUnreadOfMany + in + ")",
                                     [&](soci::statement& st) { users.bind(st); }))
        out[u.user_id] = UnreadCount{u.count, u.version};
    }
    return out;
  });
}

std::optional<NotificationRow> Store::get(const std::string& user_id, const std::string& id) {
  return db_.with(
      [&](soci::session& s) { return db::select_one(s, sql::kNotification, sql::kById, db::uses(id, user_id)); });
}

std::vector<NotificationRow> Store::list(const std::string& user_id, const ListFilter& f) {
  std::string type = f.type ? std::string(to_string(*f.type)) : "";
  return db_.with([&](soci::session& s) {
    return db::select_rows(s, sql::kNotification, list_rest(f, true), list_params(user_id, f, type, true));
  });
}

long long Store::count(const std::string& user_id, const ListFilter& f) {
  std::string type = f.type ? std::string(to_string(*f.type)) : "";
  return db_.with([&](soci::session& s) {
    return db::fetch_count(s, sql::kCount + list_rest(f, false), list_params(user_id, f, type, false));
  });
}

UnreadCount Store::unread(const std::string& user_id) {
  return db_.with([&](soci::session& s) {
    UnreadCount u;
    soci::indicator ind = soci::i_null;
    s << sql::kCounterVersion, into(u.version, ind), use(user_id);
    if (!s.got_data() || ind == soci::i_null) u.version = 0;
    u.count = db::fetch_count(s, sql::kUnreadCount, db::uses(user_id));
    return u;
  });
}

std::optional<UnreadCount> Store::mark_read(const std::string& user_id, const std::string& id, std::int64_t now,
                                            bool& did) {
  return db_.tx([&](soci::session& s) -> std::optional<UnreadCount> {
    long long t = now;
    did = changed((s.prepare << sql::kMarkRead, use(t), use(id), use(user_id))) > 0;
    if (!did) {
      if (!db::select_one(s, sql::kNotification, sql::kById, db::uses(id, user_id))) return std::nullopt;
      return UnreadCount{-1, -1};
    }
    return bump_and_count(s, user_id);
  });
}

UnreadCount Store::mark_all_read(const std::string& user_id, std::int64_t now, long long& did) {
  return db_.tx([&](soci::session& s) {
    long long t = now;
    did = changed((s.prepare << sql::kMarkAllRead, use(t), use(user_id)));
    return bump_and_count(s, user_id);
  });
}

std::optional<UnreadCount> Store::remove(const std::string& user_id, const std::string& id) {
  return db_.tx([&](soci::session& s) -> std::optional<UnreadCount> {
    if (changed((s.prepare << sql::kDelete, use(id), use(user_id))) == 0) return std::nullopt;
    return bump_and_count(s, user_id);
  });
}

bool Store::claim_key(const std::string& user_id, const std::string& dedupe_key, std::int64_t now) {
  return db_.with([&](soci::session& s) { return claim_key_in(s, user_id, dedupe_key, now); });
}

long long Store::delete_older_than(std::int64_t cutoff) {
  long long c = cutoff;
  return db_.with([&](soci::session& s) {
    s << sql::kDeleteKeysOlderThan, use(c);
    return changed((s.prepare << sql::kDeleteOlderThan, use(c)));
  });
}

// ---------------------------------------------------------------- preferences

std::vector<PreferenceRow> Store::preferences(const std::string& user_id) {
  return db_.with(
      [&](soci::session& s) { return db::select_rows(s, sql::kPreference, sql::kPreferencesOf, db::uses(user_id)); });
}

void Store::set_preferences(const std::string& user_id, const std::vector<PreferenceRow>& changes, std::int64_t now) {
  update_preferences(user_id, changes, {}, now);
}

void Store::update_preferences(const std::string& user_id, const std::vector<PreferenceRow>& changes,
                               const std::function<void(SettingsRow&)>& edit, std::int64_t now) {
  db_.tx([&](soci::session& s) {
    long long t = now;
    for (auto& p : changes) {
      std::string type(to_string(p.type)), channel(to_string(p.channel));
      int enabled = p.enabled;
      s << sql::kUpsertPreference, use(user_id), use(type), use(channel), use(enabled), use(t);
    }
    if (!edit) return;
    // Read, edit, write back: on PostgreSQL the row is locked first (made if missing, so that there is
    // one to lock), or two PATCHes changing different fields would each write back the other's old value.
    std::string rest = sql::kSettingsOf;
    if (db_.dialect() == db::Dialect::postgresql) {
      s << sql::kEnsureSettings, use(user_id), use(t);
      rest += sql::kForUpdate;
    }
    auto v = db::select_one(s, sql::kSettings, rest, db::uses(user_id)).value_or(SettingsRow{});
    edit(v);
    int muted = v.muted;
    std::string mode(to_string(v.digest_mode));
    s << sql::kUpsertSettings, use(user_id), use(muted), use(mode), use(v.quiet_start), use(v.quiet_end), use(t);
  });
}

std::optional<SettingsRow> Store::settings(const std::string& user_id) {
  return db_.with(
      [&](soci::session& s) { return db::select_one(s, sql::kSettings, sql::kSettingsOf, db::uses(user_id)); });
}

void Store::set_digest_mode(const std::string& user_id, DigestMode mode, std::int64_t now) {
  db_.with([&](soci::session& s) {
    std::string m(to_string(mode));
    long long t = now;
    s << sql::kSetDigestMode, use(user_id), use(m), use(t);
  });
}

std::map<std::string, std::map<Channel, bool>> Store::overrides_for(Type type) {
  std::string t(to_string(type));
  auto rows = db_.with(
      [&](soci::session& s) { return db::select_rows(s, sql::kOverride, sql::kTypeOverrides, db::uses(t)); });
  std::map<std::string, std::map<Channel, bool>> out;
  for (auto& r : rows) out[r.user_id][r.channel] = r.enabled;
  return out;
}

std::map<std::string, SettingsRow> Store::all_settings() {
  auto rows = db_.with([&](soci::session& s) { return db::select_rows(s, sql::kSettings, sql::kAllSettings, [](soci::statement&) {}); });
  std::map<std::string, SettingsRow> out;
  for (auto& r : rows) out[r.user_id] = r;
  return out;
}

// ---------------------------------------------------------------- email outbox

void Store::enqueue_email(const EmailRow& e) {
  db_.with([&](soci::session& s) {
    long long na = e.next_attempt_at, c = e.created_at;
    s << sql::kInsertEmail, use(e.id), use(e.user_id), use(e.notification_id), use(e.type), use(e.to_address),
        use(e.subject), use(e.body_text), use(e.body_html), use(e.unsubscribe_url), use(e.max_attempts), use(na),
        use(c), use(c);
  });
}

std::optional<EmailRow> Store::email(const std::string& id) {
  return db_.with([&](soci::session& s) { return db::select_one(s, sql::kEmail, sql::kEmailById, db::uses(id)); });
}

std::vector<EmailRow> Store::emails_of(const std::string& user_id) {
  return db_.with([&](soci::session& s) { return db::select_rows(s, sql::kEmail, sql::kEmailsOf, db::uses(user_id)); });
}

std::optional<EmailRow> Store::claim_email(const std::string& worker_id, std::int64_t now, std::int64_t lease_ms) {
  return db_.tx([&](soci::session& s) -> std::optional<EmailRow> {
    long long t = now, stale = now - lease_ms;
    const std::string reason = "the worker stopped answering (lease expired) on the last attempt";
    s << sql::kFailSpentEmails, use(reason), use(t), use(stale);
    std::string id;
    soci::indicator ind = soci::i_null;
    std::string due = sql::kDueEmail;
    if (db_.dialect() == db::Dialect::postgresql) due += sql::kSkipLocked;
    s << due, into(id, ind), use(t), use(stale);
    if (ind == soci::i_null || !s.got_data()) return std::nullopt;
    s << sql::kStartEmail, use(worker_id), use(t), use(t), use(id);
    return db::select_one(s, sql::kEmail, sql::kEmailById, db::uses(id));
  });
}

bool Store::email_sent(const std::string& id, const std::string& worker_id, std::int64_t now) {
  return db_.with([&](soci::session& s) {
    long long t = now;
    return changed((s.prepare << sql::kEmailSent, use(t), use(t), use(id), use(worker_id))) > 0;
  });
}

void Store::email_failed(const std::string& id, const std::string& worker_id, const std::string& error,
                         std::optional<std::int64_t> retry_at, std::int64_t now) {
  db_.with([&](soci::session& s) {
    long long t = now;
    if (retry_at) {
      long long n = *retry_at;
      s << sql::kRetryEmail, use(n), use(error), use(t), use(id), use(worker_id);
    } else {
      s << sql::kFailEmail, use(error), use(t), use(id), use(worker_id);
    }
  });
}

void Store::release_email(const std::string& id, const std::string& worker_id, std::int64_t now) {
  db_.with([&](soci::session& s) {
    long long t = now;
    s << sql::kReleaseEmail, use(t), use(id), use(worker_id);
  });
}

// ---------------------------------------------------------------- digest

void Store::add_digest_item(const DigestItemRow& i) {
  db_.with([&](soci::session& s) {
    long long c = i.created_at, due = i.due_at;
    s << sql::kInsertDigestItem, use(i.id), use(i.user_id), use(i.type), use(i.title), use(i.message), use(i.url),
        use(c), use(due);
  });
}

std::vector<std::string> Store::due_digest_users(std::int64_t now) {
  long long t = now;
  return db_.with([&](soci::session& s) {
    std::vector<std::string> out;
    soci::rowset<std::string> rows = (s.prepare << sql::kDueDigestUsers, use(t));
    for (auto& id : rows) out.push_back(id);
    return out;
  });
}

std::int64_t Store::digest_due(const std::string& user_id) {
  return db_.with([&](soci::session& s) { return db::fetch_count(s, sql::kDigestDueOf, db::uses(user_id)); });
}

bool Store::fold_digest(const std::string& user_id, std::int64_t now, const BuildDigest& build) {
  bool pg = db_.dialect() == db::Dialect::postgresql;
  return db_.tx([&](soci::session& s) {
    std::string rest = sql::kDigestItemsOf;
    if (pg) rest += sql::kForUpdate;
    auto items = db::select_rows(s, sql::kDigestItem, rest, db::uses(user_id));
    // Another worker folded them first, or they are not due yet.
    if (items.empty()) return false;
    std::int64_t due = items.front().due_at;
    for (auto& i : items) due = std::min(due, i.due_at);
    if (due > now) return false;
    if (auto mail = build(items)) {
      long long na = mail->next_attempt_at, c = mail->created_at;
      s << sql::kInsertEmail, use(mail->id), use(mail->user_id), use(mail->notification_id), use(mail->type),
          use(mail->to_address), use(mail->subject), use(mail->body_text), use(mail->body_html),
          use(mail->unsubscribe_url), use(mail->max_attempts), use(na), use(c), use(c);
    }
    for (auto& i : items) s << sql::kDeleteDigestItem, use(i.id);
    return true;
  });
}

// ---------------------------------------------------------------- broadcasts

void Store::insert_broadcast(const BroadcastRow& b) {
  db_.with([&](soci::session& s) {
    std::string audience(to_string(b.audience));
    long long c = b.created_at;
    s << sql::kInsertBroadcast, use(b.id), use(b.created_by), use(audience), use(b.subject_user_id), use(b.plan),
        use(b.title), use(b.message), use(b.url), use(c);
  });
}

std::optional<BroadcastRow> Store::broadcast(const std::string& id) {
  return db_.with(
      [&](soci::session& s) { return db::select_one(s, sql::kBroadcast, sql::kBroadcastById, db::uses(id)); });
}

void Store::broadcast_started(const std::string& id, std::int64_t now) {
  long long t = now;
  db_.with([&](soci::session& s) { s << sql::kBroadcastStarted, use(t), use(id); });
}

void Store::broadcast_progress(const std::string& id, long long recipients) {
  db_.with([&](soci::session& s) { s << sql::kBroadcastProgress, use(recipients), use(id); });
}

void Store::broadcast_finished(const std::string& id, BroadcastStatus status, std::int64_t now) {
  std::string st(to_string(status));
  long long t = now;
  db_.with([&](soci::session& s) { s << sql::kBroadcastFinished, use(st), use(t), use(id); });
}

std::vector<std::string> Store::audience_page(Audience audience, const std::string& subject, const std::string& after,
                                              int limit) {
  return db_.with([&](soci::session& s) {
    std::vector<std::string> out;
    if (audience != Audience::followers) {
      const char* text = audience == Audience::staff ? sql::kStaffAfter : sql::kAllUsersAfter;
      soci::rowset<std::string> rows = (s.prepare << text, use(after), use(limit));
      for (auto& id : rows) out.push_back(id);
    } else {
      soci::rowset<std::string> rows = (s.prepare << sql::kFollowersAfter, use(subject), use(after), use(limit));
      for (auto& id : rows) out.push_back(id);
    }
    return out;
  });
}

std::vector<std::string> Store::user_ids_by_name(const std::vector<std::string>& usernames) {
  return db_.with([&](soci::session& s) {
    std::vector<std::string> out;
    for (auto& name : usernames) {
      std::string id;
      soci::indicator ind = soci::i_null;
      s << sql::kUserIdByName, into(id, ind), use(name);
      if (s.got_data() && ind == soci::i_ok) out.push_back(id);
    }
    return out;
  });
}

// ---------------------------------------------------------------- worker bookkeeping

std::int64_t Store::cursor(const std::string& name, std::int64_t initial) {
  return db_.with([&](soci::session& s) {
    long long p = initial;
    s << sql::kInsertCursor, use(name), use(p);
    long long at = 0;
    s << sql::kCursor, into(at), use(name);
    return static_cast<std::int64_t>(at);
  });
}

bool Store::advance_cursor(const std::string& name, std::int64_t from, std::int64_t to) {
  long long f = from, t = to;
  return db_.with([&](soci::session& s) { return changed((s.prepare << sql::kAdvanceCursor, use(t), use(name), use(f))) > 0; });
}

std::string Store::instance_secret(const std::string& key, const std::string& fresh, std::int64_t now) {
  return db_.with([&](soci::session& s) {
    long long t = now;
    s << sql::kInsertSecret, use(key), use(fresh), use(t);
    std::string value;
    s << sql::kSecret, into(value), use(key);
    return value;
  });
}

}  // namespace wp::notifications

#include "modules/parties/store.hpp"

#include <soci/soci.h>

#include "core/ids.hpp"
#include "db/affected.hpp"
#include "db/rows.hpp"
#include "db/soci_optional.hpp"

namespace wp::parties {

using soci::into;
using soci::use;

namespace {

constexpr const char* kPartySelect =
    "SELECT p.id, p.host_id, u.username, p.video_id, p.media_url, p.title, p.description, p.status, p.room_code, "
    "p.visibility, p.max_participants, p.scheduled_start, p.actual_start, p.ended_at, p.settings, p.playback, "
    "p.created_at, p.updated_at, (SELECT COUNT(*) FROM party_participants pp WHERE pp.party_id = p.id AND "
    "pp.is_active = TRUE) FROM watch_parties p JOIN users u ON u.id = p.host_id ";

// A stored vocabulary string as its enum (the CHECK constraints keep them known).
template <class E>
E stored(const std::string& text, E fallback) {
  return parse_enum<E>(text).value_or(fallback);
}

struct PartyReader {
  PartyRow row;
  std::string status, visibility;
  std::optional<long long> scheduled, actual, ended;
  long long created = 0, updated = 0, count = 0;

  void bind(soci::statement& st) {
    st.exchange(into(row.id));
    st.exchange(into(row.host_id));
    st.exchange(into(row.host_username));
    st.exchange(into(row.video_id));
    st.exchange(into(row.media_url));
    st.exchange(into(row.title));
    st.exchange(into(row.description));
    st.exchange(into(status));
    st.exchange(into(row.room_code));
    st.exchange(into(visibility));
    st.exchange(into(row.max_participants));
    st.exchange(into(scheduled));
    st.exchange(into(actual));
    st.exchange(into(ended));
    st.exchange(into(row.settings));
    st.exchange(into(row.playback));
    st.exchange(into(created));
    st.exchange(into(updated));
    st.exchange(into(count));
  }
  PartyRow get() const {
    PartyRow r = row;
    r.status = stored(status, PartyStatus::live);
    r.visibility = stored(visibility, Visibility::public_);
    r.scheduled_start = scheduled;
    r.actual_start = actual;
    r.ended_at = ended;
    r.created_at = created;
    r.updated_at = updated;
    r.participant_count = count;
    return r;
  }
};

// A party query; `tail` uses named parameters bound by bind_params.
template <class BindParams>
std::vector<PartyRow> query_parties(soci::session& s, const std::string& tail, BindParams bind_params) {
  return db::fetch_rows<PartyReader>(s, kPartySelect + tail, bind_params);
}

struct FilterSql {
  std::string where;
  std::vector<std::pair<std::string, std::string>> params;
};

FilterSql filter_sql(const PartyFilter& f, const std::string& viewer) {
  FilterSql out;
  auto add = [&](const std::string& clause) { out.where += (out.where.empty() ? "WHERE " : " AND ") + clause; };
  if (f.public_only) {
    add("p.visibility = 'public' AND p.status <> 'ended'");
  } else {
    out.params.push_back({"viewer", viewer});
    // What a viewer may see: public parties, and any party they belong to or are invited to.
    add("(p.visibility = 'public' OR EXISTS (SELECT 1 FROM party_participants m WHERE m.party_id = p.id AND "
        "m.user_id = :viewer AND m.is_banned = FALSE) OR EXISTS (SELECT 1 FROM party_invitations i WHERE i.party_id = "
        "p.id AND i.invitee_id = :viewer2 AND i.status <> 'declined'))");
    out.params.push_back({"viewer2", viewer});
  }
  if (f.status) {
    add("p.status = :status");
    out.params.push_back({"status", std::string(to_string(*f.status))});
  }
  if (f.visibility) {
    add("p.visibility = :visibility");
    out.params.push_back({"visibility", std::string(to_string(*f.visibility))});
  }
  if (f.mine) {
    add("EXISTS (SELECT 1 FROM party_participants m2 WHERE m2.party_id = p.id AND m2.user_id = :viewer3 AND "
        "m2.is_active = TRUE)");
    out.params.push_back({"viewer3", viewer});
  }
  if (f.hosting) {
    // The active host: host_id keeps naming a host who left an empty party.
    add("EXISTS (SELECT 1 FROM party_participants h WHERE h.party_id = p.id AND h.user_id = :viewer4 AND "
        "h.is_active = TRUE AND h.role = 'host')");
    out.params.push_back({"viewer4", viewer});
  }
  if (f.search) {
    std::string pat = "%";
    for (char c : *f.search) {
      if (c == '%' || c == '_' || c == '\\') pat.push_back('\\');
      pat.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    add("LOWER(p.title) LIKE :search ESCAPE '\\'");
    out.params.push_back({"search", pat + "%"});
  }
  return out;
}

}  // namespace

void Store::create_party(const PartyRow& p, const ParticipantRow& host) {
  long long created = p.created_at, updated = p.updated_at, joined = host.joined_at;
  std::optional<long long> scheduled = p.scheduled_start, actual = p.actual_start;
  std::string status(to_string(p.status)), visibility(to_string(p.visibility)), role(to_string(host.role));
  db_.tx([&](soci::session& s) {
    s << "INSERT INTO watch_parties (id, host_id, video_id, media_url, title, description, status, room_code, "
         "visibility, max_participants, scheduled_start, actual_start, settings, playback, created_at, updated_at) "
         "VALUES (:id, :h, :v, :m, :t, :d, :st, :rc, :vis, :max, :ss, :as, :set, :pb, :c, :u)",
        use(p.id), use(p.host_id), use(p.video_id), use(p.media_url), use(p.title), use(p.description), use(status),
        use(p.room_code), use(visibility), use(p.max_participants), use(scheduled), use(actual), use(p.settings),
        use(p.playback), use(created), use(updated);
    s << "INSERT INTO party_participants (id, party_id, user_id, role, joined_at) VALUES (:id, :p, :u, :r, :j)",
        use(host.id), use(p.id), use(host.user_id), use(role), use(joined);
  });
}

std::optional<PartyRow> Store::party(const std::string& id) {
  return db_.with([&](soci::session& s) -> std::optional<PartyRow> {
    std::string v = id;
    auto rows = query_parties(s, "WHERE p.id = :id", [&](soci::statement& st) { st.exchange(use(v, "id")); });
    if (rows.empty()) return std::nullopt;
    return rows.front();
  });
}

std::optional<PartyRow> Store::party_by_code(const std::string& code) {
  return db_.with([&](soci::session& s) -> std::optional<PartyRow> {
    std::string v = code;
    auto rows = query_parties(s, "WHERE p.room_code = :c", [&](soci::statement& st) { st.exchange(use(v, "c")); });
    if (rows.empty()) return std::nullopt;
    return rows.front();
  });
}

bool Store::room_code_taken(const std::string& code) {
  return db_.with([&](soci::session& s) {
    int n = 0;
    s << "SELECT COUNT(*) FROM watch_parties WHERE room_code = :c", into(n), use(code);
    return n > 0;
  });
}

std::vector<PartyRow> Store::parties(const PartyFilter& f, const std::string& viewer_id, int limit, int offset) {
  auto sql = filter_sql(f, viewer_id);
  return db_.with([&](soci::session& s) {
    return query_parties(s, sql.where + " ORDER BY p.created_at DESC, p.id LIMIT :lim OFFSET :off",
                         [&](soci::statement& st) {
                           for (auto& [name, value] : sql.params) st.exchange(use(value, name));
                           st.exchange(use(limit, "lim"));
                           st.exchange(use(offset, "off"));
                         });
  });
}

long long Store::count_parties(const PartyFilter& f, const std::string& viewer_id) {
  auto sql = filter_sql(f, viewer_id);
  return db_.with([&](soci::session& s) {
    return db::fetch_count(s, "SELECT COUNT(*) FROM watch_parties p " + sql.where, [&](soci::statement& st) {
      for (auto& [name, value] : sql.params) st.exchange(use(value, name));
    });
  });
}

void Store::update_party(const PartyRow& p) {
  long long updated = p.updated_at;
  std::optional<long long> scheduled = p.scheduled_start, actual = p.actual_start, ended = p.ended_at;
  std::string status(to_string(p.status)), visibility(to_string(p.visibility));
  db_.with([&](soci::session& s) {
    // Not host_id: only joins and leaves change it, under the party lock; a copy read
    // before a concurrent handover must not put the old host back.
    s << "UPDATE watch_parties SET title = :t, description = :d, status = :st, visibility = :vis, "
         "max_participants = :max, scheduled_start = :ss, actual_start = :as, ended_at = :e, settings = :set, "
         "updated_at = :u WHERE id = :id",
        use(p.title), use(p.description), use(status), use(visibility), use(p.max_participants),
        use(scheduled), use(actual), use(ended), use(p.settings), use(updated), use(p.id);
  });
}

void Store::delete_party(const std::string& id) {
  db_.with([&](soci::session& s) { s << "DELETE FROM watch_parties WHERE id = :id", use(id); });
}

void Store::save_playback(const std::string& party_id, long long version, const std::string& playback_json) {
  db_.with([&](soci::session& s) {
    s << "UPDATE watch_parties SET playback = :pb, playback_version = :v WHERE id = :id AND playback_version < :v2",
        use(playback_json), use(version), use(party_id), use(version);
  });
}

namespace {
constexpr const char* kParticipantSelect =
    "SELECT pp.id, pp.party_id, pp.user_id, u.username, pp.role, pp.is_active, pp.is_banned, pp.is_muted, "
    "pp.join_request, pp.joined_at FROM party_participants pp JOIN users u ON u.id = pp.user_id ";

struct ParticipantReader {
  ParticipantRow row;
  std::string role, join_request;
  int active = 0, banned = 0, muted = 0;
  long long joined = 0;
  void bind(soci::statement& st) {
    st.exchange(into(row.id));
    st.exchange(into(row.party_id));
    st.exchange(into(row.user_id));
    st.exchange(into(row.username));
    st.exchange(into(role));
    st.exchange(into(active));
    st.exchange(into(banned));
    st.exchange(into(muted));
    st.exchange(into(join_request));
    st.exchange(into(joined));
  }
  ParticipantRow get() const {
    ParticipantRow r = row;
    r.role = stored(role, Role::participant);
    r.join_request = stored(join_request, JoinRequest::none);
    r.is_active = active;
    r.is_banned = banned;
    r.is_muted = muted;
    r.joined_at = joined;
    return r;
  }
};
}  // namespace

std::optional<ParticipantRow> Store::participant(const std::string& party_id, const std::string& user_id) {
  return db_.with([&](soci::session& s) -> std::optional<ParticipantRow> {
    std::string p = party_id, u = user_id;
    return db::fetch_one<ParticipantReader>(s, std::string(kParticipantSelect) + "WHERE pp.party_id = :p AND pp.user_id = :u",
                                            [&](soci::statement& st) {
                                              st.exchange(use(p, "p"));
                                              st.exchange(use(u, "u"));
                                            });
  });
}

bool Store::member_of_party_playing(const std::string& user_id, const std::string& video_id) {
  return db_.with([&](soci::session& s) {
    int found = 0;
    s << "SELECT CASE WHEN EXISTS (SELECT 1 FROM party_participants pp JOIN watch_parties p ON p.id = pp.party_id "
         "WHERE pp.user_id = :u AND pp.is_active = TRUE AND p.video_id = :v) THEN 1 ELSE 0 END",
        into(found), use(user_id), use(video_id);
    return found == 1;
  });
}

std::vector<ParticipantRow> Store::active_participants(const std::string& party_id) {
  return db_.with([&](soci::session& s) {
    std::string p = party_id;
    return db::fetch_rows<ParticipantReader>(
        s, std::string(kParticipantSelect) + "WHERE pp.party_id = :p AND pp.is_active = TRUE ORDER BY pp.joined_at",
        [&](soci::statement& st) { st.exchange(use(p, "p")); });
  });
}

std::vector<ParticipantRow> Store::pending_participants(const std::string& party_id) {
  return db_.with([&](soci::session& s) {
    std::string p = party_id;
    return db::fetch_rows<ParticipantReader>(
        s, std::string(kParticipantSelect) + "WHERE pp.party_id = :p AND pp.join_request = 'pending' ORDER BY pp.joined_at",
        [&](soci::statement& st) { st.exchange(use(p, "p")); });
  });
}

namespace {

// Locks the party row (PostgreSQL; SQLite's BEGIN IMMEDIATE already
// serializes writers) and returns max_participants.
int lock_party(soci::session& s, db::Dialect dialect, const std::string& party_id) {
  int max = 0;
  if (dialect == db::Dialect::postgresql)
    s << "SELECT max_participants FROM watch_parties WHERE id = :id FOR UPDATE", into(max), use(party_id);
  else
    s << "SELECT max_participants FROM watch_parties WHERE id = :id", into(max), use(party_id);
  return max;
}

long long active_count(soci::session& s, const std::string& party_id) {
  long long count = 0;
  s << "SELECT COUNT(*) FROM party_participants WHERE party_id = :p AND is_active = TRUE", into(count), use(party_id);
  return count;
}

// Where the user stands in the party (read under the party lock).
struct Membership {
  bool exists = false, active = false, banned = false;
  std::string role, join_request = "none";
};

Membership membership(soci::session& s, const std::string& party_id, const std::string& user_id) {
  Membership m;
  int active = 0, banned = 0;
  s << "SELECT is_active, is_banned, role, join_request FROM party_participants WHERE party_id = :p AND user_id = :u",
      into(active), into(banned), into(m.role), into(m.join_request), use(party_id), use(user_id);
  m.exists = s.got_data();
  m.active = m.exists && active;
  m.banned = m.exists && banned;
  return m;
}

// Makes the user's row active (the row exists when `exists`); they take the
// host role when nobody active holds it. With `only_pending` the row is
// admitted only while its request is still pending. Returns their role, or
// nothing when that guard found no pending request.
std::optional<std::string> activate(soci::session& s, const std::string& party_id, const std::string& user_id,
                                    bool exists, bool only_pending, long long t) {
  long long hosts = 0;
  s << "SELECT COUNT(*) FROM party_participants WHERE party_id = :p AND is_active = TRUE AND role = 'host'",
      into(hosts), use(party_id);
  std::string role = "participant";
  if (exists) {
    s << "SELECT role FROM party_participants WHERE party_id = :p AND user_id = :u", into(role), use(party_id),
        use(user_id);
  }
  if (hosts == 0) role = "host";
  if (exists) {
    std::string sql =
        "UPDATE party_participants SET is_active = TRUE, join_request = 'none', left_at = NULL, joined_at = :t, role = "
        ":r WHERE party_id = :p AND user_id = :u";
    if (only_pending) sql += " AND join_request = 'pending'";
    soci::statement st = (s.prepare << sql, use(t), use(role), use(party_id), use(user_id));
    if (db::execute_counting(st) == 0) return std::nullopt;
  } else {
    std::string id = new_uuid();
    s << "INSERT INTO party_participants (id, party_id, user_id, role, joined_at) VALUES (:id, :p, :u, :r, :t)",
        use(id), use(party_id), use(user_id), use(role), use(t);
  }
  if (hosts == 0)
    s << "UPDATE watch_parties SET host_id = :u, updated_at = :t WHERE id = :p", use(user_id), use(t), use(party_id);
  return role;
}

// Runs a prepared change and tells whether it touched a row.
bool changed(soci::statement st) { return db::execute_counting(st) > 0; }

}  // namespace

JoinResult Store::join(const std::string& party_id, const std::string& user_id, std::int64_t now,
                       bool needs_approval) {
  long long t = now;
  return db_.tx([&](soci::session& s) -> JoinResult {
    int max = lock_party(s, db_.dialect(), party_id);
    auto m = membership(s, party_id, user_id);
    if (m.banned) return {JoinOutcome::banned};
    if (m.active) return {JoinOutcome::already_member, stored(m.role, Role::participant)};
    if (needs_approval) {
      if (m.join_request == "pending") return {JoinOutcome::already_requested};
      if (m.join_request == "rejected") return {JoinOutcome::declined};
      if (m.exists) {
        s << "UPDATE party_participants SET join_request = 'pending', joined_at = :t WHERE party_id = :p AND user_id = "
             ":u",
            use(t), use(party_id), use(user_id);
      } else {
        std::string id = new_uuid(), participant = "participant";
        s << "INSERT INTO party_participants (id, party_id, user_id, role, is_active, join_request, joined_at) VALUES "
             "(:id, :p, :u, :r, FALSE, 'pending', :t)",
            use(id), use(party_id), use(user_id), use(participant), use(t);
      }
      return {JoinOutcome::requested};
    }
    if (active_count(s, party_id) >= max) return {JoinOutcome::full};
    return {JoinOutcome::joined, stored(*activate(s, party_id, user_id, m.exists, false, t), Role::participant)};
  });
}

ApproveOutcome Store::approve(const std::string& party_id, const std::string& user_id, std::int64_t now) {
  long long t = now;
  return db_.tx([&](soci::session& s) {
    int max = lock_party(s, db_.dialect(), party_id);
    if (membership(s, party_id, user_id).join_request != "pending") return ApproveOutcome::not_requested;
    if (active_count(s, party_id) >= max) return ApproveOutcome::full;
    return activate(s, party_id, user_id, true, true, t) ? ApproveOutcome::approved : ApproveOutcome::not_requested;
  });
}

bool Store::reject(const std::string& party_id, const std::string& user_id) {
  return db_.tx([&](soci::session& s) {
    lock_party(s, db_.dialect(), party_id);
    return changed((s.prepare << "UPDATE party_participants SET join_request = 'rejected' WHERE party_id = :p AND "
                                 "user_id = :u AND join_request = 'pending'",
                    use(party_id), use(user_id)));
  });
}

bool Store::withdraw(const std::string& party_id, const std::string& user_id) {
  return db_.tx([&](soci::session& s) {
    lock_party(s, db_.dialect(), party_id);
    // Never active (left_at unset): the row was only the request.
    if (changed((s.prepare << "DELETE FROM party_participants WHERE party_id = :p AND user_id = :u AND join_request = "
                              "'pending' AND is_active = FALSE AND left_at IS NULL",
                 use(party_id), use(user_id))))
      return true;
    return changed((s.prepare << "UPDATE party_participants SET join_request = 'none' WHERE party_id = :p AND user_id "
                                 "= :u AND join_request = 'pending'",
                    use(party_id), use(user_id)));
  });
}

std::vector<std::string> Store::unknown_users(const std::vector<std::string>& ids) {
  return db_.with([&](soci::session& s) {
    std::vector<std::string> out;
    for (auto& id : ids) {
      int n = 0;
      s << "SELECT COUNT(*) FROM users WHERE id = :id", into(n), use(id);
      if (n == 0) out.push_back(id);
    }
    return out;
  });
}

std::optional<std::string> Store::leave(const std::string& party_id, const std::string& user_id, std::int64_t now) {
  long long t = now;
  return db_.tx([&](soci::session& s) -> std::optional<std::string> {
    lock_party(s, db_.dialect(), party_id);
    std::string role;
    s << "SELECT role FROM party_participants WHERE party_id = :p AND user_id = :u AND is_active = TRUE", into(role),
        use(party_id), use(user_id);
    if (!s.got_data()) return std::nullopt;
    std::string participant = "participant";
    s << "UPDATE party_participants SET is_active = FALSE, left_at = :t, role = CASE WHEN role = 'host' THEN :r ELSE "
         "role END WHERE party_id = :p AND user_id = :u",
        use(t), use(participant), use(party_id), use(user_id);
    if (role != "host") return std::nullopt;
    std::string next;
    s << "SELECT user_id FROM party_participants WHERE party_id = :p AND is_active = TRUE ORDER BY CASE role WHEN "
         "'moderator' THEN 0 ELSE 1 END, joined_at LIMIT 1",
        into(next), use(party_id);
    if (!s.got_data()) return std::nullopt;
    std::string host = "host";
    s << "UPDATE party_participants SET role = :r WHERE party_id = :p AND user_id = :u", use(host), use(party_id),
        use(next);
    s << "UPDATE watch_parties SET host_id = :u, updated_at = :t WHERE id = :p", use(next), use(t), use(party_id);
    return next;
  });
}

bool Store::set_role(const std::string& party_id, const std::string& user_id, Role new_role) {
  std::string role(to_string(new_role));
  return db_.tx([&](soci::session& s) {
    lock_party(s, db_.dialect(), party_id);
    // The host's role only changes by leaving (they may have become host meanwhile).
    return changed((s.prepare << "UPDATE party_participants SET role = :r WHERE party_id = :p AND user_id = :u AND "
                                 "is_active = TRUE AND role <> 'host'",
                    use(role), use(party_id), use(user_id)));
  });
}

void Store::set_muted(const std::string& party_id, const std::string& user_id, bool muted) {
  int m = muted;
  db_.with([&](soci::session& s) {
    s << "UPDATE party_participants SET is_muted = :m WHERE party_id = :p AND user_id = :u", use(m), use(party_id),
        use(user_id);
  });
}

bool Store::remove_participant(const std::string& party_id, const std::string& user_id, bool ban, std::int64_t now) {
  long long t = now;
  int b = ban;
  return db_.tx([&](soci::session& s) {
    lock_party(s, db_.dialect(), party_id);
    return changed((s.prepare << "UPDATE party_participants SET is_active = FALSE, join_request = 'none', left_at = :t, "
                                 "is_banned = CASE WHEN :b = 1 THEN TRUE ELSE is_banned END WHERE party_id = :p AND "
                                 "user_id = :u AND role <> 'host'",
                    use(t), use(b), use(party_id), use(user_id)));
  });
}

namespace {
constexpr const char* kMessageSelect =
    "SELECT m.id, m.party_id, m.user_id, u.username, m.content, m.message_type, m.sent_at FROM party_messages m JOIN "
    "users u ON u.id = m.user_id ";

struct MessageReader {
  MessageRow row;
  long long sent = 0;
  void bind(soci::statement& st) {
    st.exchange(into(row.id));
    st.exchange(into(row.party_id));
    st.exchange(into(row.user_id));
    st.exchange(into(row.username));
    st.exchange(into(row.content));
    st.exchange(into(row.message_type));
    st.exchange(into(sent));
  }
  MessageRow get() const {
    MessageRow r = row;
    r.sent_at = sent;
    return r;
  }
};

template <class BindParams>
std::vector<MessageRow> query_messages(soci::session& s, const std::string& tail, BindParams bind_params) {
  return db::fetch_rows<MessageReader>(s, kMessageSelect + tail, bind_params);
}
}  // namespace

void Store::insert_message(const MessageRow& m) {
  long long t = m.sent_at;
  db_.with([&](soci::session& s) {
    s << "INSERT INTO party_messages (id, party_id, user_id, content, message_type, sent_at) VALUES (:id, :p, :u, :c, "
         ":mt, :t)",
        use(m.id), use(m.party_id), use(m.user_id), use(m.content), use(m.message_type), use(t);
  });
}

std::vector<MessageRow> Store::messages_before(const std::string& party_id, const std::optional<std::string>& before,
                                               int limit) {
  return db_.with([&](soci::session& s) {
    std::string p = party_id;
    if (!before)
      return query_messages(s, "WHERE m.party_id = :p ORDER BY m.sent_at DESC, m.id DESC LIMIT :lim",
                            [&](soci::statement& st) {
                              st.exchange(use(p, "p"));
                              st.exchange(use(limit, "lim"));
                            });
    std::string b1 = *before, b2 = *before, b3 = *before;
    return query_messages(
        s,
        "WHERE m.party_id = :p AND (m.sent_at < (SELECT sent_at FROM party_messages WHERE id = :b1) OR (m.sent_at = "
        "(SELECT sent_at FROM party_messages WHERE id = :b2) AND m.id < :b3)) ORDER BY m.sent_at DESC, m.id DESC LIMIT "
        ":lim",
        [&](soci::statement& st) {
          st.exchange(use(p, "p"));
          st.exchange(use(b1, "b1"));
          st.exchange(use(b2, "b2"));
          st.exchange(use(b3, "b3"));
          st.exchange(use(limit, "lim"));
        });
  });
}

std::vector<MessageRow> Store::messages_after(const std::string& party_id, const std::string& after, int limit) {
  return db_.with([&](soci::session& s) {
    std::string p = party_id, a1 = after, a2 = after, a3 = after;
    return query_messages(
        s,
        "WHERE m.party_id = :p AND (m.sent_at > (SELECT sent_at FROM party_messages WHERE id = :a1) OR (m.sent_at = "
        "(SELECT sent_at FROM party_messages WHERE id = :a2) AND m.id > :a3)) ORDER BY m.sent_at, m.id LIMIT :lim",
        [&](soci::statement& st) {
          st.exchange(use(p, "p"));
          st.exchange(use(a1, "a1"));
          st.exchange(use(a2, "a2"));
          st.exchange(use(a3, "a3"));
          st.exchange(use(limit, "lim"));
        });
  });
}

void Store::insert_reaction(const ReactionRow& r) {
  long long t = r.created_at;
  double ts = r.video_timestamp;
  db_.with([&](soci::session& s) {
    s << "INSERT INTO party_reactions (id, party_id, user_id, emoji, video_timestamp, created_at) VALUES (:id, :p, :u, "
         ":e, :ts, :t)",
        use(r.id), use(r.party_id), use(r.user_id), use(r.emoji), use(ts), use(t);
  });
}

std::map<std::string, long long> Store::reaction_counts(const std::string& party_id) {
  return db_.with([&](soci::session& s) {
    std::map<std::string, long long> out;
    std::string emoji;
    long long n = 0;
    soci::statement st = (s.prepare << "SELECT emoji, COUNT(*) FROM party_reactions WHERE party_id = :p GROUP BY emoji",
                          into(emoji), into(n), use(party_id));
    if (st.execute(true)) {
      do out[emoji] = n;
      while (st.fetch());
    }
    return out;
  });
}

void Store::invite(const InvitationRow& inv) {
  long long t = inv.created_at;
  std::string pending = "pending";
  int admits = inv.admits;
  db_.with([&](soci::session& s) {
    // A plain member's invitation does not take away the admission a moderator's gave.
    s << "INSERT INTO party_invitations (id, party_id, inviter_id, invitee_id, status, created_at, admits) VALUES (:id, "
         ":p, :i, :u, :st, :t, :a) ON CONFLICT (party_id, invitee_id) DO UPDATE SET status = excluded.status, "
         "inviter_id = excluded.inviter_id, created_at = excluded.created_at, responded_at = NULL, admits = "
         "(excluded.admits OR (party_invitations.status <> 'declined' AND party_invitations.admits))",
        use(inv.id), use(inv.party_id), use(inv.inviter_id), use(inv.invitee_id), use(pending), use(t), use(admits);
  });
}

namespace {
constexpr const char* kInvitationSelect =
    "SELECT i.id, i.party_id, p.title, i.inviter_id, u.username, i.invitee_id, i.status, i.created_at FROM "
    "party_invitations i JOIN watch_parties p ON p.id = i.party_id JOIN users u ON u.id = i.inviter_id ";
}

std::optional<InvitationRow> Store::invitation(const std::string& id) {
  return db_.with([&](soci::session& s) -> std::optional<InvitationRow> {
    InvitationRow r;
    long long t = 0;
    s << std::string(kInvitationSelect) + "WHERE i.id = :id", into(r.id), into(r.party_id), into(r.party_title),
        into(r.inviter_id), into(r.inviter_username), into(r.invitee_id), into(r.status), into(t), use(id);
    if (!s.got_data()) return std::nullopt;
    r.created_at = t;
    return r;
  });
}

std::vector<InvitationRow> Store::pending_invitations(const std::string& user_id, int limit, int offset) {
  return db_.with([&](soci::session& s) {
    std::vector<InvitationRow> out;
    InvitationRow r;
    long long t = 0;
    soci::statement st =
        (s.prepare << std::string(kInvitationSelect) +
                          "WHERE i.invitee_id = :u AND i.status = 'pending' ORDER BY i.created_at DESC LIMIT :lim "
                          "OFFSET :off",
         into(r.id), into(r.party_id), into(r.party_title), into(r.inviter_id), into(r.inviter_username),
         into(r.invitee_id), into(r.status), into(t), use(user_id), use(limit), use(offset));
    if (st.execute(true)) {
      do {
        r.created_at = t;
        out.push_back(r);
      } while (st.fetch());
    }
    return out;
  });
}

long long Store::count_pending_invitations(const std::string& user_id) {
  return db_.with([&](soci::session& s) {
    long long n = 0;
    s << "SELECT COUNT(*) FROM party_invitations WHERE invitee_id = :u AND status = 'pending'", into(n), use(user_id);
    return n;
  });
}

void Store::set_invitation_status(const std::string& id, const std::string& status, std::int64_t now) {
  long long t = now;
  db_.with([&](soci::session& s) {
    s << "UPDATE party_invitations SET status = :st, responded_at = :t WHERE id = :id", use(status), use(t), use(id);
  });
}

bool Store::is_invited(const std::string& party_id, const std::string& user_id) {
  return db_.with([&](soci::session& s) {
    int n = 0;
    s << "SELECT COUNT(*) FROM party_invitations WHERE party_id = :p AND invitee_id = :u AND status <> 'declined'",
        into(n), use(party_id), use(user_id);
    return n > 0;
  });
}

bool Store::invitation_admits(const std::string& party_id, const std::string& user_id) {
  return db_.with([&](soci::session& s) {
    int n = 0;
    s << "SELECT COUNT(*) FROM party_invitations WHERE party_id = :p AND invitee_id = :u AND status <> 'declined' AND "
         "admits = TRUE",
        into(n), use(party_id), use(user_id);
    return n > 0;
  });
}

void Store::insert_report(const std::string& id, const std::string& party_id, const std::string& reporter_id,
                          const std::string& reason, const std::string& description, std::int64_t now) {
  long long t = now;
  db_.with([&](soci::session& s) {
    s << "INSERT INTO party_reports (id, party_id, reporter_id, reason, description, created_at) VALUES (:id, :p, :r, "
         ":re, :d, :t)",
        use(id), use(party_id), use(reporter_id), use(reason), use(description), use(t);
  });
}

}  // namespace wp::parties

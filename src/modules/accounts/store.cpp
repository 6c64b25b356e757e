#include "modules/accounts/store.hpp"

#include <soci/soci.h>

#include "db/affected.hpp"
#include "db/rows.hpp"
#include "db/soci_optional.hpp"

namespace wp::accounts {

using soci::into;
using soci::use;

namespace {

constexpr const char* kUserColumns =
    "id, username, email, password_hash, first_name, last_name, is_active, is_staff, is_superuser, "
    "email_verified, date_joined, last_login, settings";

// Reads rows of kUserColumns. Booleans travel as integers on both dialects.
struct UserReader {
  UserRow row;
  int active = 0, staff = 0, superuser = 0, verified = 0;
  long long joined = 0;
  std::optional<long long> last_login;

  void bind(soci::statement& st) {
    st.exchange(into(row.id));
    st.exchange(into(row.username));
    st.exchange(into(row.email));
    st.exchange(into(row.password_hash));
    st.exchange(into(row.first_name));
    st.exchange(into(row.last_name));
    st.exchange(into(active));
    st.exchange(into(staff));
    st.exchange(into(superuser));
    st.exchange(into(verified));
    st.exchange(into(joined));
    st.exchange(into(last_login));
    st.exchange(into(row.settings));
  }
  UserRow get() const {
    UserRow r = row;
    r.is_active = active;
    r.is_staff = staff;
    r.is_superuser = superuser;
    r.email_verified = verified;
    r.date_joined = joined;
    r.last_login = last_login;
    return r;
  }
};

std::optional<UserRow> one_user(soci::session& s, const std::string& where, const std::string& value) {
  std::string v = value;
  return db::fetch_one<UserReader>(s, std::string("SELECT ") + kUserColumns + " FROM users WHERE " + where,
                                   [&](soci::statement& st) { st.exchange(use(v)); });
}

std::string order_clause(const std::string& ordering) {
  if (ordering == "-username") return "username_key DESC";
  if (ordering == "date_joined") return "date_joined, username_key";
  if (ordering == "-date_joined") return "date_joined DESC, username_key";
  return "username_key";
}

std::string like_pattern(const std::string& needle) {
  std::string out = "%";
  for (char c : needle) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out + "%";
}

bool has_search(const UserFilter& f) { return !f.search.empty(); }

// The WHERE clause of the user lists; bind_search binds its parameters.
std::string user_where(const UserFilter& f, db::Dialect dialect) {
  std::string where = f.is_active ? (*f.is_active ? "is_active = TRUE" : "is_active = FALSE") : "1 = 1";
  if (!has_search(f)) return where;
  std::string names = "LOWER(first_name) LIKE :p2 ESCAPE '\\' OR LOWER(last_name) LIKE :p3 ESCAPE '\\'";
  if (!f.names_of_private) {
    // A private profile's names are part of what it hides: match it by username only.
    const char* visibility = dialect == db::Dialect::postgresql ? "p.privacy_settings->>'profile_visibility'"
                                                                : "json_extract(p.privacy_settings, '$.profile_visibility')";
    names = std::string("(NOT EXISTS (SELECT 1 FROM user_profiles p WHERE p.user_id = users.id AND COALESCE(") +
            visibility + ", '') = 'private') AND (" + names + "))";
  }
  std::string match = "username_key LIKE :p1 ESCAPE '\\' OR " + names;
  if (f.match_email) match += " OR email_key LIKE :p4 ESCAPE '\\'";
  return where + " AND (" + match + ")";
}

void bind_search(soci::statement& st, const UserFilter& f, const std::string& pattern) {
  if (!has_search(f)) return;
  st.exchange(use(pattern, "p1"));
  st.exchange(use(pattern, "p2"));
  st.exchange(use(pattern, "p3"));
  if (f.match_email) st.exchange(use(pattern, "p4"));
}

}  // namespace

std::string Store::instance_secret(const std::string& key, const std::string& candidate) {
  return db_.tx([&](soci::session& s) {
    long long t = 0;
    s << "INSERT INTO instance_settings (key, value, updated_at) VALUES (:k, :v, :t) ON CONFLICT (key) DO NOTHING",
        use(key), use(candidate), use(t);
    std::string value;
    s << "SELECT value FROM instance_settings WHERE key = :k", into(value), use(key);
    return value;
  });
}

void Store::create_user(const UserRow& u, const ProfileRow& p) {
  db_.tx([&](soci::session& s) {
    std::string ukey = u.username, ekey = u.email;
    for (auto& c : ukey) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (auto& c : ekey) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    int active = u.is_active, staff = u.is_staff, su = u.is_superuser, verified = u.email_verified;
    long long joined = u.date_joined;
    s << "INSERT INTO users (id, username, username_key, email, email_key, password_hash, first_name, last_name, "
         "is_active, is_staff, is_superuser, email_verified, date_joined, settings) VALUES (:id, :u, :uk, :e, :ek, "
         ":ph, :fn, :ln, :a, :st, :su, :v, :dj, :set)",
        use(u.id), use(u.username), use(ukey), use(u.email), use(ekey), use(u.password_hash), use(u.first_name),
        use(u.last_name), use(active), use(staff), use(su), use(verified), use(joined), use(u.settings);
    s << "INSERT INTO user_profiles (id, user_id, privacy_settings) VALUES (:id, :uid, :ps)", use(p.id),
        use(u.id), use(p.privacy_settings);
  });
}

std::optional<UserRow> Store::user_by_id(const std::string& id) {
  return db_.with([&](soci::session& s) { return one_user(s, "id = :v", id); });
}

std::optional<UserRow> Store::user_by_login(const std::string& key) {
  return db_.with([&](soci::session& s) {
    auto u = one_user(s, "username_key = :v", key);
    return u ? u : one_user(s, "email_key = :v", key);
  });
}

std::optional<UserRow> Store::user_by_email(const std::string& email_key) {
  return db_.with([&](soci::session& s) { return one_user(s, "email_key = :v", email_key); });
}

bool Store::username_taken(const std::string& key) {
  return db_.with([&](soci::session& s) {
    int n = 0;
    s << "SELECT COUNT(*) FROM users WHERE username_key = :k", into(n), use(key);
    return n > 0;
  });
}

bool Store::email_taken(const std::string& key) {
  return db_.with([&](soci::session& s) {
    int n = 0;
    s << "SELECT COUNT(*) FROM users WHERE email_key = :k", into(n), use(key);
    return n > 0;
  });
}

void Store::update_user_fields(const UserRow& u) {
  db_.with([&](soci::session& s) {
    s << "UPDATE users SET first_name = :fn, last_name = :ln, settings = :st WHERE id = :id", use(u.first_name),
        use(u.last_name), use(u.settings), use(u.id);
  });
}

void Store::set_password(const std::string& user_id, const std::string& hash) {
  db_.with([&](soci::session& s) { s << "UPDATE users SET password_hash = :h WHERE id = :id", use(hash), use(user_id); });
}

void Store::set_last_login(const std::string& user_id, std::int64_t at) {
  long long t = at;
  db_.with([&](soci::session& s) { s << "UPDATE users SET last_login = :t WHERE id = :id", use(t), use(user_id); });
}

void Store::set_email_verified(const std::string& user_id) {
  db_.with([&](soci::session& s) { s << "UPDATE users SET email_verified = TRUE WHERE id = :id", use(user_id); });
}

std::vector<UserRow> Store::search_users(const UserFilter& f, int limit, int offset) {
  return db_.with([&](soci::session& s) {
    std::string pat = like_pattern(f.search);
    return db::fetch_rows<UserReader>(
        s,
        std::string("SELECT ") + kUserColumns + " FROM users WHERE " + user_where(f, db_.dialect()) + " ORDER BY " +
            order_clause(f.ordering) + " LIMIT :lim OFFSET :off",
        [&](soci::statement& st) {
          bind_search(st, f, pat);
          st.exchange(use(limit, "lim"));
          st.exchange(use(offset, "off"));
        });
  });
}

long long Store::count_users(const UserFilter& f) {
  return db_.with([&](soci::session& s) {
    std::string pat = like_pattern(f.search);
    return db::fetch_count(s, "SELECT COUNT(*) FROM users WHERE " + user_where(f, db_.dialect()),
                           [&](soci::statement& st) { bind_search(st, f, pat); });
  });
}

bool Store::set_active(const std::string& user_id, bool active, std::int64_t at) {
  long long t = at;
  return db_.tx([&](soci::session& s) {
    soci::statement st = (s.prepare << std::string("UPDATE users SET is_active = ") + (active ? "TRUE" : "FALSE") +
                                           " WHERE id = :id",
                          use(user_id));
    if (db::execute_counting(st) == 0) return false;
    if (!active) {
      std::string reason = "deactivated";
      s << "UPDATE user_sessions SET revoked_at = :t, revoke_reason = :r WHERE user_id = :u AND revoked_at IS NULL",
          use(t), use(reason), use(user_id);
    }
    return true;
  });
}

std::optional<ProfileRow> Store::profile(const std::string& user_id) {
  return db_.with([&](soci::session& s) -> std::optional<ProfileRow> {
    ProfileRow p;
    int verified = 0;
    s << "SELECT id, user_id, avatar, bio, country, timezone, birth_date, phone, is_verified, privacy_settings "
         "FROM user_profiles WHERE user_id = :u",
        into(p.id), into(p.user_id), into(p.avatar), into(p.bio), into(p.country), into(p.timezone),
        into(p.birth_date), into(p.phone), into(verified), into(p.privacy_settings), use(user_id);
    if (!s.got_data()) return std::nullopt;
    p.is_verified = verified;
    return p;
  });
}

void Store::update_profile(const ProfileRow& p) {
  db_.with([&](soci::session& s) {
    s << "UPDATE user_profiles SET avatar = :a, bio = :b, country = :c, timezone = :tz, birth_date = :bd, "
         "phone = :ph, privacy_settings = :ps WHERE user_id = :u",
        use(p.avatar), use(p.bio), use(p.country), use(p.timezone), use(p.birth_date), use(p.phone),
        use(p.privacy_settings), use(p.user_id);
  });
}

void Store::create_session(const SessionRow& r, const std::string& refresh_hash) {
  db_.tx([&](soci::session& s) {
    long long c = r.created_at, l = r.last_seen_at, e = r.expires_at;
    s << "INSERT INTO user_sessions (id, user_id, user_agent, ip_address, created_at, last_seen_at, expires_at) "
         "VALUES (:id, :u, :ua, :ip, :c, :l, :e)",
        use(r.id), use(r.user_id), use(r.user_agent), use(r.ip_address), use(c), use(l), use(e);
    s << "INSERT INTO refresh_tokens (token_hash, session_id, created_at) VALUES (:h, :s, :c)", use(refresh_hash),
        use(r.id), use(c);
  });
}

std::optional<SessionPrincipal> Store::principal(const std::string& session_id) {
  return db_.with([&](soci::session& s) -> std::optional<SessionPrincipal> {
    SessionPrincipal p;
    int active = 0, staff = 0, su = 0;
    long long expires = 0, seen = 0;
    std::optional<long long> revoked;
    s << "SELECT s.id, u.id, u.username, u.is_active, u.is_staff, u.is_superuser, s.revoked_at, s.expires_at, "
         "s.last_seen_at FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE s.id = :sid",
        into(p.session_id), into(p.user_id), into(p.username), into(active), into(staff), into(su), into(revoked),
        into(expires), into(seen), use(session_id);
    p.session_last_seen_at = seen;
    if (!s.got_data()) return std::nullopt;
    p.is_active = active;
    p.is_staff = staff;
    p.is_superuser = su;
    p.session_revoked = revoked.has_value();
    p.session_expires_at = expires;
    return p;
  });
}

void Store::touch_session(const std::string& session_id, std::int64_t at) {
  long long t = at;
  db_.with([&](soci::session& s) {
    s << "UPDATE user_sessions SET last_seen_at = :t WHERE id = :id", use(t), use(session_id);
  });
}

std::vector<SessionRow> Store::sessions(const std::string& user_id, int limit, int offset) {
  return db_.with([&](soci::session& s) {
    std::vector<SessionRow> out;
    SessionRow r;
    long long c = 0, l = 0, e = 0;
    soci::statement st =
        (s.prepare << "SELECT id, user_agent, ip_address, created_at, last_seen_at, expires_at FROM user_sessions "
                      "WHERE user_id = :u AND revoked_at IS NULL ORDER BY last_seen_at DESC LIMIT :lim OFFSET :off",
         into(r.id), into(r.user_agent), into(r.ip_address), into(c), into(l), into(e), use(user_id), use(limit),
         use(offset));
    if (st.execute(true)) {
      do {
        r.user_id = user_id;
        r.created_at = c;
        r.last_seen_at = l;
        r.expires_at = e;
        out.push_back(r);
      } while (st.fetch());
    }
    return out;
  });
}

long long Store::count_sessions(const std::string& user_id) {
  return db_.with([&](soci::session& s) {
    long long n = 0;
    s << "SELECT COUNT(*) FROM user_sessions WHERE user_id = :u AND revoked_at IS NULL", into(n), use(user_id);
    return n;
  });
}

bool Store::revoke_session(const std::string& user_id, const std::string& session_id, const std::string& reason,
                           std::int64_t at) {
  long long t = at;
  return db_.with([&](soci::session& s) {
    soci::statement st = (s.prepare << "UPDATE user_sessions SET revoked_at = :t, revoke_reason = :r WHERE id = :id "
                                       "AND user_id = :u AND revoked_at IS NULL",
                          use(t), use(reason), use(session_id), use(user_id));
    return db::execute_counting(st) > 0;
  });
}

long long Store::revoke_sessions(const std::string& user_id, const std::optional<std::string>& except,
                                 const std::string& reason, std::int64_t at) {
  long long t = at;
  std::string keep = except.value_or("");
  return db_.with([&](soci::session& s) {
    soci::statement st = (s.prepare << "UPDATE user_sessions SET revoked_at = :t, revoke_reason = :r WHERE user_id = "
                                       ":u AND revoked_at IS NULL AND id <> :keep",
                          use(t), use(reason), use(user_id), use(keep));
    return db::execute_counting(st);
  });
}

RefreshOutcome Store::rotate_refresh(const std::string& old_hash, const std::string& new_hash, std::int64_t now,
                                     std::int64_t grace_ms, std::string& session_id_out) {
  long long t = now;
  return db_.tx([&](soci::session& s) {
    std::string session_id;
    std::optional<long long> used, revoked;
    long long expires = 0;
    s << "SELECT r.session_id, r.used_at, s.revoked_at, s.expires_at FROM refresh_tokens r JOIN user_sessions s ON "
         "s.id = r.session_id WHERE r.token_hash = :h",
        into(session_id), into(used), into(revoked), into(expires), use(old_hash);
    if (!s.got_data()) return RefreshOutcome::unknown;
    session_id_out = session_id;
    if (revoked || expires <= now) return RefreshOutcome::session_dead;
    if (used && now - *used < grace_ms) return RefreshOutcome::superseded;
    if (used) {
      std::string reason = "refresh_token_reuse";
      s << "UPDATE user_sessions SET revoked_at = :t, revoke_reason = :r WHERE id = :id", use(t), use(reason),
          use(session_id);
      return RefreshOutcome::reused;
    }
    s << "UPDATE refresh_tokens SET used_at = :t WHERE token_hash = :h", use(t), use(old_hash);
    s << "INSERT INTO refresh_tokens (token_hash, session_id, created_at) VALUES (:h, :s, :c)", use(new_hash),
        use(session_id), use(t);
    s << "UPDATE user_sessions SET last_seen_at = :t WHERE id = :id", use(t), use(session_id);
    return RefreshOutcome::rotated;
  });
}

void Store::record_login(const LoginEventRow& e) {
  int ok = e.success;
  long long at = e.created_at;
  db_.with([&](soci::session& s) {
    s << "INSERT INTO login_history (id, user_id, username_tried, success, reason, ip_address, user_agent, "
         "created_at) VALUES (:id, :u, :n, :s, :r, :ip, :ua, :c)",
        use(e.id), use(e.user_id), use(e.username_tried), use(ok), use(e.reason), use(e.ip_address),
        use(e.user_agent), use(at);
  });
}

std::vector<LoginEventRow> Store::login_history(const std::string& user_id, int limit, int offset) {
  return db_.with([&](soci::session& s) {
    std::vector<LoginEventRow> out;
    LoginEventRow r;
    int ok = 0;
    long long c = 0;
    soci::statement st =
        (s.prepare << "SELECT id, username_tried, success, reason, ip_address, user_agent, created_at FROM "
                      "login_history WHERE user_id = :u ORDER BY created_at DESC, id LIMIT :lim OFFSET :off",
         into(r.id), into(r.username_tried), into(ok), into(r.reason), into(r.ip_address), into(r.user_agent),
         into(c), use(user_id), use(limit), use(offset));
    if (st.execute(true)) {
      do {
        r.user_id = user_id;
        r.success = ok;
        r.created_at = c;
        out.push_back(r);
      } while (st.fetch());
    }
    return out;
  });
}

long long Store::count_login_history(const std::string& user_id) {
  return db_.with([&](soci::session& s) {
    long long n = 0;
    s << "SELECT COUNT(*) FROM login_history WHERE user_id = :u", into(n), use(user_id);
    return n;
  });
}

void Store::create_token(const UserTokenRow& t, bool invalidate_others) {
  long long c = t.created_at, e = t.expires_at;
  db_.tx([&](soci::session& s) {
    if (invalidate_others)
      s << "UPDATE user_tokens SET used_at = :c WHERE user_id = :u AND purpose = :p AND used_at IS NULL", use(c),
          use(t.user_id), use(t.purpose);
    s << "INSERT INTO user_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES (:h, :u, :p, :c, :e)",
        use(t.token_hash), use(t.user_id), use(t.purpose), use(c), use(e);
  });
}

std::optional<std::string> Store::token_owner(const std::string& token_hash, const std::string& purpose,
                                              std::int64_t now) {
  long long t = now;
  return db_.with([&](soci::session& s) -> std::optional<std::string> {
    std::string user_id;
    s << "SELECT user_id FROM user_tokens WHERE token_hash = :h AND purpose = :p AND used_at IS NULL AND expires_at "
         "> :t",
        into(user_id), use(token_hash), use(purpose), use(t);
    if (!s.got_data()) return std::nullopt;
    return user_id;
  });
}

std::optional<std::string> Store::consume_token(const std::string& token_hash, const std::string& purpose,
                                                std::int64_t now) {
  long long t = now;
  return db_.tx([&](soci::session& s) -> std::optional<std::string> {
    std::string user_id;
    s << "SELECT user_id FROM user_tokens WHERE token_hash = :h AND purpose = :p AND used_at IS NULL AND expires_at "
         "> :t",
        into(user_id), use(token_hash), use(purpose), use(t);
    if (!s.got_data()) return std::nullopt;
    soci::statement st = (s.prepare << "UPDATE user_tokens SET used_at = :t WHERE token_hash = :h AND used_at IS NULL",
                          use(t), use(token_hash));
    if (db::execute_counting(st) != 1) return std::nullopt;
    return user_id;
  });
}

std::optional<TwoFactorRow> Store::two_factor(const std::string& user_id) {
  return db_.with([&](soci::session& s) -> std::optional<TwoFactorRow> {
    TwoFactorRow r;
    int enabled = 0;
    long long step = 0;
    s << "SELECT user_id, secret, is_enabled, last_used_step FROM two_factor_auth WHERE user_id = :u",
        into(r.user_id), into(r.secret), into(enabled), into(step), use(user_id);
    if (!s.got_data()) return std::nullopt;
    r.is_enabled = enabled;
    r.last_used_step = step;
    return r;
  });
}

void Store::put_two_factor_secret(const std::string& user_id, const std::string& secret, std::int64_t now) {
  long long t = now;
  db_.with([&](soci::session& s) {
    s << "INSERT INTO two_factor_auth (user_id, secret, is_enabled, last_used_step, created_at) VALUES (:u, :s, "
         "FALSE, 0, :t) ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at",
        use(user_id), use(secret), use(t);
  });
}

void Store::enable_two_factor(const std::string& user_id, std::int64_t step,
                              const std::vector<std::string>& code_hashes, std::int64_t now) {
  long long st = step, t = now;
  db_.tx([&](soci::session& s) {
    s << "UPDATE two_factor_auth SET is_enabled = TRUE, last_used_step = :st, enabled_at = :t WHERE user_id = :u",
        use(st), use(t), use(user_id);
    s << "DELETE FROM recovery_codes WHERE user_id = :u", use(user_id);
    for (auto& h : code_hashes)
      s << "INSERT INTO recovery_codes (code_hash, user_id) VALUES (:h, :u)", use(h), use(user_id);
  });
}

bool Store::claim_totp_step(const std::string& user_id, std::int64_t step) {
  long long st_value = step;
  return db_.with([&](soci::session& s) {
    soci::statement st = (s.prepare << "UPDATE two_factor_auth SET last_used_step = :st WHERE user_id = :u AND "
                                       "last_used_step < :st2",
                          use(st_value), use(user_id), use(st_value));
    return db::execute_counting(st) == 1;
  });
}

bool Store::consume_recovery_code(const std::string& user_id, const std::string& code_hash, std::int64_t now) {
  long long t = now;
  return db_.with([&](soci::session& s) {
    soci::statement st = (s.prepare << "UPDATE recovery_codes SET used_at = :t WHERE code_hash = :h AND user_id = :u "
                                       "AND used_at IS NULL",
                          use(t), use(code_hash), use(user_id));
    return db::execute_counting(st) == 1;
  });
}

void Store::disable_two_factor(const std::string& user_id) {
  db_.tx([&](soci::session& s) {
    s << "DELETE FROM recovery_codes WHERE user_id = :u", use(user_id);
    s << "DELETE FROM two_factor_auth WHERE user_id = :u", use(user_id);
  });
}

}  // namespace wp::accounts

#include "modules/accounts/store.hpp"

#include <soci/soci.h>

#include "db/affected.hpp"
#include "db/columns.hpp"
#include "db/like.hpp"
#include "db/soci_optional.hpp"
#include "modules/accounts/sql.hpp"

namespace wp::accounts {

using soci::into;
using soci::use;

namespace {

std::optional<UserRow> one_user(soci::session& s, const char* rest, const std::string& value) {
  return db::select_one(s, sql::kUser, rest, db::uses(value));
}

bool has_search(const UserFilter& f) { return !f.search.empty(); }

// The staff filters' SQL (#19); bind_staff_filters binds their parameters.
std::string staff_where(const UserFilter& f) {
  std::string out;
  if (f.only_ids) {
    if (f.only_ids->empty()) {
      out += sql::kNobody;
    } else {
      out += sql::kIdIn;
      for (std::size_t i = 0; i < f.only_ids->size(); ++i) out += (i ? ", :oid" : ":oid") + std::to_string(i);
      out += ")";
    }
  }
  if (!f.except_ids.empty()) {
    out += sql::kIdNotIn;
    for (std::size_t i = 0; i < f.except_ids.size(); ++i) out += (i ? ", :xid" : ":xid") + std::to_string(i);
    out += ")";
  }
  if (f.joined_from) out += sql::kJoinedFrom;
  if (f.joined_to) out += sql::kJoinedTo;
  return out;
}

struct StaffBinds {
  long long from = 0, to = 0;
};

void bind_staff_filters(soci::statement& st, const UserFilter& f, StaffBinds& b) {
  if (f.only_ids)
    for (std::size_t i = 0; i < f.only_ids->size(); ++i) st.exchange(use((*f.only_ids)[i], "oid" + std::to_string(i)));
  for (std::size_t i = 0; i < f.except_ids.size(); ++i) st.exchange(use(f.except_ids[i], "xid" + std::to_string(i)));
  if (f.joined_from) b.from = *f.joined_from, st.exchange(use(b.from, "jf"));
  if (f.joined_to) b.to = *f.joined_to, st.exchange(use(b.to, "jt"));
}

// The WHERE clause of the user lists; bind_search binds its parameters.
std::string user_where(const UserFilter& f, db::Dialect dialect) {
  std::string where = f.is_active ? (*f.is_active ? sql::kOnlyActive : sql::kOnlyInactive) : sql::kAnyUser;
  if (!f.hide_blocked_with.empty()) where += sql::kNotBlockedWith;
  where += staff_where(f);
  if (!has_search(f)) return where;
  std::string names = sql::kNamesLike;
  if (!f.names_of_private) {
    const char* private_profile =
        dialect == db::Dialect::postgresql ? sql::kPrivateProfilePostgres : sql::kPrivateProfileSqlite;
    names = std::string("(NOT ") + private_profile + " AND (" + names + "))";
  }
  std::string match = sql::kUsernameLike + std::string(" OR ") + names;
  if (f.match_email) match += std::string(" OR ") + sql::kEmailLike;
  return where + " AND (" + match + ")";
}

void bind_search(soci::statement& st, const UserFilter& f, const std::string& pattern) {
  if (!f.hide_blocked_with.empty()) {
    st.exchange(use(f.hide_blocked_with, "bv1"));
    st.exchange(use(f.hide_blocked_with, "bv2"));
  }
  if (!has_search(f)) return;
  st.exchange(use(pattern, "p1"));
  st.exchange(use(pattern, "p2"));
  st.exchange(use(pattern, "p3"));
  if (f.match_email) st.exchange(use(pattern, "p4"));
}

}  // namespace

Store::Store(db::Database& db)
    : db_(db),
      principal_(std::make_unique<db::KeptSelect<SessionPrincipal, std::string>>(db, sql::kPrincipal,
                                                                                  sql::kPrincipalOf)),
      user_by_id_(std::make_unique<db::KeptSelect<UserRow, std::string>>(db, sql::kUser, sql::kUserById)),
      two_factor_(
          std::make_unique<db::KeptSelect<TwoFactorRow, std::string>>(db, sql::kTwoFactor, sql::kTwoFactorOf)) {}

std::string Store::instance_secret(const std::string& key, const std::string& candidate) {
  return db_.tx([&](soci::session& s) {
    long long t = 0;
    s << sql::kInsertInstanceSecret, use(key), use(candidate), use(t);
    std::string value;
    s << sql::kInstanceSecret, into(value), use(key);
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
    s << sql::kInsertUser, use(u.id), use(u.username), use(ukey), use(u.email), use(ekey), use(u.password_hash),
        use(u.first_name), use(u.last_name), use(active), use(staff), use(su), use(verified), use(joined),
        use(u.settings);
    s << sql::kInsertProfile, use(p.id), use(u.id), use(p.privacy_settings);
  });
}

std::optional<UserRow> Store::user_by_id(const std::string& id) {
  return db_.with([&](soci::session& s) { return user_by_id_->one(s, id); });
}

std::optional<UserRow> Store::user_by_login(const std::string& key) {
  return db_.with([&](soci::session& s) {
    auto u = one_user(s, sql::kUserByUsernameKey, key);
    return u ? u : one_user(s, sql::kUserByEmailKey, key);
  });
}

std::optional<UserRow> Store::user_by_email(const std::string& email_key) {
  return db_.with([&](soci::session& s) { return one_user(s, sql::kUserByEmailKey, email_key); });
}

bool Store::username_taken(const std::string& key) {
  return db_.with([&](soci::session& s) {
    return db::fetch_count(s, sql::kCountUsernameKey, db::uses(key)) > 0;
  });
}

bool Store::email_taken(const std::string& key) {
  return db_.with([&](soci::session& s) {
    return db::fetch_count(s, sql::kCountEmailKey, db::uses(key)) > 0;
  });
}

void Store::update_user_fields(const UserRow& u) {
  db_.with([&](soci::session& s) {
    s << sql::kUpdateUserFields, use(u.first_name), use(u.last_name), use(u.settings), use(u.id);
  });
}

void Store::set_password(const std::string& user_id, const std::string& hash) {
  db_.with([&](soci::session& s) { s << sql::kSetPassword, use(hash), use(user_id); });
}

void Store::set_last_login(const std::string& user_id, std::int64_t at) {
  long long t = at;
  db_.with([&](soci::session& s) { s << sql::kSetLastLogin, use(t), use(user_id); });
}

void Store::set_email_verified(const std::string& user_id) {
  db_.with([&](soci::session& s) { s << sql::kSetEmailVerified, use(user_id); });
}

std::vector<UserRow> Store::search_users(const UserFilter& f, int limit, int offset) {
  return db_.with([&](soci::session& s) {
    std::string pat = db::like_pattern(f.search);
    StaffBinds binds;
    return db::select_rows(s, sql::kUser,
                           sql::kUsersWhere + user_where(f, db_.dialect()) + " ORDER BY " + sql::user_order_by(f.ordering) +
                               sql::kPage,
                           [&](soci::statement& st) {
                             bind_search(st, f, pat);
                             bind_staff_filters(st, f, binds);
                             st.exchange(use(limit, "lim"));
                             st.exchange(use(offset, "off"));
                           });
  });
}

long long Store::count_users(const UserFilter& f) {
  return db_.with([&](soci::session& s) {
    std::string pat = db::like_pattern(f.search);
    StaffBinds binds;
    return db::fetch_count(s, sql::kCountUsersWhere + user_where(f, db_.dialect()),
                           [&](soci::statement& st) {
                             bind_search(st, f, pat);
                             bind_staff_filters(st, f, binds);
                           });
  });
}

bool Store::set_active(const std::string& user_id, bool active, std::int64_t at) {
  long long t = at;
  return db_.tx([&](soci::session& s) {
    soci::statement st = (s.prepare << (active ? sql::kActivate : sql::kDeactivate), use(user_id));
    if (db::execute_counting(st) == 0) return false;
    if (!active) {
      std::string reason{to_string(RevokeReason::deactivated)};
      s << sql::kRevokeAllSessionsOf, use(t), use(reason), use(user_id);
    }
    return true;
  });
}

std::optional<ProfileRow> Store::profile(const std::string& user_id) {
  return db_.with(
      [&](soci::session& s) { return db::select_one(s, sql::kProfile, sql::kProfileOf, db::uses(user_id)); });
}

void Store::update_profile(const ProfileRow& p) {
  db_.with([&](soci::session& s) {
    s << sql::kUpdateProfile, use(p.avatar), use(p.bio), use(p.country), use(p.timezone), use(p.birth_date),
        use(p.phone), use(p.privacy_settings), use(p.user_id);
  });
}

void Store::create_session(const SessionRow& r, const std::string& refresh_hash) {
  db_.tx([&](soci::session& s) {
    long long c = r.created_at, l = r.last_seen_at, e = r.expires_at;
    s << sql::kInsertSession, use(r.id), use(r.user_id), use(r.user_agent), use(r.ip_address), use(c), use(l), use(e);
    s << sql::kInsertRefreshToken, use(refresh_hash), use(r.id), use(c);
  });
}

std::optional<SessionPrincipal> Store::principal(const std::string& session_id) {
  return db_.with([&](soci::session& s) { return principal_->one(s, session_id); });
}

void Store::touch_session(const std::string& session_id, std::int64_t at) {
  long long t = at;
  db_.with([&](soci::session& s) { s << sql::kTouchSession, use(t), use(session_id); });
}

void Store::touch_sessions(const std::vector<SessionTouch>& touches) {
  if (touches.empty()) return;
  db_.tx([&](soci::session& s) {
    for (const auto& t : touches) {
      long long at = t.at;
      s << sql::kTouchSessionLater, use(at), use(t.session_id), use(at);
    }
  });
}

std::vector<SessionRow> Store::sessions(const std::string& user_id, int limit, int offset) {
  return db_.with([&](soci::session& s) {
    return db::select_rows(s, sql::kSession, sql::kLiveSessionsOf, db::uses(user_id, limit, offset));
  });
}

long long Store::count_sessions(const std::string& user_id) {
  return db_.with([&](soci::session& s) {
    return db::fetch_count(s, sql::kCountLiveSessions, db::uses(user_id));
  });
}

bool Store::revoke_session(const std::string& user_id, const std::string& session_id, RevokeReason why,
                           std::int64_t at) {
  long long t = at;
  std::string reason{to_string(why)};
  return db_.with([&](soci::session& s) {
    soci::statement st =
        (s.prepare << sql::kRevokeLiveSessionOf, use(t), use(reason), use(session_id), use(user_id));
    return db::execute_counting(st) > 0;
  });
}

long long Store::revoke_sessions(const std::string& user_id, const std::optional<std::string>& except,
                                 RevokeReason why, std::int64_t at) {
  long long t = at;
  std::string reason{to_string(why)};
  std::string keep = except.value_or("");
  return db_.with([&](soci::session& s) {
    soci::statement st = (s.prepare << sql::kRevokeOtherSessionsOf, use(t), use(reason), use(user_id), use(keep));
    return db::execute_counting(st);
  });
}

RefreshOutcome Store::rotate_refresh(const std::string& old_hash, const std::string& new_hash, std::int64_t now,
                                     std::int64_t grace_ms, std::string& session_id_out) {
  long long t = now;
  return db_.tx([&](soci::session& s) {
    auto token = db::select_one(s, sql::kRefreshState, sql::kRefreshStateOf, db::uses(old_hash));
    if (!token) return RefreshOutcome::unknown;
    const std::string& session_id = token->session_id;
    session_id_out = session_id;
    if (token->revoked_at || token->expires_at <= now) return RefreshOutcome::session_dead;
    if (token->used_at && now - *token->used_at < grace_ms) return RefreshOutcome::superseded;
    if (token->used_at) {
      std::string reason{to_string(RevokeReason::refresh_token_reuse)};
      s << sql::kRevokeSession, use(t), use(reason), use(session_id);
      return RefreshOutcome::reused;
    }
    s << sql::kUseRefreshToken, use(t), use(old_hash);
    s << sql::kInsertRefreshToken, use(new_hash), use(session_id), use(t);
    s << sql::kTouchSession, use(t), use(session_id);
    return RefreshOutcome::rotated;
  });
}

void Store::record_login(const LoginEventRow& e) {
  int ok = e.success;
  long long at = e.created_at;
  std::string reason{to_string(e.reason)};
  db_.with([&](soci::session& s) {
    s << sql::kInsertLogin, use(e.id), use(e.user_id), use(e.username_tried), use(ok), use(reason),
        use(e.ip_address), use(e.user_agent), use(at);
  });
}

std::vector<LoginEventRow> Store::login_history(const std::string& user_id, int limit, int offset) {
  return db_.with([&](soci::session& s) {
    return db::select_rows(s, sql::kLoginEvent, sql::kLoginsOf, db::uses(user_id, limit, offset));
  });
}

long long Store::count_login_history(const std::string& user_id) {
  return db_.with([&](soci::session& s) {
    return db::fetch_count(s, sql::kCountLoginsOf, db::uses(user_id));
  });
}

void Store::create_token(const UserTokenRow& t, bool invalidate_others) {
  long long c = t.created_at, e = t.expires_at;
  std::string purpose{to_string(t.purpose)};
  db_.tx([&](soci::session& s) {
    if (invalidate_others) s << sql::kRetireTokens, use(c), use(t.user_id), use(purpose);
    s << sql::kInsertToken, use(t.token_hash), use(t.user_id), use(purpose), use(c), use(e);
  });
}

namespace {

std::optional<std::string> live_token_owner(soci::session& s, const std::string& token_hash,
                                            TokenPurpose why, long long now) {
  std::string purpose{to_string(why)};
  std::string user_id;
  s << sql::kLiveTokenOwner, into(user_id), use(token_hash), use(purpose), use(now);
  if (!s.got_data()) return std::nullopt;
  return user_id;
}

}  // namespace

std::optional<std::string> Store::token_owner(const std::string& token_hash, TokenPurpose purpose,
                                              std::int64_t now) {
  return db_.with([&](soci::session& s) { return live_token_owner(s, token_hash, purpose, now); });
}

std::optional<std::string> Store::consume_token(const std::string& token_hash, TokenPurpose purpose,
                                                std::int64_t now) {
  long long t = now;
  return db_.tx([&](soci::session& s) -> std::optional<std::string> {
    auto user_id = live_token_owner(s, token_hash, purpose, t);
    if (!user_id) return std::nullopt;
    soci::statement st = (s.prepare << sql::kUseToken, use(t), use(token_hash));
    if (db::execute_counting(st) != 1) return std::nullopt;
    return user_id;
  });
}

void Store::create_email_change(const UserTokenRow& t, const std::string& new_email) {
  long long c = t.created_at, e = t.expires_at;
  std::string purpose{to_string(TokenPurpose::email_change)};
  db_.tx([&](soci::session& s) {
    s << sql::kRetireTokens, use(c), use(t.user_id), use(purpose);
    s << sql::kInsertEmailChangeToken, use(t.token_hash), use(t.user_id), use(purpose), use(c), use(e), use(new_email);
  });
}

std::optional<EmailChange> Store::confirm_email_change(const std::string& token_hash, std::int64_t now) {
  long long t = now;
  std::string purpose{to_string(TokenPurpose::email_change)};
  return db_.tx([&](soci::session& s) -> std::optional<EmailChange> {
    EmailChange change;
    s << sql::kLiveEmailChange, into(change.user_id), into(change.new_email), use(token_hash), use(purpose), use(t);
    if (!s.got_data()) return std::nullopt;
    soci::statement st = (s.prepare << sql::kUseToken, use(t), use(token_hash));
    if (db::execute_counting(st) != 1) return std::nullopt;
    std::string key = change.new_email;
    for (auto& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    // The unique index on email_key turns a taken address into CONFLICT and rolls the use back.
    s << sql::kSetEmail, use(change.new_email), use(key), use(change.user_id);
    return change;
  });
}

std::optional<TwoFactorRow> Store::two_factor(const std::string& user_id) {
  return db_.with([&](soci::session& s) { return two_factor_->one(s, user_id); });
}

std::optional<std::pair<UserRow, bool>> Store::user_with_two_factor(const std::string& id) {
  return db_.with([&](soci::session& s) -> std::optional<std::pair<UserRow, bool>> {
    auto u = user_by_id_->one(s, id);
    if (!u) return std::nullopt;
    auto tf = two_factor_->one(s, id);
    return std::pair{std::move(*u), tf && tf->is_enabled};
  });
}

void Store::put_two_factor_secret(const std::string& user_id, const std::string& secret, std::int64_t now) {
  long long t = now;
  db_.with([&](soci::session& s) { s << sql::kPutTwoFactorSecret, use(user_id), use(secret), use(t); });
}

void Store::enable_two_factor(const std::string& user_id, std::int64_t step,
                              const std::vector<std::string>& code_hashes, std::int64_t now) {
  long long st = step, t = now;
  db_.tx([&](soci::session& s) {
    s << sql::kEnableTwoFactor, use(st), use(t), use(user_id);
    s << sql::kDeleteRecoveryCodes, use(user_id);
    for (auto& h : code_hashes) s << sql::kInsertRecoveryCode, use(h), use(user_id);
  });
}

bool Store::claim_totp_step(const std::string& user_id, std::int64_t step) {
  long long st_value = step;
  return db_.with([&](soci::session& s) {
    soci::statement st = (s.prepare << sql::kClaimTotpStep, use(st_value), use(user_id), use(st_value));
    return db::execute_counting(st) == 1;
  });
}

bool Store::consume_recovery_code(const std::string& user_id, const std::string& code_hash, std::int64_t now) {
  long long t = now;
  return db_.with([&](soci::session& s) {
    soci::statement st = (s.prepare << sql::kUseRecoveryCode, use(t), use(code_hash), use(user_id));
    return db::execute_counting(st) == 1;
  });
}

void Store::disable_two_factor(const std::string& user_id) {
  db_.tx([&](soci::session& s) {
    s << sql::kDeleteRecoveryCodes, use(user_id);
    s << sql::kDeleteTwoFactor, use(user_id);
  });
}

// ---- admin (#19)
std::vector<UserRow> Store::users_after(const std::string& after_id, int limit, std::optional<bool> is_active) {
  return db_.with([&](soci::session& s) {
    const char* rest = !is_active ? sql::kUsersAfterId : *is_active ? sql::kUsersAfterIdActive : sql::kUsersAfterIdInactive;
    return db::select_rows(s, sql::kUser, rest, db::uses(after_id, limit));
  });
}

}  // namespace wp::accounts

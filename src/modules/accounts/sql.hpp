#pragma once
// Every SQL text of the accounts store, and the column table of each row it
// reads. Only store.cpp includes this. A row query (kUserBy..., kSessionsOf,
// ...) is the text after the SELECT list: db::select_rows puts the list first.
#include <cstdint>
#include <optional>
#include <string>

#include "db/columns.hpp"
#include "modules/accounts/model.hpp"

namespace wp::accounts::sql {

// ---------------------------------------------------------------- row tables

inline const db::Columns<UserRow> kUser{
    {"id", &UserRow::id},
    {"username", &UserRow::username},
    {"email", &UserRow::email},
    {"password_hash", &UserRow::password_hash},
    {"first_name", &UserRow::first_name},
    {"last_name", &UserRow::last_name},
    {"is_active", &UserRow::is_active},
    {"is_staff", &UserRow::is_staff},
    {"is_superuser", &UserRow::is_superuser},
    {"email_verified", &UserRow::email_verified},
    {"date_joined", &UserRow::date_joined},
    {"last_login", &UserRow::last_login},
    {"settings", &UserRow::settings},
};

inline const db::Columns<ProfileRow> kProfile{
    {"id", &ProfileRow::id},
    {"user_id", &ProfileRow::user_id},
    {"avatar", &ProfileRow::avatar},
    {"bio", &ProfileRow::bio},
    {"country", &ProfileRow::country},
    {"timezone", &ProfileRow::timezone},
    {"birth_date", &ProfileRow::birth_date},
    {"phone", &ProfileRow::phone},
    {"is_verified", &ProfileRow::is_verified},
    {"privacy_settings", &ProfileRow::privacy_settings},
};

inline const db::Columns<SessionPrincipal> kPrincipal{
    {"s.id", &SessionPrincipal::session_id},
    {"u.id", &SessionPrincipal::user_id},
    {"u.username", &SessionPrincipal::username},
    {"u.is_active", &SessionPrincipal::is_active},
    {"u.is_staff", &SessionPrincipal::is_staff},
    {"u.is_superuser", &SessionPrincipal::is_superuser},
    {"s.revoked_at IS NOT NULL", &SessionPrincipal::session_revoked},
    {"s.expires_at", &SessionPrincipal::session_expires_at},
    {"s.last_seen_at", &SessionPrincipal::session_last_seen_at},
};

inline const db::Columns<SessionRow> kSession{
    {"id", &SessionRow::id},
    {"user_id", &SessionRow::user_id},
    {"user_agent", &SessionRow::user_agent},
    {"ip_address", &SessionRow::ip_address},
    {"created_at", &SessionRow::created_at},
    {"last_seen_at", &SessionRow::last_seen_at},
    {"expires_at", &SessionRow::expires_at},
};

// A refresh token with the state of its session, as rotation needs it.
struct RefreshState {
  std::string session_id;
  std::optional<std::int64_t> used_at;
  std::optional<std::int64_t> revoked_at;
  std::int64_t expires_at = 0;
};

inline const db::Columns<RefreshState> kRefreshState{
    {"r.session_id", &RefreshState::session_id},
    {"r.used_at", &RefreshState::used_at},
    {"s.revoked_at", &RefreshState::revoked_at},
    {"s.expires_at", &RefreshState::expires_at},
};

inline const db::Columns<LoginEventRow> kLoginEvent{
    {"id", &LoginEventRow::id},
    {"user_id", &LoginEventRow::user_id},
    {"username_tried", &LoginEventRow::username_tried},
    {"success", &LoginEventRow::success},
    {"reason", &LoginEventRow::reason},
    {"ip_address", &LoginEventRow::ip_address},
    {"user_agent", &LoginEventRow::user_agent},
    {"created_at", &LoginEventRow::created_at},
};

inline const db::Columns<TwoFactorRow> kTwoFactor{
    {"user_id", &TwoFactorRow::user_id},
    {"secret", &TwoFactorRow::secret},
    {"is_enabled", &TwoFactorRow::is_enabled},
    {"last_used_step", &TwoFactorRow::last_used_step},
};

// ---------------------------------------------------------------- instance settings

inline constexpr const char* kInsertInstanceSecret =
    "INSERT INTO instance_settings (key, value, updated_at) VALUES (:k, :v, :t) ON CONFLICT (key) DO NOTHING";
inline constexpr const char* kInstanceSecret = "SELECT value FROM instance_settings WHERE key = :k";

// ---------------------------------------------------------------- users and profiles

inline constexpr const char* kInsertUser =
    "INSERT INTO users (id, username, username_key, email, email_key, password_hash, first_name, last_name, "
    "is_active, is_staff, is_superuser, email_verified, date_joined, settings) VALUES (:id, :u, :uk, :e, :ek, :ph, "
    ":fn, :ln, :a, :st, :su, :v, :dj, :set)";
inline constexpr const char* kInsertProfile =
    "INSERT INTO user_profiles (id, user_id, privacy_settings) VALUES (:id, :uid, :ps)";
inline constexpr const char* kUserById = "FROM users WHERE id = :v";
inline constexpr const char* kUserByUsernameKey = "FROM users WHERE username_key = :v";
inline constexpr const char* kUserByEmailKey = "FROM users WHERE email_key = :v";
inline constexpr const char* kCountUsernameKey = "SELECT COUNT(*) FROM users WHERE username_key = :k";
inline constexpr const char* kCountEmailKey = "SELECT COUNT(*) FROM users WHERE email_key = :k";
inline constexpr const char* kUpdateUserFields =
    "UPDATE users SET first_name = :fn, last_name = :ln, settings = :st WHERE id = :id";
inline constexpr const char* kSetPassword = "UPDATE users SET password_hash = :h WHERE id = :id";
inline constexpr const char* kSetLastLogin = "UPDATE users SET last_login = :t WHERE id = :id";
inline constexpr const char* kSetEmailVerified = "UPDATE users SET email_verified = TRUE WHERE id = :id";
inline constexpr const char* kActivate = "UPDATE users SET is_active = TRUE WHERE id = :id";
inline constexpr const char* kDeactivate = "UPDATE users SET is_active = FALSE WHERE id = :id";
// User lists: kUsersWhere (kCountUsersWhere) + which users + whose text
// matches, then ORDER BY user_order_by() + kPage.
inline constexpr const char* kUsersWhere = "FROM users WHERE ";
inline constexpr const char* kCountUsersWhere = "SELECT COUNT(*) FROM users WHERE ";
inline constexpr const char* kAnyUser = "1 = 1";
inline constexpr const char* kOnlyActive = "is_active = TRUE";
inline constexpr const char* kOnlyInactive = "is_active = FALSE";
inline constexpr const char* kUsernameLike = "username_key LIKE :p1 ESCAPE '\\'";
inline constexpr const char* kNamesLike =
    "LOWER(first_name) LIKE :p2 ESCAPE '\\' OR LOWER(last_name) LIKE :p3 ESCAPE '\\'";
inline constexpr const char* kEmailLike = "email_key LIKE :p4 ESCAPE '\\'";
// A private (or friends-only) profile's names are part of what it hides: its user matches by username only.
inline constexpr const char* kPrivateProfilePostgres =
    "EXISTS (SELECT 1 FROM user_profiles p WHERE p.user_id = users.id AND "
    "COALESCE(p.privacy_settings->>'profile_visibility', '') IN ('private', 'friends'))";
inline constexpr const char* kPrivateProfileSqlite =
    "EXISTS (SELECT 1 FROM user_profiles p WHERE p.user_id = users.id AND "
    "COALESCE(json_extract(p.privacy_settings, '$.profile_visibility'), '') IN ('private', 'friends'))";
// A block either way hides the pair from each other's searches (#13).
inline constexpr const char* kNotBlockedWith =
    " AND NOT EXISTS (SELECT 1 FROM user_blocks b WHERE (b.blocker_id = :bv1 AND b.blocked_id = users.id) OR "
    "(b.blocker_id = users.id AND b.blocked_id = :bv2))";
inline constexpr const char* kPage = " LIMIT :lim OFFSET :off";
// Staff filters of the user list (#19); an id list is " AND id IN (" + :oidN... + ")".
inline constexpr const char* kNobody = " AND 1 = 0";
inline constexpr const char* kIdIn = " AND id IN (";
inline constexpr const char* kIdNotIn = " AND id NOT IN (";
inline constexpr const char* kJoinedFrom = " AND date_joined >= :jf";
inline constexpr const char* kJoinedTo = " AND date_joined < :jt";

constexpr const char* user_order_by(UserOrder o) {
  switch (o) {
    case UserOrder::username_desc: return "username_key DESC";
    case UserOrder::date_joined: return "date_joined, username_key";
    case UserOrder::date_joined_desc: return "date_joined DESC, username_key";
    case UserOrder::username: break;
  }
  return "username_key";
}
inline constexpr const char* kProfileOf = "FROM user_profiles WHERE user_id = :u";
inline constexpr const char* kUpdateProfile =
    "UPDATE user_profiles SET avatar = :a, bio = :b, country = :c, timezone = :tz, birth_date = :bd, phone = :ph, "
    "privacy_settings = :ps WHERE user_id = :u";

// ---------------------------------------------------------------- sessions and refresh tokens

inline constexpr const char* kInsertSession =
    "INSERT INTO user_sessions (id, user_id, user_agent, ip_address, created_at, last_seen_at, expires_at) VALUES "
    "(:id, :u, :ua, :ip, :c, :l, :e)";
inline constexpr const char* kInsertRefreshToken =
    "INSERT INTO refresh_tokens (token_hash, session_id, created_at) VALUES (:h, :s, :c)";
inline constexpr const char* kPrincipalOf = "FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE s.id = :sid";
inline constexpr const char* kTouchSession = "UPDATE user_sessions SET last_seen_at = :t WHERE id = :id";
inline constexpr const char* kTouchSessionLater =
    "UPDATE user_sessions SET last_seen_at = :t WHERE id = :id AND last_seen_at < :t2";
inline constexpr const char* kLiveSessionsOf =
    "FROM user_sessions WHERE user_id = :u AND revoked_at IS NULL ORDER BY last_seen_at DESC LIMIT :lim OFFSET :off";
inline constexpr const char* kCountLiveSessions =
    "SELECT COUNT(*) FROM user_sessions WHERE user_id = :u AND revoked_at IS NULL";
inline constexpr const char* kRevokeSession =
    "UPDATE user_sessions SET revoked_at = :t, revoke_reason = :r WHERE id = :id";
inline constexpr const char* kRevokeLiveSessionOf =
    "UPDATE user_sessions SET revoked_at = :t, revoke_reason = :r WHERE id = :id AND user_id = :u AND revoked_at IS "
    "NULL";
inline constexpr const char* kRevokeAllSessionsOf =
    "UPDATE user_sessions SET revoked_at = :t, revoke_reason = :r WHERE user_id = :u AND revoked_at IS NULL";
inline constexpr const char* kRevokeOtherSessionsOf =
    "UPDATE user_sessions SET revoked_at = :t, revoke_reason = :r WHERE user_id = :u AND revoked_at IS NULL AND "
    "id <> :keep";
inline constexpr const char* kRefreshStateOf =
    "FROM refresh_tokens r JOIN user_sessions s ON s.id = r.session_id WHERE r.token_hash = :h";
inline constexpr const char* kUseRefreshToken = "UPDATE refresh_tokens SET used_at = :t WHERE token_hash = :h";

// ---------------------------------------------------------------- login history

inline constexpr const char* kInsertLogin =
    "INSERT INTO login_history (id, user_id, username_tried, success, reason, ip_address, user_agent, created_at) "
    "VALUES (:id, :u, :n, :s, :r, :ip, :ua, :c)";
inline constexpr const char* kLoginsOf =
    "FROM login_history WHERE user_id = :u ORDER BY created_at DESC, id LIMIT :lim OFFSET :off";
inline constexpr const char* kCountLoginsOf = "SELECT COUNT(*) FROM login_history WHERE user_id = :u";

// ---------------------------------------------------------------- single-use tokens

inline constexpr const char* kRetireTokens =
    "UPDATE user_tokens SET used_at = :c WHERE user_id = :u AND purpose = :p AND used_at IS NULL";
inline constexpr const char* kInsertToken =
    "INSERT INTO user_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES (:h, :u, :p, :c, :e)";
inline constexpr const char* kLiveTokenOwner =
    "SELECT user_id FROM user_tokens WHERE token_hash = :h AND purpose = :p AND used_at IS NULL AND expires_at > :t";
inline constexpr const char* kUseToken =
    "UPDATE user_tokens SET used_at = :t WHERE token_hash = :h AND used_at IS NULL";

// ---------------------------------------------------------------- email change (a user_tokens row with new_email)

inline constexpr const char* kInsertEmailChangeToken =
    "INSERT INTO user_tokens (token_hash, user_id, purpose, created_at, expires_at, new_email) "
    "VALUES (:h, :u, :p, :c, :e, :n)";
inline constexpr const char* kLiveEmailChange =
    "SELECT user_id, new_email FROM user_tokens WHERE token_hash = :h AND purpose = :p AND used_at IS NULL "
    "AND expires_at > :t";
inline constexpr const char* kSetEmail =
    "UPDATE users SET email = :e, email_key = :k, email_verified = TRUE WHERE id = :id";

// ---------------------------------------------------------------- two-factor

inline constexpr const char* kTwoFactorOf = "FROM two_factor_auth WHERE user_id = :u";
inline constexpr const char* kPutTwoFactorSecret =
    "INSERT INTO two_factor_auth (user_id, secret, is_enabled, last_used_step, created_at) VALUES (:u, :s, FALSE, 0, "
    ":t) ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at";
inline constexpr const char* kEnableTwoFactor =
    "UPDATE two_factor_auth SET is_enabled = TRUE, last_used_step = :st, enabled_at = :t WHERE user_id = :u";
inline constexpr const char* kDeleteRecoveryCodes = "DELETE FROM recovery_codes WHERE user_id = :u";
inline constexpr const char* kInsertRecoveryCode = "INSERT INTO recovery_codes (code_hash, user_id) VALUES (:h, :u)";
inline constexpr const char* kClaimTotpStep =
    "UPDATE two_factor_auth SET last_used_step = :st WHERE user_id = :u AND last_used_step < :st2";
inline constexpr const char* kUseRecoveryCode =
    "UPDATE recovery_codes SET used_at = :t WHERE code_hash = :h AND user_id = :u AND used_at IS NULL";
inline constexpr const char* kDeleteTwoFactor = "DELETE FROM two_factor_auth WHERE user_id = :u";

// ---- admin (#19): the users export reads users a page at a time, by id
// (a keyset, so a page costs the same at the end as at the start).
inline constexpr const char* kUsersAfterId = "FROM users WHERE id > :after ORDER BY id LIMIT :lim";
inline constexpr const char* kUsersAfterIdActive =
    "FROM users WHERE id > :after AND is_active = TRUE ORDER BY id LIMIT :lim";
inline constexpr const char* kUsersAfterIdInactive =
    "FROM users WHERE id > :after AND is_active = FALSE ORDER BY id LIMIT :lim";

}  // namespace wp::accounts::sql

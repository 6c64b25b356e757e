#pragma once
// Rows of the accounts tables, as store reads and writes them.
#include <cstdint>
#include <optional>
#include <string>

#include "core/enum_names.hpp"

namespace wp::accounts {

// ?ordering= of the user lists (public search and admin).
enum class UserOrder { username, username_desc, date_joined, date_joined_desc };

// What a single-use token (user_tokens.purpose) is for.
enum class TokenPurpose { email_verify, password_reset, two_factor_challenge, email_change, appeal };

// Why a session ended (user_sessions.revoke_reason).
enum class RevokeReason {
  logout,
  revoked_by_user,
  password_changed,
  password_reset,
  deactivated,
  refresh_token_reuse,
  moderation,  // a suspension or a ban (#19)
};

// The outcome of one login attempt (login_history.reason), as the history shows it.
enum class LoginReason {
  ok,
  ok_2fa,
  ok_recovery_code,
  password_ok_2fa_pending,
  registered,
  unknown_user,
  bad_password,
  inactive,
  bad_2fa_code,
  restricted,  // suspended or banned by moderation (#19)
};

struct UserRow {
  std::string id;
  std::string username;
  std::string email;
  std::string password_hash;
  std::string first_name;
  std::string last_name;
  bool is_active = true;
  bool is_staff = false;
  bool is_superuser = false;
  bool email_verified = false;
  std::int64_t date_joined = 0;
  std::optional<std::int64_t> last_login;
  std::string settings = "{}";  // JSON object text
};

struct ProfileRow {
  std::string id;
  std::string user_id;
  std::string avatar;  // file name under <data_dir>/avatars, or empty
  std::string bio;
  std::string country;
  std::string timezone;
  std::optional<std::string> birth_date;  // YYYY-MM-DD
  std::string phone;
  bool is_verified = false;
  std::string privacy_settings = "{}";
};

struct SessionRow {
  std::string id;
  std::string user_id;
  std::string user_agent;
  std::string ip_address;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> revoked_at;
};

struct RefreshTokenRow {
  std::string token_hash;
  std::string session_id;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> used_at;
};

struct LoginEventRow {
  std::string id;
  std::optional<std::string> user_id;
  std::string username_tried;
  bool success = false;
  LoginReason reason = LoginReason::ok;
  std::string ip_address;
  std::string user_agent;
  std::int64_t created_at = 0;
};

struct UserTokenRow {
  std::string token_hash;
  std::string user_id;
  TokenPurpose purpose = TokenPurpose::email_verify;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> used_at;
};

// A confirmed change of address: whose, and the address it set.
struct EmailChange {
  std::string user_id;
  std::string new_email;
};

struct TwoFactorRow {
  std::string user_id;
  std::string secret;  // base32
  bool is_enabled = false;
  std::int64_t last_used_step = 0;
};

// What authentication needs to know about a token's session, in one query.
struct SessionPrincipal {
  std::string session_id;
  std::string user_id;
  std::string username;
  bool is_active = false;
  bool is_staff = false;
  bool is_superuser = false;
  bool session_revoked = false;
  std::int64_t session_expires_at = 0;
  std::int64_t session_last_seen_at = 0;
};

}  // namespace wp::accounts

WP_ENUM_NAMES(wp::accounts::UserOrder, {wp::accounts::UserOrder::username, "username"},
              {wp::accounts::UserOrder::username_desc, "-username"},
              {wp::accounts::UserOrder::date_joined, "date_joined"},
              {wp::accounts::UserOrder::date_joined_desc, "-date_joined"});
WP_ENUM_NAMES(wp::accounts::TokenPurpose, {wp::accounts::TokenPurpose::email_verify, "email_verify"},
              {wp::accounts::TokenPurpose::password_reset, "password_reset"},
              {wp::accounts::TokenPurpose::two_factor_challenge, "2fa_challenge"},
              {wp::accounts::TokenPurpose::email_change, "email_change"},
              {wp::accounts::TokenPurpose::appeal, "appeal"});
WP_ENUM_NAMES(wp::accounts::RevokeReason, {wp::accounts::RevokeReason::logout, "logout"},
              {wp::accounts::RevokeReason::revoked_by_user, "revoked_by_user"},
              {wp::accounts::RevokeReason::password_changed, "password_changed"},
              {wp::accounts::RevokeReason::password_reset, "password_reset"},
              {wp::accounts::RevokeReason::deactivated, "deactivated"},
              {wp::accounts::RevokeReason::refresh_token_reuse, "refresh_token_reuse"},
              {wp::accounts::RevokeReason::moderation, "moderation"});
WP_ENUM_NAMES(wp::accounts::LoginReason, {wp::accounts::LoginReason::ok, "ok"},
              {wp::accounts::LoginReason::ok_2fa, "ok_2fa"},
              {wp::accounts::LoginReason::ok_recovery_code, "ok_recovery_code"},
              {wp::accounts::LoginReason::password_ok_2fa_pending, "password_ok_2fa_pending"},
              {wp::accounts::LoginReason::registered, "registered"},
              {wp::accounts::LoginReason::unknown_user, "unknown_user"},
              {wp::accounts::LoginReason::bad_password, "bad_password"},
              {wp::accounts::LoginReason::inactive, "inactive"},
              {wp::accounts::LoginReason::bad_2fa_code, "bad_2fa_code"},
              {wp::accounts::LoginReason::restricted, "restricted"});

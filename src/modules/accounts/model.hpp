#pragma once
// Rows of the accounts tables, as store reads and writes them.
#include <cstdint>
#include <optional>
#include <string>

namespace wp::accounts {

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
  std::string reason;
  std::string ip_address;
  std::string user_agent;
  std::int64_t created_at = 0;
};

struct UserTokenRow {
  std::string token_hash;
  std::string user_id;
  std::string purpose;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> used_at;
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

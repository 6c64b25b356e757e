#pragma once
// Every SQL statement of the accounts area. Multi-statement changes that
// must be atomic are single methods here, each one transaction.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <memory>

#include "db/database.hpp"
#include "db/kept.hpp"
#include "modules/accounts/model.hpp"
#include "modules/accounts/session_touches.hpp"

namespace wp::accounts {

// superseded: used moments ago (within the grace), most likely by a parallel tab that
// refreshed first; refused, but the session lives on.
enum class RefreshOutcome { rotated, unknown, reused, superseded, session_dead };

// Which users a list shows. The public search matches usernames and names;
// names of private profiles only when names_of_private is set (staff viewers).
struct UserFilter {
  std::string search;
  bool match_email = false;
  bool names_of_private = false;
  // Leaves out users blocked with this user, either way (the social graph's user_blocks).
  std::string hide_blocked_with;
  std::optional<bool> is_active;
  UserOrder ordering = UserOrder::username;
  // Staff filters (#19): only these ids (a moderation standing), joined in [from, to).
  std::optional<std::vector<std::string>> only_ids;
  std::vector<std::string> except_ids;  // and not these (the paying users, for ?plan=free)
  std::optional<std::int64_t> joined_from, joined_to;
};

class Store {
 public:
  explicit Store(db::Database& db);

  // SQLite: one server process owns the file, so every change of a row goes
  // through this process (the CLI's commands aside).
  bool only_this_process_writes() const { return db_.dialect() == db::Dialect::sqlite; }

  // Returns the stored value of an instance secret, storing candidate first if none exists.
  std::string instance_secret(const std::string& key, const std::string& candidate);

  // users and profiles
  void create_user(const UserRow& user, const ProfileRow& profile);
  std::optional<UserRow> user_by_id(const std::string& id);
  // Matches the lower-cased username or the normalized email.
  std::optional<UserRow> user_by_login(const std::string& key);
  std::optional<UserRow> user_by_email(const std::string& email_key);
  bool username_taken(const std::string& username_key);
  bool email_taken(const std::string& email_key);
  void update_user_fields(const UserRow& user);  // names, settings
  void set_password(const std::string& user_id, const std::string& hash);
  void set_last_login(const std::string& user_id, std::int64_t at);
  void set_email_verified(const std::string& user_id);
  std::vector<UserRow> search_users(const UserFilter& filter, int limit, int offset);
  long long count_users(const UserFilter& filter);
  // admin (#19): the users after `after_id` by id, at most limit (the export's pages).
  std::vector<UserRow> users_after(const std::string& after_id, int limit, std::optional<bool> is_active);
  // Sets is_active; deactivating also revokes every live session, in the same transaction.
  // False when there is no such user.
  bool set_active(const std::string& user_id, bool active, std::int64_t at);
  std::optional<ProfileRow> profile(const std::string& user_id);
  void update_profile(const ProfileRow& profile);

  // sessions and refresh tokens
  void create_session(const SessionRow& session, const std::string& refresh_hash);
  std::optional<SessionPrincipal> principal(const std::string& session_id);
  void touch_session(const std::string& session_id, std::int64_t at);
  // Many at once, in one transaction; a time never moves last_seen_at back.
  void touch_sessions(const std::vector<SessionTouch>& touches);
  std::vector<SessionRow> sessions(const std::string& user_id, int limit, int offset);
  long long count_sessions(const std::string& user_id);
  // Revokes one live session of user_id; false when there is none.
  bool revoke_session(const std::string& user_id, const std::string& session_id, RevokeReason reason,
                      std::int64_t at);
  long long revoke_sessions(const std::string& user_id, const std::optional<std::string>& except_session,
                            RevokeReason reason, std::int64_t at);
  // Marks old_hash used and stores new_hash in the same session, atomically.
  // A token used longer than grace_ms ago means theft or a replay: the session is revoked.
  RefreshOutcome rotate_refresh(const std::string& old_hash, const std::string& new_hash, std::int64_t now,
                                std::int64_t grace_ms, std::string& session_id_out);

  // login history
  void record_login(const LoginEventRow& event);
  std::vector<LoginEventRow> login_history(const std::string& user_id, int limit, int offset);
  long long count_login_history(const std::string& user_id);

  // single-use tokens (reset, verification, 2FA challenge)
  void create_token(const UserTokenRow& token, bool invalidate_others);
  // The user of a live (unused, unexpired) token, without consuming it.
  std::optional<std::string> token_owner(const std::string& token_hash, TokenPurpose purpose, std::int64_t now);
  // Marks the token used if it exists, has this purpose, is unused and unexpired.
  std::optional<std::string> consume_token(const std::string& token_hash, TokenPurpose purpose, std::int64_t now);

  // email change: a token that carries the new address
  // Stores it and retires the user's earlier change tokens, so only the newest link works.
  void create_email_change(const UserTokenRow& token, const std::string& new_email);
  // In one transaction: consumes a live change token and sets its address (verified).
  // Nullopt when the token is unknown, used or expired; CONFLICT (token kept) when
  // another account took the address meanwhile.
  std::optional<EmailChange> confirm_email_change(const std::string& token_hash, std::int64_t now);

  // two-factor
  std::optional<TwoFactorRow> two_factor(const std::string& user_id);
  // The user and whether 2FA is on, on one connection (the profile read).
  std::optional<std::pair<UserRow, bool>> user_with_two_factor(const std::string& id);
  void put_two_factor_secret(const std::string& user_id, const std::string& secret, std::int64_t now);
  // Enables 2FA, stores recovery code hashes and the used step, atomically.
  void enable_two_factor(const std::string& user_id, std::int64_t step, const std::vector<std::string>& code_hashes,
                         std::int64_t now);
  // Records step as used; false if it (or a later one) was used already.
  bool claim_totp_step(const std::string& user_id, std::int64_t step);
  bool consume_recovery_code(const std::string& user_id, const std::string& code_hash, std::int64_t now);
  void disable_two_factor(const std::string& user_id);

 private:
  db::Database& db_;
  // The session lookup runs on every authenticated request, the user and 2FA rows on most that
  // read a profile: kept prepared (db/kept.hpp).
  std::unique_ptr<db::KeptSelect<SessionPrincipal, std::string>> principal_;
  std::unique_ptr<db::KeptSelect<UserRow, std::string>> user_by_id_;
  std::unique_ptr<db::KeptSelect<TwoFactorRow, std::string>> two_factor_;
};

}  // namespace wp::accounts

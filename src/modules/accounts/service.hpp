#pragma once
// Account rules: registration, credentials, sessions and token rotation,
// throttling, password reset, email verification, 2FA, profiles, privacy.
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <tuple>
#include <utility>
#include <string>
#include <vector>

#include "core/badges.hpp"
#include "core/audit_log.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "core/mailer.hpp"
#include "core/moderation.hpp"
#include "core/domain_events.hpp"
#include "core/notifier.hpp"
#include "core/plans.hpp"
#include "core/rate_limiter.hpp"
#include "core/principal.hpp"
#include "core/relations.hpp"
#include "modules/accounts/password.hpp"
#include "modules/accounts/principal_cache.hpp"
#include "modules/accounts/verified_tokens.hpp"
#include "modules/accounts/store.hpp"

namespace wp::accounts {

struct ClientInfo {
  std::string ip;
  std::string user_agent;
};

struct TokenPair {
  std::string access_token;
  std::string refresh_token;
  int expires_in = 0;          // seconds the access token lives
  int refresh_expires_in = 0;  // seconds the refresh token lives (its cookie's Max-Age)
  UserRow user;
  bool two_factor_enabled = false;
};

struct LoginResult {
  std::optional<TokenPair> tokens;
  std::string challenge_token;  // set when a second factor is required
  int challenge_expires_in = 0;
};

struct RegisterInput {
  std::string username, email, password, first_name, last_name;
};

struct ProfilePatch {
  std::optional<std::string> bio, country, timezone, birth_date, phone;
  std::optional<std::string> privacy_settings;  // JSON object text
};

struct TwoFactorSetup {
  std::string secret, otpauth_uri, qr_svg;
};

// What another user may see of a profile.
struct PublicProfile {
  UserRow user;
  ProfileRow profile;
  bool is_self = false;
  bool is_private = false;
  bool show_email = false, show_birth_date = false, show_phone = false, show_country = true;
  std::optional<std::int64_t> followers_count, following_count;  // when the social graph is wired
  std::vector<BadgeView> badges;  // store (#18): equipped badges, when wired and the profile is not private
};

// A user's active followers and follows: the social module's answer, wired in app.cpp.
using FollowCountsOf = std::function<std::pair<std::int64_t, std::int64_t>(const std::string& user_id)>;

class AccountsService {
 public:
  AccountsService(Store& store, const Config& config, Mailer& mailer, RateLimiter& limiter);

  // Format and policy problems of a registration, without side effects.
  FieldErrors check_registration(const RegisterInput& in) const;
  FieldErrors check_profile_patch(const ProfilePatch& patch) const;
  TokenPair register_user(const RegisterInput& in, const ClientInfo& client);
  LoginResult login(const std::string& login, const std::string& password, const ClientInfo& client);
  TokenPair complete_two_factor_login(const std::string& challenge, const std::optional<std::string>& code,
                                      const std::optional<std::string>& recovery_code, const ClientInfo& client);
  TokenPair refresh(const std::string& refresh_token);
  void logout(const Principal& user);

  // Resolves an access token; throws Error(authentication) if it is invalid,
  // expired, or its session or user is no longer valid.
  Principal authenticate(const std::string& access_token);
  // authenticate() for an I/O thread: nullopt when the answer needs the
  // database (a token or session not seen lately, a last-seen write due now).
  // Throws like authenticate() when what is in memory already refuses.
  std::optional<Principal> authenticate_from_memory(const std::string& access_token);
  // Writes the sessions' last-seen times that authenticate() gathered (a
  // periodic round, and once at shutdown).
  void flush_session_touches();
  // authenticate() keeps sessions it looked up for session_cache_ms. A revocation
  // drops the user's on this node; these drop them when another node revoked
  // (a signal), or all when signals may have been missed (Redis reconnected).
  void forget_sessions_of(const std::string& user_id) { principals_.drop_user(user_id); }
  void forget_all_sessions() { principals_.clear(); }

  UserRow me(const std::string& user_id);
  // me() and two_factor_enabled() in one trip to the database. On SQLite (one
  // process owns the file) the answer is kept for session_cache_ms, without the
  // password hash, and every change of the user's row or two-factor state here
  // drops it (user_changed).
  std::pair<UserRow, bool> me_with_two_factor(const std::string& user_id);
  // What me_with_two_factor() kept, or null: for an I/O thread.
  std::shared_ptr<const std::pair<UserRow, bool>> me_with_two_factor_from_memory(const std::string& user_id);
  UserRow update_me(const std::string& user_id, const std::optional<std::string>& first_name,
                    const std::optional<std::string>& last_name, const std::optional<std::string>& settings_json);
  bool two_factor_enabled(const std::string& user_id);

  std::vector<SessionRow> sessions(const std::string& user_id, int limit, int offset, long long& count);
  void revoke_session(const Principal& user, const std::string& session_id);
  long long revoke_all_sessions(const Principal& user, bool keep_current);
  std::vector<LoginEventRow> login_history(const std::string& user_id, int limit, int offset, long long& count);

  void change_password(const Principal& user, const std::string& current, const std::string& next);
  void forgot_password(const std::string& email, const ClientInfo& client);
  void reset_password(const std::string& token, const std::string& next);
  // Confirms an address: a verification token, or a change token (which also sets the new address).
  void verify_email(const std::string& token);
  // Mails a change token to new_email (and a notice to the current address); the address
  // changes when verify_email gets that token (email_change.cpp).
  void request_email_change(const Principal& user, const std::string& new_email, const std::string& password);
  void resend_verification(const std::string& user_id);

  TwoFactorSetup two_factor_setup(const std::string& user_id);
  std::vector<std::string> two_factor_verify(const std::string& user_id, const std::string& code);
  void two_factor_disable(const std::string& user_id, const std::string& code, const std::string& password);

  ProfileRow profile(const std::string& user_id);
  ProfileRow update_profile(const std::string& user_id, const ProfilePatch& patch);
  ProfileRow set_avatar(const std::string& user_id, const std::string& image_bytes);
  // Path of the avatar file of user_id, or nullopt.
  std::optional<std::string> avatar_path(const std::string& user_id);
  PublicProfile public_profile(const Principal& viewer, const std::string& user_id);
  // privacy_settings.profile_visibility: public, friends or private.
  std::string profile_visibility(const std::string& user_id);
  // The social graph: blocks hide a pair from each other (profile 404, search),
  // and a `friends` profile is open to friends. Without it, neither.
  void set_social(Relations& relations, FollowCountsOf follow_counts);
  // store (#18): the badges a profile shows. Without it, none.
  void set_badges(Badges& badges) { badges_ = &badges; }
  std::vector<PublicProfile> search(const Principal& viewer, const std::string& needle, UserOrder ordering, int limit, int offset, long long& count);

  // Staff: every user, matched on username, email and names (private or not).
  std::vector<UserRow> admin_users(UserFilter filter, int limit, int offset, long long& count);
  // admin (#19): the users export's pages (the admin module checks who may export).
  std::vector<UserRow> users_after(const std::string& after_id, int limit, std::optional<bool> is_active) {
    return store_.users_after(after_id, limit, is_active);
  }
  // Deactivating revokes every session and closes the user's live connections.
  // The user is told (moderation_action) when a notifier is set.
  void set_notifier(Notifier& notifier) { notifier_ = &notifier; }
  void set_events(const DomainEvents& events) { events_ = &events; }
  // admin (#19): security events (login throttling tripped, 2FA disabled, password changed or reset) go to the audit trail.
  void set_audit_log(AuditLog& log) { audit_ = &log; }
  UserRow set_user_active(const Principal& actor, const std::string& user_id, bool active);
  // The operator's command line: no actor, so none of the rules above.
  UserRow set_active_by_username(const std::string& username, bool active);

  UserRow create_superuser(const std::string& username, const std::string& email, const std::string& password);

  // ---- moderation (#19), in moderation.cpp
  // Why a user may not log in now (suspended, banned); nullopt: they may.
  using LoginGate = std::function<std::optional<std::string>(const std::string& user_id)>;
  void set_login_gate(LoginGate gate) { login_gate_ = std::move(gate); }
  // A refused login with the right password answers an appeal token (the envelope's
  // details.appeal_token): it lets the user read their standing and appeal, nothing else.
  // Whose it is, while it lasts; nullopt when unknown or expired.
  std::optional<Principal> appeal_principal(const std::string& appeal_token);
  // Bios are screened by the word list and flagged.
  void set_content_guard(ContentGuard& guard) { guard_ = &guard; }
  // Ends every session of a user and closes their sockets (a suspension or a ban).
  void end_all_sessions(const std::string& user_id);
  // A user and their bio as the moderation queue shows them; the bio hidden and brought back.
  std::optional<ContentView> moderation_view(const std::string& user_id);
  std::optional<std::string> hide_bio(const std::string& user_id);
  bool restore_bio(const std::string& user_id, const std::string& bio);
  // The ids of users in a moderation standing (muted, suspended, banned), for the staff list's ?status=.
  using StandingIds = std::function<std::vector<std::string>(const std::string& state)>;
  void set_standing_ids(StandingIds ids) { standing_ids_ = std::move(ids); }
  // Staff filter ?plan= (billing): narrows the filter to the plan's users.
  void set_plans(Plans& plans) { plans_ = &plans; }
  void filter_by_plan(const std::string& plan, UserFilter& filter);
  std::vector<std::string> user_ids_in_standing(const std::string& state);
  // ---- end moderation

  // Which sessions of a user just ended: every one, one, or all but one.
  struct Revocation {
    std::string user_id;
    std::optional<std::string> only_session, except_session;
  };
  // Called whenever sessions are revoked, so that transports can close the
  // live connections those sessions opened.
  void on_sessions_revoked(std::function<void(const Revocation&)> listener);
  // Work that need not delay an answer (mail) is handed to submit, which returns
  // false when it cannot take more. Without it such work runs inline (CLI).
  void run_in_background(std::function<bool(std::function<void()>)> submit);

 private:
  UserRow create_user(const RegisterInput& in, bool superuser);
  TokenPair issue_session(const UserRow& user, const ClientInfo& client);
  std::string access_token_for(const UserRow& user, const std::string& session_id);
  void record(const std::optional<UserRow>& user, const std::string& tried, bool ok, LoginReason reason,
              const ClientInfo& client);
  std::int64_t fail_window_ms() const;
  void check_throttle(const std::string& account_key, const ClientInfo& client);
  void count_failure(const std::string& account_key, const ClientInfo& client);
  void send_reset_mail(const std::string& email);
  UserRow apply_active(UserRow target, bool active);
  void send_token_mail(const UserRow& user, TokenPurpose purpose, std::int64_t ttl_ms, const std::string& subject,
                       const std::string& intro, const std::string& path);
  bool confirm_email_change(const std::string& token_hash);
  bool check_second_factor(const UserRow& user, const std::optional<std::string>& code,
                           const std::optional<std::string>& recovery_code);
  void sessions_revoked(const Revocation& revocation);
  const std::string& jwt_secret();

  Store& store_;
  const Config& config_;
  Mailer& mailer_;
  RateLimiter& limiter_;
  PasswordHasher hasher_;
  std::once_flag jwt_secret_once_;  // loaded on first use: the schema may not exist at start-up
  std::string jwt_secret_;
  std::string avatar_dir_;
  std::string public_url_;
  std::string dummy_hash_;  // verified against when the user does not exist, to equalize timing
  std::mutex listeners_mu_;
  std::vector<std::function<void(const Revocation&)>> listeners_;
  std::function<bool(std::function<void()>)> background_;
  Relations* relations_ = nullptr;
  FollowCountsOf follow_counts_;
  Badges* badges_ = nullptr;
  Notifier* notifier_ = nullptr;
  const DomainEvents* events_ = nullptr;
  LoginGate login_gate_;
  SessionTouches touches_{10'000};  // beyond that many sessions per round, authenticate() writes itself
  PrincipalCache principals_;
  RecentReads<std::shared_ptr<const std::pair<UserRow, bool>>> profiles_;  // me_with_two_factor(), by user id
  void user_changed(const std::string& user_id) { profiles_.drop(user_id); }
  bool touch_in_memory(const SessionPrincipal& p, std::int64_t now);  // false: the caller writes the touch
  VerifiedTokens verified_;  // authenticate(): the tokens whose signature was checked already
  StandingIds standing_ids_;
  Plans* plans_ = nullptr;
  ContentGuard* guard_ = nullptr;
  void check_login_gate(const UserRow& user, const std::string& tried, const ClientInfo& client);
  AuditLog* audit_ = nullptr;  // admin (#19)
  void security_event(AuditLevel level, std::string message, std::string context_json, std::optional<std::string> user_id);
};

}  // namespace wp::accounts

#include "modules/accounts/service.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/error.hpp"
#include "core/filetype.hpp"
#include "core/ids.hpp"
#include "core/json_input.hpp"
#include "core/log.hpp"
#include "core/validators.hpp"
#include "modules/accounts/jwt.hpp"
#include "modules/accounts/totp.hpp"

namespace wp::accounts {

namespace json = boost::json;

namespace {

constexpr std::int64_t kVerifyTtlMs = 48 * 3600 * 1000;
constexpr std::int64_t kSessionTouchMs = 60 * 1000;
constexpr std::size_t kAvatarMaxBytes = 2 * 1024 * 1024;
constexpr const char* kBadCredentials = "Unable to log in with the provided credentials.";
constexpr const char* kSessionEnded = "The session has ended. Log in again.";

[[noreturn]] void unauthenticated(const std::string& why) { throw Error(ErrorCode::authentication, why); }

// The token's session, looked up, still lets it in: or the refusal.
void admit(const SessionPrincipal& p, const AccessClaims& claims, std::int64_t now) {
  if (p.user_id != claims.sub || p.session_revoked || p.session_expires_at <= now) unauthenticated(kSessionEnded);
  if (!p.is_active) unauthenticated("User account is disabled.");
}

Principal principal_of(const SessionPrincipal& p) {
  return {.id = p.user_id, .username = p.username, .is_staff = p.is_staff, .is_superuser = p.is_superuser,
          .session_id = p.session_id};
}

[[noreturn]] void invalid(FieldErrors errors) { throw Error(ErrorCode::validation, "Invalid input.", std::move(errors)); }

void check_password(FieldErrors& errors, const std::string& field, const std::string& password,
                    const std::string& username, const std::string& email) {
  if (auto problem = password_problem(password, username, email)) errors[field].push_back(*problem);
}

std::string recovery_code() {
  // 10 characters from an alphabet without look-alikes, shown as xxxxx-xxxxx.
  static constexpr char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
  std::string raw = crypto::random_token(), out;
  for (std::size_t i = 0; out.size() < 11; ++i) {
    if (out.size() == 5) out.push_back('-');
    out.push_back(alphabet[static_cast<unsigned char>(raw[i]) % (sizeof alphabet - 1)]);
  }
  return out;
}

// "2 hour(s)", "15 minute(s)", "30 second(s)": how long a mailed token lives.
std::string duration_text(std::int64_t ms) {
  auto s = ms / 1000;
  if (s >= 3600 && s % 3600 == 0) return std::to_string(s / 3600) + " hour(s)";
  if (s >= 60 && s % 60 == 0) return std::to_string(s / 60) + " minute(s)";
  return std::to_string(s) + " second(s)";
}

std::string recovery_hash(const std::string& code) { return crypto::sha256_hex(validators::lower(code)); }

}  // namespace

AccountsService::AccountsService(Store& store, const Config& config, Mailer& mailer, RateLimiter& limiter)
    : store_(store),
      config_(config),
      mailer_(mailer),
      limiter_(limiter),
      hasher_(config.password_hash_cost, std::max(1, config.blocking_threads / 4)),
      avatar_dir_(config.data_dir + "/avatars"),
      public_url_(config.public_url.empty() ? "http://" + config.host + ":" + std::to_string(config.port)
                                            : config.public_url),
      principals_(config.session_cache_ms, 10'000),
      profiles_(store.only_this_process_writes() ? config.session_cache_ms : 0, 10'000) {
  dummy_hash_ = hasher_.hash(crypto::random_token());
  std::filesystem::create_directories(avatar_dir_);
}

const std::string& AccountsService::jwt_secret() {
  std::call_once(jwt_secret_once_, [this] {
    jwt_secret_ = config_.jwt_secret.empty()
                      ? store_.instance_secret("jwt_secret", crypto::random_token() + crypto::random_token())
                      : config_.jwt_secret;
  });
  return jwt_secret_;
}

void AccountsService::run_in_background(std::function<bool(std::function<void()>)> submit) {
  background_ = std::move(submit);
}

void AccountsService::on_sessions_revoked(std::function<void(const Revocation&)> listener) {
  std::lock_guard lock(listeners_mu_);
  listeners_.push_back(std::move(listener));
}

// The listeners run outside the lock: one of them writes to the database.
void AccountsService::sessions_revoked(const Revocation& revocation) {
  principals_.drop_user(revocation.user_id);
  std::vector<std::function<void(const Revocation&)>> listeners;
  {
    std::lock_guard lock(listeners_mu_);
    listeners = listeners_;
  }
  for (auto& l : listeners) l(revocation);
}

FieldErrors AccountsService::check_registration(const RegisterInput& in) const {
  FieldErrors errors;
  std::string email = validators::normalize_email(in.email);
  if (auto p = validators::username(in.username)) errors["username"].push_back(*p);
  if (auto p = validators::email(email)) errors["email"].push_back(*p);
  check_password(errors, "password", in.password, in.username, email);
  return errors;
}

UserRow AccountsService::create_user(const RegisterInput& in, bool superuser) {
  if (auto errors = check_registration(in); !errors.empty()) invalid(std::move(errors));
  std::string email = validators::normalize_email(in.email);

  FieldErrors taken;
  if (store_.username_taken(validators::lower(in.username)))
    taken["username"].push_back("A user with that username already exists.");
  if (store_.email_taken(validators::lower(email))) taken["email"].push_back("A user with that email already exists.");
  if (!taken.empty()) throw Error(ErrorCode::conflict, "Username or email already in use.", std::move(taken));

  UserRow u;
  u.id = new_uuid();
  u.username = in.username;
  u.email = email;
  u.password_hash = hasher_.hash(in.password);
  u.first_name = in.first_name;
  u.last_name = in.last_name;
  u.is_staff = u.is_superuser = superuser;
  u.email_verified = superuser;
  u.date_joined = now_ms();
  ProfileRow p;
  p.id = new_uuid();
  p.user_id = u.id;
  p.privacy_settings = R"({"profile_visibility":"public","show_email":false,"show_birth_date":false,"show_phone":false,"show_country":true})";
  // A concurrent registration of the same name surfaces here as CONFLICT from the unique index.
  store_.create_user(u, p);
  return u;
}

TokenPair AccountsService::register_user(const RegisterInput& in, const ClientInfo& client) {
  auto user = create_user(in, false);
  try {
    send_token_mail(user, TokenPurpose::email_verify, kVerifyTtlMs, "Verify your watchparty email",
                    "Welcome to watchparty! Confirm your email address with this token:", "/verify-email");
  } catch (const Error& e) {
    // The account exists; the mail can be resent. Do not fail the registration.
    spdlog::warn("verification mail for {} not sent: {}", user.id, e.what());
  }
  record(user, user.username, true, LoginReason::registered, client);
  publish_event(events_, {.type = "user.registered", .user_id = user.id});
  return issue_session(user, client);
}

std::string AccountsService::access_token_for(const UserRow& user, const std::string& session_id) {
  auto now_s = now_ms() / 1000;
  return sign_access_token({.sub = user.id, .sid = session_id, .jti = new_uuid(), .iat = now_s,
                            .exp = now_s + config_.access_token_ttl_s},
                           jwt_secret());
}

TokenPair AccountsService::issue_session(const UserRow& user, const ClientInfo& client) {
  auto now = now_ms();
  SessionRow s;
  s.id = new_uuid();
  s.user_id = user.id;
  s.user_agent = client.user_agent.substr(0, 512);
  s.ip_address = client.ip;
  s.created_at = s.last_seen_at = now;
  s.expires_at = now + static_cast<std::int64_t>(config_.refresh_token_ttl_s) * 1000;
  std::string refresh = crypto::random_token();
  store_.create_session(s, crypto::sha256_hex(refresh));
  store_.set_last_login(user.id, now);
  user_changed(user.id);
  TokenPair t;
  t.access_token = access_token_for(user, s.id);
  t.refresh_token = refresh;
  t.expires_in = config_.access_token_ttl_s;
  t.refresh_expires_in = config_.refresh_token_ttl_s;
  t.user = user;
  t.user.last_login = now;
  t.two_factor_enabled = two_factor_enabled(user.id);
  publish_event(events_, {.type = "user.logged_in", .user_id = user.id});
  return t;
}

void AccountsService::record(const std::optional<UserRow>& user, const std::string& tried, bool ok,
                             LoginReason reason, const ClientInfo& client) {
  LoginEventRow e;
  e.id = new_uuid();
  if (user) e.user_id = user->id;
  e.username_tried = tried.substr(0, 254);
  e.success = ok;
  e.reason = reason;
  e.ip_address = client.ip;
  e.user_agent = client.user_agent.substr(0, 512);
  e.created_at = now_ms();
  store_.record_login(e);
}

std::int64_t AccountsService::fail_window_ms() const {
  return static_cast<std::int64_t>(config_.login_fail_window_s) * 1000;
}

void AccountsService::check_throttle(const std::string& account_key, const ClientInfo& client) {
  auto by_account = limiter_.blocked_for(account_key, config_.login_fail_limit_account, fail_window_ms());
  auto by_ip = limiter_.blocked_for("login:ip:" + client.ip, config_.login_fail_limit_ip, fail_window_ms());
  if (by_account || by_ip) {
    int wait = std::max(by_account.value_or(0), by_ip.value_or(0));
    throw Error(ErrorCode::rate_limited, "Too many failed login attempts. Try again later.").with_retry_after(wait);
  }
}

void AccountsService::count_failure(const std::string& account_key, const ClientInfo& client) {
  limiter_.hit(account_key, fail_window_ms());
  limiter_.hit("login:ip:" + client.ip, fail_window_ms());
  // admin (#19): the failure that trips the throttle is a security event (later attempts are refused before counting).
  if (audit_ && (limiter_.blocked_for(account_key, config_.login_fail_limit_account, fail_window_ms()) ||
                 limiter_.blocked_for("login:ip:" + client.ip, config_.login_fail_limit_ip, fail_window_ms())))
    security_event(AuditLevel::warning, "Login throttling tripped",
                   boost::json::serialize(boost::json::object{{"key", account_key}, {"ip", client.ip}}), std::nullopt);
}

void AccountsService::security_event(AuditLevel level, std::string message, std::string context_json,
                                     std::optional<std::string> user_id) {
  record_quietly(audit_, {level, AuditCategory::security, std::move(message), std::move(context_json), std::move(user_id)});
}

LoginResult AccountsService::login(const std::string& login, const std::string& password, const ClientInfo& client) {
  std::string key = validators::lower(validators::normalize_email(login));
  auto user = store_.user_by_login(key);
  // Throttle per account whichever name it is addressed by; unknown names count on their own.
  std::string account_key = "login:acct:" + (user ? user->id : key);
  check_throttle(account_key, client);
  // Verify even for unknown users, so that timing does not reveal which exist.
  bool ok = hasher_.verify(user ? user->password_hash : dummy_hash_, password) && user.has_value();
  if (!ok || !user->is_active) {
    count_failure(account_key, client);
    record(user, login, false, !user ? LoginReason::unknown_user : !ok ? LoginReason::bad_password : LoginReason::inactive, client);
    unauthenticated(kBadCredentials);
  }
  if (hasher_.needs_rehash(user->password_hash)) store_.set_password(user->id, hasher_.hash(password));
  check_login_gate(*user, login, client);  // moderation (#19): suspended or banned

  LoginResult result;
  if (two_factor_enabled(user->id)) {
    // The failure count stays until the second factor is right too, or code guesses would reset it.
    std::string challenge = crypto::random_token();
    auto now = now_ms();
    auto ttl_ms = std::int64_t{config_.two_factor_challenge_ttl_s} * 1000;
    store_.create_token({crypto::sha256_hex(challenge), user->id, TokenPurpose::two_factor_challenge, now, now + ttl_ms}, false);
    record(user, login, true, LoginReason::password_ok_2fa_pending, client);
    result.challenge_token = challenge;
    result.challenge_expires_in = config_.two_factor_challenge_ttl_s;
    return result;
  }
  limiter_.reset(account_key);
  record(user, login, true, LoginReason::ok, client);
  result.tokens = issue_session(*user, client);
  return result;
}

bool AccountsService::check_second_factor(const UserRow& user, const std::optional<std::string>& code,
                                          const std::optional<std::string>& recovery_code) {
  auto tf = store_.two_factor(user.id);
  if (!tf || !tf->is_enabled) return false;
  if (code) {
    auto step = totp_match(tf->secret, *code, now_ms() / 1000);
    // A code is good once: the step is claimed atomically, so a replay in the same step fails.
    return step && store_.claim_totp_step(user.id, *step);
  }
  if (recovery_code) return store_.consume_recovery_code(user.id, recovery_hash(*recovery_code), now_ms());
  return false;
}

TokenPair AccountsService::complete_two_factor_login(const std::string& challenge,
                                                     const std::optional<std::string>& code,
                                                     const std::optional<std::string>& recovery_code,
                                                     const ClientInfo& client) {
  if (!code && !recovery_code) throw_validation("code", "Provide code or recovery_code.");
  constexpr const char* kBadChallenge = "The login challenge is invalid or has expired. Log in again.";
  auto challenge_hash = crypto::sha256_hex(challenge);
  // Throttled like passwords, and checked before the code: a throttled guess learns nothing.
  auto owner = store_.token_owner(challenge_hash, TokenPurpose::two_factor_challenge, now_ms());
  if (!owner) unauthenticated(kBadChallenge);
  std::string account_key = "login:acct:" + *owner;
  check_throttle(account_key, client);
  auto user_id = store_.consume_token(challenge_hash, TokenPurpose::two_factor_challenge, now_ms());
  if (!user_id) unauthenticated(kBadChallenge);
  auto user = store_.user_by_id(*user_id);
  if (!user || !user->is_active) unauthenticated(kBadCredentials);
  if (!check_second_factor(*user, code, recovery_code)) {
    count_failure(account_key, client);
    record(user, user->username, false, LoginReason::bad_2fa_code, client);
    unauthenticated("Invalid two-factor code. Log in again.");
  }
  limiter_.reset(account_key);
  check_login_gate(*user, user->username, client);  // moderation (#19)
  record(user, user->username, true, recovery_code ? LoginReason::ok_recovery_code : LoginReason::ok_2fa, client);
  return issue_session(*user, client);
}

TokenPair AccountsService::refresh(const std::string& refresh_token) {
  std::string new_refresh = crypto::random_token();
  std::string session_id;
  auto outcome = store_.rotate_refresh(crypto::sha256_hex(refresh_token), crypto::sha256_hex(new_refresh), now_ms(),
                                       std::int64_t{config_.refresh_reuse_grace_s} * 1000, session_id);
  switch (outcome) {
    case RefreshOutcome::unknown: unauthenticated("Invalid refresh token.");
    case RefreshOutcome::session_dead: unauthenticated(kSessionEnded);
    case RefreshOutcome::superseded:
      throw Error(ErrorCode::conflict,
                  "This refresh token was just replaced by a newer one (another tab refreshed first); use the newest.");
    case RefreshOutcome::reused: {
      spdlog::warn("refresh token reused: session {} revoked", session_id);
      if (auto p = store_.principal(session_id)) sessions_revoked({p->user_id, session_id, std::nullopt});
      unauthenticated("Refresh token already used; the session has been revoked.");
    }
    case RefreshOutcome::rotated: break;
  }
  auto p = store_.principal(session_id);
  if (!p || !p->is_active) unauthenticated(kSessionEnded);
  auto user = store_.user_by_id(p->user_id);
  TokenPair t;
  t.access_token = access_token_for(*user, session_id);
  t.refresh_token = new_refresh;
  t.expires_in = config_.access_token_ttl_s;
  t.refresh_expires_in = config_.refresh_token_ttl_s;
  t.user = *user;
  t.two_factor_enabled = two_factor_enabled(user->id);
  return t;
}

void AccountsService::logout(const Principal& user) {
  store_.revoke_session(user.id, user.session_id, RevokeReason::logout, now_ms());
  sessions_revoked({user.id, user.session_id, std::nullopt});
}

Principal AccountsService::authenticate(const std::string& token) {
  auto now = now_ms();
  auto claims = verified_.find(token, now / 1000);
  if (!claims) {
    claims = verify_access_token(token, jwt_secret(), now / 1000);
    if (!claims) unauthenticated("Invalid or expired token.");
    verified_.remember(token, *claims, now / 1000);
  }
  auto p = principals_.get(claims->sid, now);
  if (!p) {
    auto epoch = principals_.epoch();
    p = store_.principal(claims->sid);
    if (p && !p->session_revoked && p->is_active) principals_.put(*p, epoch, now);
  }
  if (!p) unauthenticated(kSessionEnded);
  admit(*p, *claims, now);
  if (!touch_in_memory(*p, now)) store_.touch_session(p->session_id, now);
  return principal_of(*p);
}

// Everything here is in memory: a token checked before, its session looked up
// lately, and its last-seen time, if due, noted for the next round.
std::optional<Principal> AccountsService::authenticate_from_memory(const std::string& token) {
  auto now = now_ms();
  auto claims = verified_.find(token, now / 1000);
  if (!claims) return std::nullopt;
  auto p = principals_.get(claims->sid, now);
  if (!p) return std::nullopt;
  admit(*p, *claims, now);
  if (!touch_in_memory(*p, now)) return std::nullopt;
  return principal_of(*p);
}

bool AccountsService::touch_in_memory(const SessionPrincipal& p, std::int64_t now) {
  return now - p.session_last_seen_at <= kSessionTouchMs || touches_.note(p.session_id, now);
}

void AccountsService::flush_session_touches() {
  auto batch = touches_.take();
  try {
    store_.touch_sessions(batch);
  } catch (const std::exception&) {
    for (const auto& t : batch) touches_.note(t.session_id, t.at);  // the next round tries them again
    throw;
  }
}

UserRow AccountsService::me(const std::string& user_id) {
  auto u = store_.user_by_id(user_id);
  if (!u) throw_not_found("User not found.");
  return *u;
}

std::pair<UserRow, bool> AccountsService::me_with_two_factor(const std::string& user_id) {
  auto epoch = profiles_.epoch();
  auto found = store_.user_with_two_factor(user_id);
  if (!found) throw_not_found("User not found.");
  if (profiles_.keeps()) {
    auto kept = std::make_shared<std::pair<UserRow, bool>>(*found);
    kept->first.password_hash.clear();
    profiles_.put(user_id, std::move(kept), epoch, now_ms());
  }
  return std::move(*found);
}

std::shared_ptr<const std::pair<UserRow, bool>> AccountsService::me_with_two_factor_from_memory(
    const std::string& user_id) {
  auto kept = profiles_.get(user_id, now_ms());
  return kept ? *kept : nullptr;
}

UserRow AccountsService::update_me(const std::string& user_id, const std::optional<std::string>& first_name,
                                   const std::optional<std::string>& last_name,
                                   const std::optional<std::string>& settings_json) {
  auto u = me(user_id);
  if (first_name) u.first_name = *first_name;
  if (last_name) u.last_name = *last_name;
  if (settings_json) u.settings = *settings_json;
  store_.update_user_fields(u);
  user_changed(u.id);
  return u;
}

bool AccountsService::two_factor_enabled(const std::string& user_id) {
  auto tf = store_.two_factor(user_id);
  return tf && tf->is_enabled;
}

std::vector<SessionRow> AccountsService::sessions(const std::string& user_id, int limit, int offset, long long& count) {
  count = store_.count_sessions(user_id);
  return store_.sessions(user_id, limit, offset);
}

void AccountsService::revoke_session(const Principal& user, const std::string& session_id) {
  if (!store_.revoke_session(user.id, session_id, RevokeReason::revoked_by_user, now_ms())) throw_not_found("Session not found.");
  sessions_revoked({user.id, session_id, std::nullopt});
}

long long AccountsService::revoke_all_sessions(const Principal& user, bool keep_current) {
  auto keep = keep_current ? std::optional(user.session_id) : std::nullopt;
  auto n = store_.revoke_sessions(user.id, keep, RevokeReason::revoked_by_user, now_ms());
  sessions_revoked({user.id, std::nullopt, keep});
  return n;
}

std::vector<LoginEventRow> AccountsService::login_history(const std::string& user_id, int limit, int offset,
                                                          long long& count) {
  count = store_.count_login_history(user_id);
  return store_.login_history(user_id, limit, offset);
}

void AccountsService::change_password(const Principal& who, const std::string& current, const std::string& next) {
  auto u = me(who.id);
  FieldErrors errors;
  if (!hasher_.verify(u.password_hash, current)) errors["current_password"].push_back("The current password is incorrect.");
  check_password(errors, "new_password", next, u.username, u.email);
  if (!errors.empty()) invalid(std::move(errors));
  store_.set_password(u.id, hasher_.hash(next));
  store_.revoke_sessions(u.id, who.session_id, RevokeReason::password_changed, now_ms());
  sessions_revoked({u.id, std::nullopt, who.session_id});
  security_event(AuditLevel::info, "Password changed", "{}", u.id);
}

void AccountsService::send_token_mail(const UserRow& user, TokenPurpose purpose, std::int64_t ttl_ms,
                                      const std::string& subject, const std::string& intro, const std::string& path) {
  std::string token = crypto::random_token();
  auto now = now_ms();
  store_.create_token({crypto::sha256_hex(token), user.id, purpose, now, now + ttl_ms}, true);
  std::string body = "Hello " + user.username + ",\n\n" + intro + "\n\nToken: " + token + "\n\nOr open " +
                     public_url_ + path + "?token=" + token + "\n\nThis token expires in " +
                     duration_text(ttl_ms) + ". If you did not ask for it, ignore this mail.\n";
  mailer_.send({user.email, subject, body});
}

void AccountsService::forgot_password(const std::string& email, const ClientInfo& client) {
  // Counted before anything is queued, so that a flood neither fills the
  // shared pool nor mails one inbox over and over. The answer stays the same.
  std::int64_t window_ms = std::int64_t{config_.reset_mail_window_s} * 1000;
  std::string address = validators::lower(validators::normalize_email(email));
  if (limiter_.acquire("reset:ip:" + client.ip, config_.reset_mail_limit_ip, window_ms)) {
    spdlog::warn("password reset from {} not sent: too many requests from this address", client.ip);
    return;
  }
  if (limiter_.acquire("reset:email:" + address, config_.reset_mail_limit_address, window_ms)) {
    spdlog::warn("password reset not sent: too many requests for one email address");
    return;
  }
  // Lookup and mail happen after the answer, so its timing does not tell whether the address exists.
  auto job = [this, email, request_id = log::current_request_id()] {
    log::RequestScope scope(request_id);
    send_reset_mail(email);
  };
  if (!background_) return job();
  if (!background_(job)) throw Error(ErrorCode::unavailable, "The server is busy. Try again shortly.").with_retry_after(1);
}

void AccountsService::send_reset_mail(const std::string& email) {
  auto user = store_.user_by_email(validators::lower(validators::normalize_email(email)));
  if (!user || !user->is_active) return;  // same answer either way: no account enumeration
  try {
    send_token_mail(*user, TokenPurpose::password_reset, std::int64_t{config_.password_reset_ttl_s} * 1000,
                    "Reset your watchparty password",
                    "Someone asked to reset the password of your watchparty account. Use this token:",
                    "/reset-password");
  } catch (const Error& e) {
    spdlog::warn("reset mail for {} not sent: {}", user->id, e.what());
  }
}

void AccountsService::reset_password(const std::string& token, const std::string& next) {
  auto hash = crypto::sha256_hex(token);
  // Check the new password before consuming, so a weak one does not burn the token.
  auto owner = store_.token_owner(hash, TokenPurpose::password_reset, now_ms());
  if (!owner) throw_validation("token", "The reset token is invalid, used or expired.");
  auto u = me(*owner);
  FieldErrors errors;
  check_password(errors, "new_password", next, u.username, u.email);
  if (!errors.empty()) invalid(std::move(errors));
  if (!store_.consume_token(hash, TokenPurpose::password_reset, now_ms()))
    throw_validation("token", "The reset token is invalid, used or expired.");
  store_.set_password(u.id, hasher_.hash(next));
  store_.revoke_sessions(u.id, std::nullopt, RevokeReason::password_reset, now_ms());
  sessions_revoked({u.id, std::nullopt, std::nullopt});
  security_event(AuditLevel::info, "Password reset", "{}", u.id);
}

void AccountsService::verify_email(const std::string& token) {
  auto hash = crypto::sha256_hex(token);
  if (auto user_id = store_.consume_token(hash, TokenPurpose::email_verify, now_ms())) {
    store_.set_email_verified(*user_id);
    user_changed(*user_id);
    return;
  }
  if (!confirm_email_change(hash)) throw_validation("token", "The verification token is invalid, used or expired.");
}

void AccountsService::resend_verification(const std::string& user_id) {
  auto u = me(user_id);
  if (u.email_verified) throw_conflict("The email address is already verified.");
  send_token_mail(u, TokenPurpose::email_verify, kVerifyTtlMs, "Verify your watchparty email",
                  "Confirm your email address with this token:", "/verify-email");
}

TwoFactorSetup AccountsService::two_factor_setup(const std::string& user_id) {
  auto u = me(user_id);
  if (two_factor_enabled(user_id)) throw_conflict("Two-factor authentication is already enabled.");
  auto secret = new_totp_secret_base32();
  store_.put_two_factor_secret(user_id, secret, now_ms());
  auto uri = otpauth_uri(secret, u.username, "watchparty");
  return {secret, uri, qr_svg(uri)};
}

std::vector<std::string> AccountsService::two_factor_verify(const std::string& user_id, const std::string& code) {
  auto tf = store_.two_factor(user_id);
  if (!tf) throw_conflict("Call 2fa/setup/ first.");
  if (tf->is_enabled) throw_conflict("Two-factor authentication is already enabled.");
  auto step = totp_match(tf->secret, code, now_ms() / 1000);
  if (!step) throw_validation("code", "The code is not valid.");
  std::vector<std::string> codes, hashes;
  for (int i = 0; i < 10; ++i) {
    codes.push_back(recovery_code());
    hashes.push_back(recovery_hash(codes.back()));
  }
  store_.enable_two_factor(user_id, *step, hashes, now_ms());
  user_changed(user_id);
  return codes;
}

void AccountsService::two_factor_disable(const std::string& user_id, const std::string& code,
                                         const std::string& password) {
  auto u = me(user_id);
  if (!two_factor_enabled(user_id)) throw_conflict("Two-factor authentication is not enabled.");
  FieldErrors errors;
  if (!hasher_.verify(u.password_hash, password)) errors["password"].push_back("The password is incorrect.");
  bool looks_totp = code.size() == 6 && code.find_first_not_of("0123456789") == std::string::npos;
  if (errors.empty() && !check_second_factor(u, looks_totp ? std::optional(code) : std::nullopt,
                                             looks_totp ? std::nullopt : std::optional(code)))
    errors["code"].push_back("The code is not valid.");
  if (!errors.empty()) invalid(std::move(errors));
  store_.disable_two_factor(user_id);
  user_changed(user_id);
  security_event(AuditLevel::warning, "Two-factor authentication disabled", "{}", user_id);
}

ProfileRow AccountsService::profile(const std::string& user_id) {
  auto p = store_.profile(user_id);
  if (!p) throw_not_found("Profile not found.");
  return *p;
}

FieldErrors AccountsService::check_profile_patch(const ProfilePatch& patch) const {
  FieldErrors errors;
  auto check = [&](const std::optional<std::string>& v, const char* field, auto validator) {
    if (v && !v->empty())
      if (auto problem = validator(*v)) errors[field].push_back(*problem);
  };
  check(patch.country, "country", validators::country_code);
  check(patch.timezone, "timezone", validators::iana_timezone);
  check(patch.birth_date, "birth_date", validators::past_date);
  check(patch.phone, "phone", validators::e164_phone);
  if (patch.privacy_settings) {
    for (auto& [k, v] : stored_object(*patch.privacy_settings)) {
      if (k == "profile_visibility") {
        if (!v.is_string() || (v.as_string() != "public" && v.as_string() != "friends" && v.as_string() != "private"))
          errors["privacy_settings"].push_back("profile_visibility must be public, friends or private.");
      } else if (k == "show_email" || k == "show_birth_date" || k == "show_phone" || k == "show_country") {
        if (!v.is_bool()) errors["privacy_settings"].push_back(std::string(k) + " must be true or false.");
      } else {
        errors["privacy_settings"].push_back("Unknown setting " + std::string(k) + ".");
      }
    }
  }
  return errors;
}

ProfileRow AccountsService::update_profile(const std::string& user_id, const ProfilePatch& patch) {
  auto p = profile(user_id);
  if (auto errors = check_profile_patch(patch); !errors.empty()) invalid(std::move(errors));
  json::object privacy = stored_object(p.privacy_settings);
  if (patch.privacy_settings)
    for (auto& [k, v] : stored_object(*patch.privacy_settings)) privacy[k] = v;
  if (patch.bio) {
    if (guard_) guard_->screen(user_id, ContentType::user, *patch.bio, "bio");  // moderation (#19)
    p.bio = *patch.bio;
  }
  if (patch.country) p.country = *patch.country;
  if (patch.timezone) p.timezone = *patch.timezone;
  if (patch.birth_date) p.birth_date = patch.birth_date->empty() ? std::nullopt : patch.birth_date;
  if (patch.phone) p.phone = *patch.phone;
  p.privacy_settings = json::serialize(privacy);
  store_.update_profile(p);
  if (patch.bio && guard_) guard_->posted(user_id, ContentType::user, user_id, *patch.bio);
  return p;
}

ProfileRow AccountsService::set_avatar(const std::string& user_id, const std::string& bytes) {
  if (bytes.size() > kAvatarMaxBytes) throw Error(ErrorCode::payload_too_large, "The avatar must be at most 2 MiB.");
  auto mime = sniff_mime_type(bytes);
  std::string ext = mime == "image/png" ? "png" : mime == "image/jpeg" ? "jpg" : mime == "image/gif" ? "gif"
                  : mime == "image/webp" ? "webp" : "";
  if (ext.empty()) throw Error(ErrorCode::unsupported_media, "The avatar must be a PNG, JPEG, GIF or WebP image.");
  auto p = profile(user_id);
  std::string name = user_id + "-" + random_hex(4) + "." + ext;
  std::string tmp = avatar_dir_ + "/." + name + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write avatar file");
  }
  std::filesystem::rename(tmp, avatar_dir_ + "/" + name);
  std::string old = p.avatar;
  p.avatar = name;
  store_.update_profile(p);
  if (!old.empty()) {
    std::error_code ec;
    std::filesystem::remove(avatar_dir_ + "/" + old, ec);
  }
  return p;
}

std::optional<std::string> AccountsService::avatar_path(const std::string& user_id) {
  auto p = store_.profile(user_id);
  if (!p || p->avatar.empty()) return std::nullopt;
  return avatar_dir_ + "/" + p->avatar;
}

void AccountsService::set_social(Relations& relations, FollowCountsOf follow_counts) {
  relations_ = &relations;
  follow_counts_ = std::move(follow_counts);
}

std::string AccountsService::profile_visibility(const std::string& user_id) {
  auto p = store_.profile(user_id);
  if (!p) return "public";
  auto privacy = stored_object(p->privacy_settings);
  auto vis = privacy.if_contains("profile_visibility");
  return vis && vis->is_string() ? std::string(vis->as_string()) : "public";
}

PublicProfile AccountsService::public_profile(const Principal& viewer, const std::string& user_id) {
  auto u = store_.user_by_id(user_id);
  bool is_self = viewer.id == user_id;
  // A block, either way, hides each from the other (staff included: this is the social view).
  if (!u || !u->is_active || (!is_self && relations_ && relations_->blocked_between(viewer.id, user_id)))
    throw_not_found("User not found.");
  PublicProfile out;
  out.user = *u;
  out.profile = profile(user_id);
  out.is_self = is_self;
  if (follow_counts_) std::tie(out.followers_count, out.following_count) = follow_counts_(user_id);
  auto privacy = stored_object(out.profile.privacy_settings);
  auto flag = [&](const char* k, bool dflt) {
    auto v = privacy.if_contains(k);
    return v && v->is_bool() ? v->as_bool() : dflt;
  };
  auto vis = privacy.if_contains("profile_visibility");
  bool staff = viewer.is_staff || viewer.is_superuser;
  std::string visibility = vis && vis->is_string() ? std::string(vis->as_string()) : "public";
  bool friend_sees = visibility == "friends" && relations_ && relations_->are_friends(viewer.id, user_id);
  out.is_private = !out.is_self && !staff && visibility != "public" && !friend_sees;
  bool all = out.is_self || staff;
  out.show_email = all || flag("show_email", false);
  out.show_birth_date = all || flag("show_birth_date", false);
  out.show_phone = all || flag("show_phone", false);
  out.show_country = all || flag("show_country", true);
  if (badges_ && !out.is_private) out.badges = badges_->badges_of(user_id);
  return out;
}

std::vector<PublicProfile> AccountsService::search(const Principal& viewer, const std::string& needle,
                                                   UserOrder ordering, int limit, int offset,
                                                   long long& count) {
  UserFilter filter{.search = needle, .names_of_private = viewer.is_staff || viewer.is_superuser, .is_active = true,
                    .ordering = ordering};
  if (relations_) filter.hide_blocked_with = viewer.id;
  count = store_.count_users(filter);
  std::vector<PublicProfile> out;
  for (auto& u : store_.search_users(filter, limit, offset)) out.push_back(public_profile(viewer, u.id));
  return out;
}

std::vector<UserRow> AccountsService::admin_users(UserFilter filter, int limit, int offset, long long& count) {
  filter.match_email = true;
  filter.names_of_private = true;
  count = store_.count_users(filter);
  return store_.search_users(filter, limit, offset);
}

UserRow AccountsService::set_user_active(const Principal& actor, const std::string& user_id, bool active) {
  auto target = store_.user_by_id(user_id);
  if (!target) throw_not_found("User not found.");
  // Nobody locks themselves out; only superusers change the state of other administrators.
  if (target->id == actor.id) throw_forbidden("You cannot change the active state of your own account.");
  if ((target->is_staff || target->is_superuser) && !actor.is_superuser)
    throw_forbidden("Only a superuser may deactivate or activate a staff account.");
  spdlog::info("user {} {} by {}", user_id, active ? "activated" : "deactivated", actor.id);
  auto row = apply_active(*target, active);
  boost::json::object data{{"target_kind", "account"},
                           {"action", active ? "Account reactivated" : "Account deactivated"},
                           {"reason", active ? "you can log in again" : "contact support if you think this is a mistake"},
                           {"link", "/settings"}};
  notify_quietly(notifier_, {row.id, "moderation_action", boost::json::serialize(data), "", actor.id});
  return row;
}

UserRow AccountsService::set_active_by_username(const std::string& username, bool active) {
  auto target = store_.user_by_login(validators::lower(username));
  if (!target) throw_not_found("No user named " + username + ".");
  return apply_active(*target, active);
}

UserRow AccountsService::apply_active(UserRow target, bool active) {
  if (!store_.set_active(target.id, active, now_ms())) throw_not_found("User not found.");
  user_changed(target.id);
  if (!active) sessions_revoked({target.id, std::nullopt, std::nullopt});
  target.is_active = active;
  return target;
}

UserRow AccountsService::create_superuser(const std::string& username, const std::string& email,
                                          const std::string& password) {
  return create_user({username, email, password, "", ""}, true);
}

}  // namespace wp::accounts

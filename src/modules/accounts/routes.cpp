#include "modules/accounts/routes.hpp"


#include "core/fields.hpp"
#include "http/cors.hpp"
#include "http/file_response.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "http/multipart.hpp"
#include "http/pagination.hpp"
#include "modules/accounts/admin_routes.hpp"
#include "modules/accounts/dto.hpp"
#include "http/user_agent.hpp"

namespace wp::accounts {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

constexpr const char* kAccessCookie = "wp_access";
constexpr const char* kRefreshCookie = "wp_refresh";

ClientInfo client_of(const Request& req) { return {req.remote_ip, http::user_agent(req)}; }

std::string cookie(const std::string& name, const std::string& value, const std::string& path, int max_age,
                   const char* same_site) {
  return name + "=" + value + "; Path=" + path + "; Max-Age=" + std::to_string(max_age) + "; HttpOnly; SameSite=" +
         same_site;
}

Response tokens_response(const TokenPair& t, int status = 200) {
  auto res = http::json_response(tokens_json(t), status);
  res.add_header("Set-Cookie", cookie(kAccessCookie, t.access_token, "/", t.expires_in, "Lax"));
  res.add_header("Set-Cookie", cookie(kRefreshCookie, t.refresh_token, "/api/auth/", t.refresh_expires_in, "Strict"));
  res.set_header("Cache-Control", "no-store");
  return res;
}

// Handlers: parse the DTO, call the service, shape the answer.

Response register_user(AccountsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  RegisterInput in;
  in.username = f.required_string("username", 1, 150);
  in.email = f.required_string("email", 1, 254);
  in.password = f.required_string("password", 1, 1024);
  in.first_name = f.optional_string("first_name", 150).value_or("");
  in.last_name = f.optional_string("last_name", 150).value_or("");
  f.merge(svc.check_registration(in));
  f.done();
  return tokens_response(svc.register_user(in, client_of(req)), 201);
}

Response login(AccountsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto username = f.required_string("username", 1, 254);
  auto password = f.required_string("password", 1, 1024);
  f.done();
  auto result = svc.login(username, password, client_of(req));
  if (result.tokens) return tokens_response(*result.tokens);
  return http::json_response(json::object{{"two_factor_required", true},
                                          {"challenge_token", result.challenge_token},
                                          {"expires_in", result.challenge_expires_in}});
}

Response two_factor_login(AccountsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto challenge = f.required_string("challenge_token", 1, 4096);
  auto code = f.optional_string("code", 16);
  auto recovery = f.optional_string("recovery_code", 32);
  f.done();
  return tokens_response(svc.complete_two_factor_login(challenge, code, recovery, client_of(req)));
}

Response refresh(AccountsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto token = f.optional_string("refresh_token", 4096);
  if (!token) token = req.cookie(kRefreshCookie);
  if (!token || token->empty()) f.add_error("refresh_token", "This field is required.");
  f.done();
  return tokens_response(svc.refresh(*token));
}

Response logout(AccountsService& svc, Request& req) {
  svc.logout(req.current_user());
  auto res = http::success_response();
  res.add_header("Set-Cookie", cookie(kAccessCookie, "", "/", 0, "Lax"));
  res.add_header("Set-Cookie", cookie(kRefreshCookie, "", "/api/auth/", 0, "Strict"));
  return res;
}

Response get_profile(AccountsService& svc, Request& req) {
  auto [user, two_factor] = svc.me_with_two_factor(req.current_user().id);
  return http::json_response(user_json(user, two_factor));
}

// get_profile on the I/O thread, when this node read the answer lately.
std::optional<Response> get_profile_from_memory(AccountsService& svc, Request& req) {
  auto kept = svc.me_with_two_factor_from_memory(req.current_user().id);
  if (!kept) return std::nullopt;
  return http::json_response(user_json(kept->first, kept->second));
}

Response patch_profile(AccountsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto first = f.optional_string("first_name", 150);
  auto last = f.optional_string("last_name", 150);
  auto settings = f.optional_object("settings");
  f.done();
  auto& me = req.current_user();
  auto u = svc.update_me(me.id, first, last, settings ? std::optional(json::serialize(*settings)) : std::nullopt);
  return http::json_response(user_json(u, svc.two_factor_enabled(me.id)));
}

Response list_sessions(AccountsService& svc, Request& req) {
  auto page = http::parse_page(req);
  auto& me = req.current_user();
  long long count = 0;
  json::array out;
  for (auto& s : svc.sessions(me.id, page.size, page.offset(), count)) out.push_back(session_json(s, me.session_id));
  return http::paginated(req, page, count, std::move(out));
}

Response delete_session(AccountsService& svc, Request& req) {
  svc.revoke_session(req.current_user(), req.param("id"));
  return http::success_response();
}

Response revoke_all(AccountsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  bool keep = f.optional_bool("keep_current").value_or(true);
  f.done();
  auto n = svc.revoke_all_sessions(req.current_user(), keep);
  return http::success_response({{"revoked", n}});
}

Response login_history(AccountsService& svc, Request& req) {
  auto page = http::parse_page(req);
  long long count = 0;
  json::array out;
  for (auto& e : svc.login_history(req.current_user().id, page.size, page.offset(), count))
    out.push_back(login_event_json(e));
  return http::paginated(req, page, count, std::move(out));
}

Response change_password(AccountsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto current = f.required_string("current_password", 1, 1024);
  auto next = f.required_string("new_password", 1, 1024);
  f.done();
  svc.change_password(req.current_user(), current, next);
  return http::success_response();
}

Response forgot_password(AccountsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto email = f.required_string("email", 1, 254);
  f.done();
  svc.forgot_password(email, client_of(req));
  return http::success_response({{"message", "If an account uses this address, a reset token has been sent to it."}});
}

Response reset_password(AccountsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto token = f.required_string("token", 1, 256);
  auto next = f.required_string("new_password", 1, 1024);
  f.done();
  svc.reset_password(token, next);
  return http::success_response();
}

Response verify_email(AccountsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto token = f.required_string("token", 1, 256);
  f.done();
  svc.verify_email(token);
  return http::success_response();
}

Response change_email(AccountsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto new_email = f.required_string("new_email", 1, 254);
  auto password = f.required_string("password", 1, 1024);
  f.done();
  svc.request_email_change(req.current_user(), new_email, password);
  return http::success_response({{"message", "A confirmation link has been sent to the new address."}});
}

Response resend_verification(AccountsService& svc, Request& req) {
  svc.resend_verification(req.current_user().id);
  return http::success_response();
}

Response two_factor_setup(AccountsService& svc, Request& req) {
  auto s = svc.two_factor_setup(req.current_user().id);
  auto res = http::json_response(json::object{{"secret", s.secret}, {"otpauth_uri", s.otpauth_uri}, {"qr_code_svg", s.qr_svg}});
  res.set_header("Cache-Control", "no-store");
  return res;
}

Response two_factor_verify(AccountsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto code = f.required_string("code", 1, 16);
  f.done();
  json::array codes;
  for (auto& c : svc.two_factor_verify(req.current_user().id, code)) codes.emplace_back(c);
  auto res = http::success_response({{"recovery_codes", std::move(codes)}});
  res.set_header("Cache-Control", "no-store");
  return res;
}

Response two_factor_disable(AccountsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto code = f.required_string("code", 1, 32);
  auto password = f.required_string("password", 1, 1024);
  f.done();
  svc.two_factor_disable(req.current_user().id, code, password);
  return http::success_response();
}

Response my_profile(AccountsService& svc, Request& req) {
  return http::json_response(profile_json(svc.profile(req.current_user().id)));
}

Response patch_my_profile(AccountsService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  ProfilePatch p;
  p.bio = f.optional_string("bio", 500);
  p.country = f.optional_string("country", 2);
  p.timezone = f.optional_string("timezone", 64);
  p.birth_date = f.optional_string("birth_date", 10);
  p.phone = f.optional_string("phone", 16);
  if (auto privacy = f.optional_object("privacy_settings")) p.privacy_settings = json::serialize(*privacy);
  f.merge(svc.check_profile_patch(p));
  f.done();
  return http::json_response(profile_json(svc.update_profile(req.current_user().id, p)));
}

Response upload_avatar(AccountsService& svc, Request& req) {
  auto parts = http::parse_multipart(req);
  auto file = http::find_part(parts, "file");
  if (!file) throw_validation("file", "This field is required.");
  return http::json_response(profile_json(svc.set_avatar(req.current_user().id, file->data)));
}

Response get_avatar(AccountsService& svc, Request& req) {
  return http::serve_image(req, svc.avatar_path(req.param("id")), "No avatar.");
}

Response get_user(AccountsService& svc, Request& req) {
  return http::json_response(public_profile_json(svc.public_profile(req.current_user(), req.param("id"))));
}

Response search_users(AccountsService& svc, Request& req) {
  auto page = http::parse_page(req);
  long long count = 0;
  json::array out;
  auto ordering = UserOrder::username;
  if (auto o = req.query("ordering")) ordering = require_enum<UserOrder>("ordering", *o);
  for (auto& p : svc.search(req.current_user(), req.query("search").value_or(""), ordering, page.size, page.offset(),
                            count))
    out.push_back(public_profile_json(p));
  return http::paginated(req, page, count, std::move(out));
}

struct Credentials {
  std::string token;
  bool from_cookie = false;
};

std::optional<Credentials> credentials_of(const Request& req) {
  if (auto auth = req.header("Authorization")) {
    if (auth->rfind("Bearer ", 0) != 0)
      throw Error(ErrorCode::authentication, "Use 'Authorization: Bearer <access token>'.");
    return Credentials{auth->substr(7)};
  }
  if (auto c = req.cookie(kAccessCookie); c && !c->empty()) return Credentials{*c, true};
  // Browsers cannot set headers on a WebSocket handshake: the token rides in the URL.
  if (auto q = req.query("token"); q && http::iequals(req.header("Upgrade").value_or(""), "websocket"))
    return Credentials{*q};
  return std::nullopt;
}

// Cookies ride along on cross-site requests; the Origin says where they came from.
void check_cookie_origin(const Request& req, const Credentials& c, const Config& config) {
  bool safe = req.method == "GET" || req.method == "HEAD" || req.method == "OPTIONS";
  if (!c.from_cookie || safe) return;
  auto origin = req.header("Origin");
  auto host = req.header("Host").value_or("");
  bool same = origin && (*origin == "http://" + host || *origin == "https://" + host);
  if (!origin || !(same || http::origin_allowed(*origin, config.cors_origins)))
    throw_forbidden("Cross-site request refused: the Origin is not allowed.");
}

}  // namespace

http::Authenticator make_authenticator(AccountsService& svc, const Config& config) {
  return [&svc, &config](const Request& req) -> std::optional<Principal> {
    auto c = credentials_of(req);
    if (!c) return std::nullopt;
    auto user = svc.authenticate(c->token);
    check_cookie_origin(req, *c, config);
    return user;
  };
}

http::MemoryAuthenticator make_memory_authenticator(AccountsService& svc, const Config& config) {
  return [&svc, &config](const Request& req) -> http::MemoryAuth {
    auto c = credentials_of(req);
    if (!c) return {.answered = true};
    auto user = svc.authenticate_from_memory(c->token);
    if (!user) return {};
    check_cookie_origin(req, *c, config);
    return {.answered = true, .user = std::move(user)};
  };
}

void add_routes(http::Router& router, AccountsService& svc) {
  const auto A = Access::anonymous, U = Access::user;
  // Anonymous bodies are small: a login needs well under a kilobyte (names,
  // password, token; room for \u escapes), so a stranger cannot send a megabyte.
  const http::Route small{.max_body = 2 * 1024}, signup{.max_body = 8 * 1024};
  http::ModuleRoutes routes(router, svc, "accounts");
  routes.add("POST", "/api/auth/register/", "Create an account and log in", A, register_user, signup);
  routes.add("POST", "/api/auth/login/", "Log in with username or email and password", A, login, small);
  routes.add("POST", "/api/auth/2fa/login/", "Complete a login with a TOTP or recovery code", A, two_factor_login, small);
  routes.add("POST", "/api/auth/refresh/", "Rotate a refresh token into a new token pair", A, refresh, small);
  routes.add("POST", "/api/auth/logout/", "End the current session", U, logout);
  routes.add("GET", "/api/auth/profile/", "The current user", U, get_profile,
             {.from_memory = [&svc](Request& req) { return get_profile_from_memory(svc, req); }});
  routes.add("PATCH", "/api/auth/profile/", "Update names and settings of the current user", U, patch_profile);
  routes.add("GET", "/api/auth/sessions/", "My live sessions", U, list_sessions);
  routes.add("DELETE", "/api/auth/sessions/{id}/", "Revoke one of my sessions", U, delete_session);
  routes.add("POST", "/api/auth/sessions/revoke-all/", "Log out everywhere", U, revoke_all);
  routes.add("GET", "/api/auth/login-history/", "My login attempts, newest first", U, login_history);
  routes.add("POST", "/api/auth/change-password/", "Change my password; other sessions end", U, change_password);
  routes.add("POST", "/api/auth/forgot-password/", "Mail a password reset token", A, forgot_password, small);
  routes.add("POST", "/api/auth/reset-password/", "Set a new password with a reset token", A, reset_password, small);
  routes.add("POST", "/api/auth/verify-email/", "Confirm an email address with its token", A, verify_email, small);
  routes.add("POST", "/api/auth/change-email/", "Mail a confirmation token to a new address; it is set when confirmed",
             U, change_email);
  routes.add("POST", "/api/auth/resend-verification/", "Mail a new verification token", U, resend_verification);
  routes.add("POST", "/api/auth/2fa/setup/", "Start enabling TOTP: secret, URI and QR code", U, two_factor_setup);
  routes.add("POST", "/api/auth/2fa/verify/", "Confirm a TOTP code: enables 2FA, returns recovery codes", U,
             two_factor_verify);
  routes.add("POST", "/api/auth/2fa/disable/", "Disable 2FA with a code and the password", U, two_factor_disable);
  routes.add("GET", "/api/users/me/profile/", "My profile", U, my_profile);
  routes.add("PATCH", "/api/users/me/profile/", "Update my profile", U, patch_my_profile);
  routes.add("POST", "/api/users/me/avatar/", "Upload my avatar (multipart, field file)", U, upload_avatar,
             {.max_body = 3 * 1024 * 1024});
  routes.add("GET", "/api/users/{id}/avatar/", "A user's avatar image", A, get_avatar);
  routes.add("GET", "/api/users/{id}/", "A user's public profile, as their privacy settings allow", U, get_user);
  routes.add("GET", "/api/users/", "Search users by name (?search=)", U, search_users);
  add_admin_routes(router, svc);
}

}  // namespace wp::accounts

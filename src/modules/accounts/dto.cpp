#include "modules/accounts/dto.hpp"

#include "core/clock.hpp"
#include "http/json.hpp"

namespace wp::accounts {

namespace json = boost::json;

namespace {
using http::time_or_null;
json::value object_or_empty(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return !ec && v.is_object() ? v : json::object{};
}
}  // namespace

json::object user_json(const UserRow& u, bool two_factor_enabled) {
  return {{"id", u.id},
          {"username", u.username},
          {"email", u.email},
          {"first_name", u.first_name},
          {"last_name", u.last_name},
          {"is_active", u.is_active},
          {"is_staff", u.is_staff},
          {"is_superuser", u.is_superuser},
          {"email_verified", u.email_verified},
          {"two_factor_enabled", two_factor_enabled},
          {"date_joined", to_rfc3339(u.date_joined)},
          {"last_login", time_or_null(u.last_login)},
          {"settings", object_or_empty(u.settings)}};
}

json::object tokens_json(const TokenPair& t) {
  return {{"access_token", t.access_token},
          {"refresh_token", t.refresh_token},
          {"token_type", "Bearer"},
          {"expires_in", t.expires_in},
          {"user", user_json(t.user, t.two_factor_enabled)}};
}

json::object session_json(const SessionRow& s, const std::string& current_session_id) {
  return {{"id", s.id},
          {"user_agent", s.user_agent},
          {"ip_address", s.ip_address},
          {"created_at", to_rfc3339(s.created_at)},
          {"last_seen_at", to_rfc3339(s.last_seen_at)},
          {"expires_at", to_rfc3339(s.expires_at)},
          {"current", s.id == current_session_id}};
}

json::object login_event_json(const LoginEventRow& e) {
  return {{"id", e.id},
          {"success", e.success},
          {"reason", to_string(e.reason)},
          {"username", e.username_tried},
          {"ip_address", e.ip_address},
          {"user_agent", e.user_agent},
          {"created_at", to_rfc3339(e.created_at)}};
}

std::string avatar_url(const ProfileRow& p) {
  return p.avatar.empty() ? "" : "/api/users/" + p.user_id + "/avatar/?v=" + p.avatar.substr(p.avatar.rfind('-') + 1);
}

json::object profile_json(const ProfileRow& p) {
  return {{"user_id", p.user_id},
          {"avatar", avatar_url(p)},
          {"bio", p.bio},
          {"country", p.country},
          {"timezone", p.timezone},
          {"birth_date", p.birth_date ? json::value(*p.birth_date) : json::value(nullptr)},
          {"phone", p.phone},
          {"is_verified", p.is_verified},
          {"privacy_settings", object_or_empty(p.privacy_settings)}};
}

json::object public_profile_json(const PublicProfile& p) {
  json::object o{{"id", p.user.id}, {"username", p.user.username}, {"avatar", avatar_url(p.profile)},
                 {"is_private", p.is_private}};
  if (p.is_private) return o;
  if (p.followers_count) o["followers_count"] = *p.followers_count;
  if (p.following_count) o["following_count"] = *p.following_count;
  o["first_name"] = p.user.first_name;
  o["last_name"] = p.user.last_name;
  o["date_joined"] = to_rfc3339(p.user.date_joined);
  o["bio"] = p.profile.bio;
  o["timezone"] = p.profile.timezone;
  if (p.show_country) o["country"] = p.profile.country;
  if (p.show_email) o["email"] = p.user.email;
  if (p.show_birth_date) o["birth_date"] = p.profile.birth_date ? json::value(*p.profile.birth_date) : json::value(nullptr);
  if (p.show_phone) o["phone"] = p.profile.phone;
  json::array badges;
  for (auto& b : p.badges) badges.push_back(json::object{{"item_id", b.item_id}, {"name", b.name}, {"image", b.image}});
  o["badges"] = std::move(badges);
  return o;
}

}  // namespace wp::accounts

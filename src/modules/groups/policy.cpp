#include "modules/groups/policy.hpp"

#include <boost/json.hpp>

#include "core/json_input.hpp"

namespace wp::groups {

namespace json = boost::json;

namespace {

constexpr std::size_t kWelcomeMax = 500;

// Characters, not bytes.
std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

}  // namespace

std::optional<bool>& PermissionOverrides::at(Permission p) {
  switch (p) {
    case Permission::invite: return invite;
    case Permission::approve: return approve;
    case Permission::kick: return kick;
    case Permission::host_parties: break;
  }
  return host_parties;
}

const std::optional<bool>& PermissionOverrides::at(Permission p) const {
  return const_cast<PermissionOverrides*>(this)->at(p);
}

Settings parse_settings(const std::string& text) {
  Settings s;
  auto o = stored_object(text);
  if (auto v = o.if_contains("members_can_invite"); v && v->is_bool()) s.members_can_invite = v->as_bool();
  if (auto v = o.if_contains("members_can_host_parties"); v && v->is_bool()) s.members_can_host_parties = v->as_bool();
  if (auto v = o.if_contains("welcome_message"); v && v->is_string()) s.welcome_message = v->as_string();
  return s;
}

json::object settings_json(const Settings& s) {
  return {{"members_can_invite", s.members_can_invite},
          {"members_can_host_parties", s.members_can_host_parties},
          {"welcome_message", s.welcome_message}};
}

FieldErrors check_settings(const json::object& patch) {
  FieldErrors errors;
  auto bad = [&](std::string why) { errors["settings"].push_back(std::move(why)); };
  for (auto& [k, v] : patch) {
    if (k == "members_can_invite" || k == "members_can_host_parties") {
      if (!v.is_bool()) bad(std::string(k) + " must be true or false.");
    } else if (k == "welcome_message") {
      if (!v.is_string() || utf8_length(v.as_string()) > kWelcomeMax)
        bad("welcome_message must be a string of at most 500 characters.");
    } else {
      bad("Unknown setting " + std::string(k) +
          ". Known: members_can_invite, members_can_host_parties, welcome_message.");
    }
  }
  return errors;
}

std::string merge_settings(const std::string& current, const json::object& patch) {
  auto merged = settings_json(parse_settings(current));
  for (auto& [k, v] : patch) merged[k] = v;
  return json::serialize(settings_json(parse_settings(json::serialize(merged))));
}

PermissionOverrides parse_permissions(const std::string& text) {
  PermissionOverrides out;
  auto o = stored_object(text);
  for (auto p : kAllPermissions)
    if (auto v = o.if_contains(to_string(p)); v && v->is_bool()) out.at(p) = v->as_bool();
  return out;
}

FieldErrors check_permissions(const json::object& patch) {
  FieldErrors errors;
  for (auto& [k, v] : patch) {
    if (!parse_enum<Permission>(std::string_view(k)))
      errors["permissions"].push_back("Unknown permission " + std::string(k) + ". Must be one of " +
                                      enum_choices<Permission>() + ".");
    else if (!v.is_bool() && !v.is_null())
      errors["permissions"].push_back(std::string(k) + " must be true, false or null.");
  }
  return errors;
}

std::string merge_permissions(const std::string& current, const json::object& patch) {
  auto o = parse_permissions(current);
  for (auto& [k, v] : patch) {
    auto p = parse_enum<Permission>(std::string_view(k));
    if (!p) continue;
    if (v.is_bool())
      o.at(*p) = v.as_bool();
    else
      o.at(*p).reset();
  }
  json::object out;
  for (auto p : kAllPermissions)
    if (o.at(p)) out[to_string(p)] = *o.at(p);
  return json::serialize(out);
}

bool holds(const MembershipRow& m, const Settings& settings, Permission p) {
  if (!m.active()) return false;
  if (m.role == GroupRole::admin) return true;
  if (auto own = parse_permissions(m.permissions).at(p)) return *own;
  if (m.role == GroupRole::moderator) return true;
  if (p == Permission::invite) return settings.members_can_invite;
  if (p == Permission::host_parties) return settings.members_can_host_parties;
  return false;
}

json::object effective_permissions(const MembershipRow& m, const Settings& settings) {
  json::object out;
  for (auto p : kAllPermissions) out[to_string(p)] = holds(m, settings, p);
  return out;
}

}  // namespace wp::groups

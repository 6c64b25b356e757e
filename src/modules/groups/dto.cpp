#include "modules/groups/dto.hpp"

#include "core/clock.hpp"
#include "modules/groups/policy.hpp"

namespace wp::groups {

namespace json = boost::json;

namespace {

json::value nullable(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object group_ref(const GroupRow& g) { return {{"id", g.id}, {"name", g.name}}; }

json::object user_ref(const std::string& id, const std::string& username) { return {{"id", id}, {"username", username}}; }

}  // namespace

std::string avatar_url(const GroupRow& g) {
  return g.avatar.empty() ? "" : "/api/groups/" + g.id + "/avatar/?v=" + g.avatar.substr(g.avatar.rfind('-') + 1);
}

json::object group_json(const GroupRow& g) {
  return {{"id", g.id},
          {"name", g.name},
          {"description", g.description},
          {"category", g.category},
          {"is_private", g.is_private},
          {"settings", settings_json(parse_settings(g.settings))},
          {"avatar", avatar_url(g)},
          {"creator_id", nullable(g.creator_id)},
          {"member_count", g.member_count},
          {"created_at", to_rfc3339(g.created_at)},
          {"updated_at", to_rfc3339(g.updated_at)}};
}

json::object group_view_json(const GroupView& v) {
  auto o = group_json(v.group);
  if (v.mine)
    o["membership"] = json::object{{"role", to_string(v.mine->role)},
                                   {"status", to_string(v.mine->status)},
                                   {"since", to_rfc3339(v.mine->created_at)},
                                   {"permissions", effective_permissions(*v.mine, parse_settings(v.group.settings))}};
  else
    o["membership"] = nullptr;
  return o;
}

json::object membership_json(const MembershipRow& m, const Settings& group_settings) {
  return {{"user", user_ref(m.user_id, m.username)},
          {"group_id", m.group_id},
          {"role", to_string(m.role)},
          {"status", to_string(m.status)},
          {"permissions", effective_permissions(m, group_settings)},
          {"invited_by", nullable(m.invited_by)},
          {"since", to_rfc3339(m.created_at)},
          {"updated_at", to_rfc3339(m.updated_at)}};
}

json::object invitation_json(const InvitationRow& i) {
  return {{"group", json::object{{"id", i.group_id}, {"name", i.group_name}, {"is_private", i.group_is_private}}},
          {"inviter", i.inviter_id ? json::value(user_ref(*i.inviter_id, i.inviter_username.value_or("")))
                                   : json::value(nullptr)},
          {"created_at", to_rfc3339(i.created_at)}};
}

json::object group_invite_event(const GroupRow& g, const std::string& inviter_id, const std::string& inviter_username) {
  return {{"group", group_ref(g)}, {"inviter", user_ref(inviter_id, inviter_username)}};
}

json::object group_request_event(const GroupRow& g, const std::string& user_id, const std::string& username) {
  return {{"group", group_ref(g)}, {"user", user_ref(user_id, username)}};
}

}  // namespace wp::groups

// The group rules on a temporary SQLite database, with a fake Relations
// (blocks set by the test) and a UserChannel that records every event.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/relations.hpp"
#include "core/user_channel.hpp"
#include "modules/groups/policy.hpp"
#include "modules/groups/service.hpp"
#include "modules/groups/store.hpp"
#include "support/block_list.hpp"
#include "support/error_code.hpp"
#include "support/recording_channel.hpp"
#include "support/temp_db.hpp"

namespace {

using namespace wp::groups;
using wp::ErrorCode;
using wp::Principal;
using wp::testkit::error_code_of;

using FakeRelations = wp::testkit::BlockList;

using wp::testkit::RecordingChannel;

struct GroupWorld : wp::testkit::TempDatabase {
  FakeRelations relations;
  RecordingChannel channel;
  Store store{*db};
  GroupsService service{store, relations, channel, config};

  GroupRow create(const Principal& admin, bool is_private = false, std::string name = "") {
    CreateInput in;
    in.name = name.empty() ? "Group " + wp::new_uuid().substr(0, 8) : name;
    in.is_private = is_private;
    return service.create(admin, in);
  }
  long long count(const std::string& id) { return store.group(id)->member_count; }
  std::optional<MembershipRow> row(const std::string& id, const Principal& who) { return store.membership(id, who.id); }
};

TEST(GroupsService, TheCreatorIsAdminAndNamesAreUniqueIgnoringCase) {
  GroupWorld w;
  auto ann = w.add_user("ann"), bob = w.add_user("bob");
  auto g = w.create(ann, false, "Film Club");
  EXPECT_EQ(w.row(g.id, ann)->role, GroupRole::admin);
  EXPECT_EQ(w.count(g.id), 1);
  EXPECT_EQ(error_code_of([&] { w.create(bob, false, "film CLUB"); }), ErrorCode::conflict);
  auto other = w.create(bob, false, "Other");
  PatchInput rename;
  rename.name = "FILM club";
  EXPECT_EQ(error_code_of([&] { w.service.update(bob, other.id, rename); }), ErrorCode::conflict);
  rename.name = "Film Club!";
  EXPECT_EQ(w.service.update(bob, other.id, rename).name, "Film Club!");
  EXPECT_EQ(error_code_of([&] { w.service.update(ann, other.id, rename); }), ErrorCode::forbidden);
}

TEST(GroupsService, SettingsAndPermissionsAreCheckedAgainstTheirFixedKeys) {
  auto settings = boost::json::parse(R"({"members_can_invite": "yes", "colour": "red"})").as_object();
  auto errors = check_settings(settings);
  ASSERT_EQ(errors.at("settings").size(), 2u);
  EXPECT_TRUE(check_settings(boost::json::parse(R"({"members_can_invite": false, "welcome_message": "hi"})")
                                 .as_object())
                  .empty());
  auto perms = boost::json::parse(R"({"invite": true, "fly": true, "kick": 3})").as_object();
  auto perm_errors = check_permissions(perms);
  ASSERT_EQ(perm_errors.at("permissions").size(), 2u);
  EXPECT_NE(perm_errors.at("permissions")[0].find("invite, approve, kick or host_parties"), std::string::npos);
  // A merged settings object keeps only the known keys.
  auto merged = boost::json::parse(merge_settings("{}", boost::json::object{{"members_can_invite", false}}));
  EXPECT_EQ(merged.as_object().size(), 3u);
  EXPECT_FALSE(merged.at("members_can_invite").as_bool());
}

TEST(GroupsService, RoleDefaultsSettingsAndOverridesDecidePermissions) {
  MembershipRow m;
  m.status = MemberStatus::active;
  Settings s;
  EXPECT_TRUE(holds(m, s, Permission::invite));
  EXPECT_FALSE(holds(m, s, Permission::approve));
  s.members_can_invite = false;
  EXPECT_FALSE(holds(m, s, Permission::invite));
  m.permissions = R"({"invite": true, "kick": true})";
  EXPECT_TRUE(holds(m, s, Permission::invite));
  EXPECT_TRUE(holds(m, s, Permission::kick));
  m.role = GroupRole::moderator;
  m.permissions = R"({"kick": false})";
  EXPECT_FALSE(holds(m, s, Permission::kick));
  EXPECT_TRUE(holds(m, s, Permission::approve));
  m.role = GroupRole::admin;
  EXPECT_TRUE(holds(m, s, Permission::kick));  // an admin holds everything
  m.status = MemberStatus::pending;
  EXPECT_FALSE(holds(m, s, Permission::invite));  // only active memberships hold anything
}

TEST(GroupsService, PublicGroupsAreJoinedAndPrivateOnesAskTheAdminsAndModerators) {
  GroupWorld w;
  auto ann = w.add_user("ann"), mod = w.add_user("mod"), joe = w.add_user("joe"), sue = w.add_user("sue");
  auto open = w.create(ann);
  EXPECT_EQ(w.service.join(joe, open.id).status, MemberStatus::active);
  EXPECT_EQ(w.service.join(joe, open.id).status, MemberStatus::active);  // again: nothing changes
  EXPECT_EQ(w.count(open.id), 2);
  auto closed = w.create(ann, true);
  w.service.join(mod, closed.id);
  w.service.approve(ann, closed.id, mod.id);
  w.service.moderate(ann, closed.id, mod.id, ModerationAction::promote);
  auto asked = w.service.join(sue, closed.id);
  EXPECT_EQ(asked.status, MemberStatus::pending);
  EXPECT_EQ(w.count(closed.id), 2);
  auto to_ann = w.channel.of(ann.id, "group_request");
  ASSERT_EQ(to_ann.size(), 2u);  // mod's request, then sue's
  EXPECT_EQ(to_ann.back().data.at("user").at("id").as_string(), sue.id);
  EXPECT_EQ(to_ann.back().data.at("group").at("id").as_string(), closed.id);
  EXPECT_EQ(w.channel.of(mod.id, "group_request").size(), 1u);
  EXPECT_TRUE(w.channel.of(joe.id, "group_request").empty());
  w.service.join(sue, closed.id);  // asking again tells nobody again
  EXPECT_EQ(w.channel.of(ann.id, "group_request").size(), 2u);
  // Members may not see the requests; a moderator approves.
  long long n = 0;
  EXPECT_EQ(error_code_of([&] { w.service.requests(joe, closed.id, 10, 0, n); }), ErrorCode::forbidden);
  EXPECT_EQ(w.service.requests(mod, closed.id, 10, 0, n).size(), 1u);
  EXPECT_EQ(w.service.approve(mod, closed.id, sue.id).status, MemberStatus::active);
  EXPECT_EQ(w.count(closed.id), 3);
  EXPECT_EQ(error_code_of([&] { w.service.approve(mod, closed.id, sue.id); }), ErrorCode::not_found);
  // A rejected request is gone: the user may ask again.
  w.service.join(joe, closed.id);
  w.service.reject(ann, closed.id, joe.id);
  EXPECT_FALSE(w.row(closed.id, joe));
  EXPECT_EQ(w.service.join(joe, closed.id).status, MemberStatus::pending);
  // Made public, the group admits nobody by itself; the next join/ does.
  PatchInput open_up;
  open_up.is_private = false;
  w.service.update(ann, closed.id, open_up);
  EXPECT_EQ(w.row(closed.id, joe)->status, MemberStatus::pending);
  EXPECT_EQ(w.service.join(joe, closed.id).status, MemberStatus::active);
  EXPECT_EQ(w.count(closed.id), 4);
}

TEST(GroupsService, InvitationsAreAcceptedOrDeclinedAndBlockedPairsCannotInvite) {
  GroupWorld w;
  auto ann = w.add_user("ann"), joe = w.add_user("joe"), sue = w.add_user("sue"), foe = w.add_user("foe");
  auto g = w.create(ann, true);
  auto inv = w.service.invite(ann, g.id, joe.id);
  EXPECT_EQ(inv.status, MemberStatus::invited);
  EXPECT_EQ(inv.invited_by, ann.id);
  auto events = w.channel.of(joe.id, "group_invite");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data.at("inviter").at("username").as_string(), "ann");
  EXPECT_EQ(events[0].data.at("group").at("name").as_string(), g.name);
  long long n = 0;
  EXPECT_EQ(w.service.invitations(joe, 10, 0, n).size(), 1u);
  EXPECT_EQ(w.count(g.id), 1);  // an invitation is not a membership
  EXPECT_EQ(w.service.accept_invitation(joe, g.id).status, MemberStatus::active);
  EXPECT_EQ(w.count(g.id), 2);
  EXPECT_EQ(error_code_of([&] { w.service.invite(ann, g.id, joe.id); }), ErrorCode::conflict);
  w.service.invite(joe, g.id, sue.id);  // members invite by default
  w.service.decline_invitation(sue, g.id);
  EXPECT_FALSE(w.row(g.id, sue));
  EXPECT_EQ(error_code_of([&] { w.service.accept_invitation(sue, g.id); }), ErrorCode::not_found);
  // A block either way: no invitation, no event.
  w.relations.block(foe.id, joe.id);
  auto before = w.channel.size();
  EXPECT_EQ(error_code_of([&] { w.service.invite(joe, g.id, foe.id); }), ErrorCode::forbidden);
  EXPECT_EQ(w.channel.size(), before);
  EXPECT_FALSE(w.row(g.id, foe));
  w.service.invite(ann, g.id, foe.id);  // the others still may
  // Members lose invite when the settings say so; an override gives it back.
  PatchInput p;
  p.settings = boost::json::object{{"members_can_invite", false}};
  w.service.update(ann, g.id, p);
  EXPECT_EQ(error_code_of([&] { w.service.invite(joe, g.id, sue.id); }), ErrorCode::forbidden);
  w.service.set_permissions(ann, g.id, joe.id, boost::json::object{{"invite", true}});
  EXPECT_EQ(w.service.invite(joe, g.id, sue.id).status, MemberStatus::invited);
  EXPECT_EQ(error_code_of([&] { w.service.invite(joe, g.id, joe.id); }), ErrorCode::validation);
  EXPECT_EQ(error_code_of([&] { w.service.invite(joe, g.id, wp::new_uuid()); }), ErrorCode::validation);
}

TEST(GroupsService, TheLastAdminCannotLeaveOrBeDemotedOrRemoved) {
  GroupWorld w;
  auto ann = w.add_user("ann"), joe = w.add_user("joe"), staff = w.add_user("staff", true);
  auto g = w.create(ann);
  try {
    w.service.leave(ann, g.id);
    FAIL() << "left";
  } catch (const wp::Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::conflict);
    EXPECT_NE(std::string(e.what()).find("last admin"), std::string::npos) << e.what();
  }
  w.service.join(joe, g.id);
  EXPECT_EQ(error_code_of([&] { w.service.leave(ann, g.id); }), ErrorCode::conflict);
  EXPECT_EQ(error_code_of([&] { w.service.moderate(ann, g.id, ann.id, ModerationAction::demote); }),
            ErrorCode::conflict);
  EXPECT_EQ(error_code_of([&] { w.service.moderate(staff, g.id, ann.id, ModerationAction::kick); }),
            ErrorCode::conflict);
  EXPECT_EQ(error_code_of([&] { w.service.moderate(staff, g.id, ann.id, ModerationAction::ban); }),
            ErrorCode::conflict);
  // Handing over: promote twice, then leave.
  w.service.moderate(ann, g.id, joe.id, ModerationAction::promote);
  EXPECT_EQ(w.service.moderate(ann, g.id, joe.id, ModerationAction::promote)->role, GroupRole::admin);
  w.service.leave(ann, g.id);
  EXPECT_FALSE(w.row(g.id, ann));
  EXPECT_EQ(w.count(g.id), 1);
  EXPECT_EQ(error_code_of([&] { w.service.leave(ann, g.id); }), ErrorCode::not_found);
}

TEST(GroupsService, KickBanUnbanFollowRanksAndBannedUsersCannotComeBack) {
  GroupWorld w;
  auto ann = w.add_user("ann"), mod = w.add_user("mod"), joe = w.add_user("joe"), eve = w.add_user("eve");
  auto staff = w.add_user("staff", true);
  auto g = w.create(ann);
  for (auto& u : {mod, joe, eve}) w.service.join(u, g.id);
  w.service.moderate(ann, g.id, mod.id, ModerationAction::promote);
  EXPECT_EQ(w.count(g.id), 4);
  // A member may not kick; a moderator may kick members but not admins; nobody kicks themselves.
  EXPECT_EQ(error_code_of([&] { w.service.moderate(joe, g.id, eve.id, ModerationAction::kick); }), ErrorCode::forbidden);
  EXPECT_EQ(error_code_of([&] { w.service.moderate(mod, g.id, ann.id, ModerationAction::kick); }), ErrorCode::forbidden);
  EXPECT_EQ(error_code_of([&] { w.service.moderate(mod, g.id, mod.id, ModerationAction::kick); }), ErrorCode::forbidden);
  EXPECT_EQ(error_code_of([&] { w.service.moderate(mod, g.id, joe.id, ModerationAction::promote); }),
            ErrorCode::forbidden);
  EXPECT_FALSE(w.service.moderate(mod, g.id, joe.id, ModerationAction::kick));
  EXPECT_EQ(w.count(g.id), 3);
  EXPECT_EQ(w.service.join(joe, g.id).status, MemberStatus::active);  // a kicked member may come back
  EXPECT_EQ(w.service.moderate(mod, g.id, eve.id, ModerationAction::ban)->status, MemberStatus::banned);
  EXPECT_EQ(w.count(g.id), 3);
  EXPECT_EQ(error_code_of([&] { w.service.join(eve, g.id); }), ErrorCode::forbidden);
  EXPECT_EQ(error_code_of([&] { w.service.invite(ann, g.id, eve.id); }), ErrorCode::conflict);
  EXPECT_EQ(error_code_of([&] { w.service.leave(eve, g.id); }), ErrorCode::not_found);  // the ban stays
  auto closed = w.create(ann, true);
  w.service.moderate(ann, closed.id, eve.id, ModerationAction::ban);  // not a member: banned ahead
  EXPECT_EQ(error_code_of([&] { w.service.join(eve, closed.id); }), ErrorCode::forbidden);  // cannot even ask
  EXPECT_EQ(w.count(closed.id), 1);
  EXPECT_FALSE(w.service.moderate(mod, g.id, eve.id, ModerationAction::unban));
  EXPECT_EQ(error_code_of([&] { w.service.moderate(mod, g.id, eve.id, ModerationAction::unban); }),
            ErrorCode::not_found);
  EXPECT_EQ(w.service.join(eve, g.id).status, MemberStatus::active);
  // Staff do what an admin does.
  EXPECT_EQ(w.service.moderate(staff, g.id, mod.id, ModerationAction::demote)->role, GroupRole::member);
  EXPECT_FALSE(w.service.moderate(staff, g.id, mod.id, ModerationAction::kick));
  EXPECT_EQ(w.count(g.id), 3);
}

TEST(GroupsService, ListsShowPublicGroupsAndPrivateOnesIBelongTo) {
  GroupWorld w;
  auto ann = w.add_user("ann"), joe = w.add_user("joe"), out = w.add_user("out");
  auto pub = w.create(ann, false, "Sci-Fi Nights");
  auto priv = w.create(ann, true, "Secret Sci-Fi");
  long long n = 0;
  auto seen = [&](const Principal& who, GroupFilter f) {
    std::set<std::string> ids;
    for (auto& g : w.service.list(who, f, 50, 0, n)) ids.insert(g.id);
    return ids;
  };
  EXPECT_EQ(seen(out, {}), std::set<std::string>{pub.id});
  EXPECT_EQ(seen(ann, {}), (std::set<std::string>{pub.id, priv.id}));
  EXPECT_EQ(seen(ann, {.search = "secret"}), std::set<std::string>{priv.id});
  EXPECT_EQ(seen(out, {.search = "SCI-FI"}), std::set<std::string>{pub.id});
  w.service.invite(ann, priv.id, joe.id);
  EXPECT_EQ(seen(joe, {}), (std::set<std::string>{pub.id, priv.id}));  // invited: listed
  EXPECT_TRUE(seen(joe, {.mine = true}).empty());
  w.service.accept_invitation(joe, priv.id);
  EXPECT_EQ(seen(joe, {.mine = true}), std::set<std::string>{priv.id});
  // Members of a private group: members only.
  EXPECT_EQ(error_code_of([&] { w.service.members(out, priv.id, 10, 0, n); }), ErrorCode::forbidden);
  auto members = w.service.members(joe, priv.id, 10, 0, n);
  ASSERT_EQ(members.size(), 2u);
  EXPECT_EQ(members[0].role, GroupRole::admin);  // admins first
  EXPECT_EQ(w.service.members(out, pub.id, 10, 0, n).size(), 1u);
}

TEST(GroupsService, StandingTellsThePartiesModuleWhoMayHost) {
  GroupWorld w;
  auto ann = w.add_user("ann"), joe = w.add_user("joe"), out = w.add_user("out");
  auto g = w.create(ann, true);
  w.service.invite(ann, g.id, joe.id);
  EXPECT_FALSE(w.service.standing(wp::new_uuid(), ann.id).exists);
  auto s = w.service.standing(g.id, joe.id);
  EXPECT_TRUE(s.exists && s.is_private);
  EXPECT_FALSE(s.member || s.may_host);  // invited is not a member
  w.service.accept_invitation(joe, g.id);
  EXPECT_TRUE(w.service.standing(g.id, joe.id).may_host);
  w.service.set_permissions(ann, g.id, joe.id, boost::json::object{{"host_parties", false}});
  s = w.service.standing(g.id, joe.id);
  EXPECT_TRUE(s.member);
  EXPECT_FALSE(s.may_host);
  EXPECT_FALSE(w.service.standing(g.id, out.id).member);
}

TEST(GroupsService, MemberCountStaysExactUnderConcurrentJoinsAndLeaves) {
  GroupWorld w;
  auto ann = w.add_user("ann");
  auto g = w.create(ann);
  std::vector<Principal> users;
  for (int i = 0; i < 24; ++i) users.push_back(w.add_user("u" + std::to_string(i)));
  std::vector<std::thread> threads;
  for (int i = 0; i < 24; ++i)
    threads.emplace_back([&, i] {
      for (int round = 0; round < 5; ++round) {
        w.service.join(users[i], g.id);
        if (round < 4 || i % 2 == 0) w.service.leave(users[i], g.id);
      }
    });
  for (auto& t : threads) t.join();
  long long n = 0;
  w.service.members(ann, g.id, 100, 0, n);
  EXPECT_EQ(n, 13);  // ann and the 12 odd users who stayed
  EXPECT_EQ(w.count(g.id), n);
}

}  // namespace

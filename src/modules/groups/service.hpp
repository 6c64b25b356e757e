#pragma once
// The group rules: who may see, change and delete a group; joining, join
// requests, invitations, leaving (never the last admin); moderation (kick,
// ban, unban, promote, demote) and permissions; the group's answer to the
// parties module. Events go to the invitee (group_invite) and to the admins
// and moderators (group_request) through the per-user channel.
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/domain_events.hpp"
#include "core/moderation.hpp"
#include "core/notifier.hpp"
#include "core/principal.hpp"
#include "core/relations.hpp"
#include "core/user_channel.hpp"
#include "modules/groups/model.hpp"
#include "modules/groups/store.hpp"

namespace wp::groups {

class GroupsService {
 public:
  GroupsService(Store& store, Relations& relations, UserChannel& channel, const Config& config);
  // Notifications (#15): group_invitation. Unset, nobody is notified.
  void set_notifier(Notifier& notifier) { notifier_ = &notifier; }
  void set_events(const DomainEvents& events) { events_ = &events; }

  // Groups (service.cpp)
  GroupRow create(const Principal& user, const CreateInput& in);
  // Any user sees a group's row (a private one too: that is how they ask to join it).
  GroupView get(const Principal& user, const std::string& id);
  // Public groups and private ones the user is in or invited to.
  std::vector<GroupRow> list(const Principal& user, const GroupFilter& f, int limit, int offset, long long& count);
  GroupRow update(const Principal& user, const std::string& id, const PatchInput& in);
  void remove(const Principal& user, const std::string& id);
  GroupRow set_avatar(const Principal& user, const std::string& id, const std::string& image_bytes);
  std::optional<std::string> avatar_path(const std::string& id);
  // For the parties module: where user_id stands in group_id.
  Standing standing(const std::string& group_id, const std::string& user_id);

  // Membership (membership.cpp)
  // Active for a public group (or an invited user), pending for a private one.
  MembershipRow join(const Principal& user, const std::string& id);
  void leave(const Principal& user, const std::string& id);
  MembershipRow invite(const Principal& user, const std::string& id, const std::string& invitee_id);
  MembershipRow accept_invitation(const Principal& user, const std::string& id);
  void decline_invitation(const Principal& user, const std::string& id);
  std::vector<InvitationRow> invitations(const Principal& user, int limit, int offset, long long& count);
  // Active members (anyone for a public group; members and staff for a private one).
  std::vector<MembershipRow> members(const Principal& user, const std::string& id, int limit, int offset,
                                     long long& count);
  // Pending join requests (holders of `approve`, staff).
  std::vector<MembershipRow> requests(const Principal& user, const std::string& id, int limit, int offset,
                                      long long& count);
  MembershipRow approve(const Principal& user, const std::string& id, const std::string& target);
  void reject(const Principal& user, const std::string& id, const std::string& target);

  // Moderation (moderation.cpp). The row afterwards; nullopt when it is gone (kick, unban).
  std::optional<MembershipRow> moderate(const Principal& user, const std::string& id, const std::string& target,
                                        ModerationAction action);
  MembershipRow set_permissions(const Principal& user, const std::string& id, const std::string& target,
                                const boost::json::object& patch);
  // The group's row; 404 when there is none.
  GroupRow existing(const std::string& id);
  // An active admin of the group, or staff; 403 otherwise (404 no group). Before reading an upload.
  void check_admin(const Principal& user, const std::string& id) { require_admin(user, existing(id)); }

  // moderation (#19): the queue shows a reported group inline (staff-level, no visibility check).
  std::optional<ContentView> moderation_view(const std::string& id);

 private:
  // The caller's active membership holding p, or staff (nullopt then); 403 otherwise.
  std::optional<MembershipRow> require(const Principal& user, const GroupRow& group, Permission p);
  // An active admin of the group, or staff; 403 otherwise.
  void require_admin(const Principal& user, const GroupRow& group);
  void announce_request(const GroupRow& group, const Principal& user);
  void check_name_free(const std::string& name, const std::string& except_id);

  Store& store_;
  Relations& relations_;
  UserChannel& channel_;
  Notifier* notifier_ = nullptr;
  const DomainEvents* events_ = nullptr;
  std::string avatar_dir_;
};

}  // namespace wp::groups

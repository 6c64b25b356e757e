#pragma once
// The watch-party domain: rows of its tables (as the store reads and writes
// them), its settings and playback, the inputs of its rules, and its error.
#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/badges.hpp"
#include "core/enum_names.hpp"
#include "core/error.hpp"
#include "modules/parties/calls_model.hpp"

namespace wp::parties {

// The vocabulary; each has one string table (bottom of this file).
enum class PartyStatus { scheduled, live, ended };
// friends: the host's friends (the social graph) may see and join, like the invited.
enum class Visibility { public_, unlisted, private_, friends };
enum class Role { host, moderator, participant };
// Who may control playback (settings.control).
enum class ControlMode { host_only, moderators, everyone };
enum class PlaybackStatus { playing, paused, waiting };
enum class ControlAction { play, pause, seek, rate };
enum class ModerationAction { promote, demote, kick, ban, mute, unmute };
// A participant row's join request: none (a plain member), pending (awaiting approval, not active), rejected.
enum class JoinRequest { none, pending, rejected };
// Where a user's join request stands, as join-request/ tells them: a JoinRequest, or active (a participant now).
enum class JoinRequestStatus { none, pending, rejected, active };
// A listed participant: active, or pending (a join request); also the ?status= filter of participants/.
enum class ParticipantStatus { active, pending };
enum class InvitationStatus { pending, accepted, declined };
enum class ReportReason { spam, abuse, inappropriate, other };

struct PartyRow {
  std::string id;
  std::string host_id;
  std::string host_username;  // read only (joined)
  std::optional<std::string> video_id;
  std::string media_url;
  std::string title;
  std::string description;
  PartyStatus status = PartyStatus::live;
  std::string room_code;
  Visibility visibility = Visibility::public_;
  int max_participants = 50;
  std::optional<std::int64_t> scheduled_start, actual_start, ended_at;
  std::string settings = "{}";
  std::string playback = "{}";
  std::int64_t created_at = 0, updated_at = 0;
  std::int64_t participant_count = 0;  // read only (active participants)
  std::optional<std::string> group_id;  // the group hosting the party (docs/api.md "Groups")
};

struct ParticipantRow {
  std::string id;
  std::string party_id;
  std::string user_id;
  std::string username;  // read only
  Role role = Role::participant;
  bool is_active = true;
  bool is_banned = false;
  bool is_muted = false;
  std::int64_t joined_at = 0;  // when they joined, or asked to
  JoinRequest join_request = JoinRequest::none;
  bool is_pending() const { return join_request == JoinRequest::pending; }
  ParticipantStatus status() const { return is_pending() ? ParticipantStatus::pending : ParticipantStatus::active; }
};

struct MessageRow {
  std::string id;
  std::string party_id;
  std::string user_id;
  std::string username;  // read only
  std::string content;
  std::string message_type = "text";
  std::int64_t sent_at = 0;
  std::vector<BadgeView> badges;  // not stored: the author's equipped badges when it was sent live (store, #18)
};

struct ReactionRow {
  std::string id;
  std::string party_id;
  std::string user_id;
  std::string username;
  std::string emoji;
  double video_timestamp = 0;
  std::int64_t created_at = 0;
};

struct InvitationRow {
  std::string id;
  std::string party_id;
  std::string party_title;       // read only
  std::string inviter_id;
  std::string inviter_username;  // read only
  std::string invitee_id;
  InvitationStatus status = InvitationStatus::pending;
  std::int64_t created_at = 0;
  bool admits = false;  // sent by the host or a moderator: the invitee skips approval
};

struct PartyFilter {
  std::optional<PartyStatus> status;
  std::optional<Visibility> visibility;
  std::optional<std::string> search;
  bool mine = false, hosting = false, public_only = false;
  std::optional<std::string> group_id;  // only the parties of this group
  // mobile home (#21): hosted by a friend of the viewer, or of a group they are an active member of; not
  // their own, and the host not blocked with them either way.
  bool of_friends_or_groups = false;
};

// What the groups module says about a user and the group a party names,
// wired in app.cpp (parties sees no groups code). A party of a group is
// visible to the group's active members; one of a private group to nobody else
// but its participants and invitees.
struct GroupStanding {
  bool exists = false;
  bool is_private = false;
  bool member = false;    // an active member
  bool may_host = false;  // may create parties in the group
};
using GroupCheck = std::function<GroupStanding(const std::string& group_id, const std::string& user_id)>;

// plan_full: at the host's plan's max_party_size (billing), below the party's own maximum.
enum class JoinOutcome { joined, already_member, full, plan_full, banned, requested, already_requested, declined };

struct JoinResult {
  JoinOutcome outcome;
  Role role = Role::participant;  // when joined: host when the party had no active host
};

enum class ApproveOutcome { approved, full, plan_full, not_requested };

// An Error that also names the realtime `error` code (docs/realtime.md).
class PartyError : public Error {
 public:
  PartyError(ErrorCode code, std::string ws_code, std::string message)
      : Error(code, std::move(message)), ws_code_(std::move(ws_code)) {}
  const std::string& ws_code() const { return ws_code_; }

 private:
  std::string ws_code_;
};

[[noreturn]] inline void refuse(ErrorCode code, std::string ws_code, std::string message) {
  throw PartyError(code, std::move(ws_code), std::move(message));
}

struct Settings {
  ControlMode control = ControlMode::host_only;
  bool chat_enabled = true;
  int slow_mode_seconds = 0;
  bool reactions_enabled = true;
  bool wait_for_buffering = true;
  bool require_approval = false;
  VoiceOpener voice_chat = VoiceOpener::members;  // who may open the voice chat (calls_service.hpp)
};

struct Playback {
  PlaybackStatus status = PlaybackStatus::paused;
  double position = 0;
  double rate = 1;
  double anchor = 0;  // server ms
  long long version = 0;
  std::string video_id;
  std::string set_by;
  double expected_position(double now_ms) const;
  // Holds still where it is at now_ms; false when it already was paused.
  bool pause_at(double now_ms);
};

struct CreateInput {
  std::string title, description;
  Visibility visibility = Visibility::public_;
  std::optional<std::string> video_id, media_url;
  std::optional<int> max_participants;  // unset: 50, or less when the host's plan allows less
  std::optional<std::int64_t> scheduled_start;
  std::optional<boost::json::object> settings;
  std::optional<std::string> group_id;
};

struct PatchInput {
  std::optional<std::string> title, description;
  std::optional<Visibility> visibility;
  std::optional<int> max_participants;
  std::optional<boost::json::object> settings;
};

struct ControlInput {
  ControlAction action = ControlAction::play;
  std::optional<double> position, rate;
  std::optional<long long> version;
};

// What join/ answers: the party, and the participant row when the join
// awaits the host's approval (settings.require_approval).
struct Joined {
  PartyRow party;
  std::optional<ParticipantRow> request;
};

// Where the current user's join request stands.
struct JoinRequestState {
  PartyRow party;
  JoinRequestStatus status = JoinRequestStatus::none;
  std::optional<std::int64_t> requested_at;
};

inline bool is_moderator_role(Role role) { return role == Role::host || role == Role::moderator; }

}  // namespace wp::parties

WP_ENUM_NAMES(wp::parties::PartyStatus, {wp::parties::PartyStatus::scheduled, "scheduled"},
              {wp::parties::PartyStatus::live, "live"}, {wp::parties::PartyStatus::ended, "ended"});
WP_ENUM_NAMES(wp::parties::Visibility, {wp::parties::Visibility::public_, "public"},
              {wp::parties::Visibility::unlisted, "unlisted"}, {wp::parties::Visibility::private_, "private"},
              {wp::parties::Visibility::friends, "friends"});
WP_ENUM_NAMES(wp::parties::Role, {wp::parties::Role::host, "host"}, {wp::parties::Role::moderator, "moderator"},
              {wp::parties::Role::participant, "participant"});
WP_ENUM_NAMES(wp::parties::ControlMode, {wp::parties::ControlMode::host_only, "host_only"},
              {wp::parties::ControlMode::moderators, "moderators"}, {wp::parties::ControlMode::everyone, "everyone"});
WP_ENUM_NAMES(wp::parties::PlaybackStatus, {wp::parties::PlaybackStatus::playing, "playing"},
              {wp::parties::PlaybackStatus::paused, "paused"}, {wp::parties::PlaybackStatus::waiting, "waiting"});
WP_ENUM_NAMES(wp::parties::ControlAction, {wp::parties::ControlAction::play, "play"},
              {wp::parties::ControlAction::pause, "pause"}, {wp::parties::ControlAction::seek, "seek"},
              {wp::parties::ControlAction::rate, "rate"});
WP_ENUM_NAMES(wp::parties::ModerationAction, {wp::parties::ModerationAction::promote, "promote"},
              {wp::parties::ModerationAction::demote, "demote"}, {wp::parties::ModerationAction::kick, "kick"},
              {wp::parties::ModerationAction::ban, "ban"}, {wp::parties::ModerationAction::mute, "mute"},
              {wp::parties::ModerationAction::unmute, "unmute"});
WP_ENUM_NAMES(wp::parties::JoinRequest, {wp::parties::JoinRequest::none, "none"},
              {wp::parties::JoinRequest::pending, "pending"}, {wp::parties::JoinRequest::rejected, "rejected"});
WP_ENUM_NAMES(wp::parties::JoinRequestStatus, {wp::parties::JoinRequestStatus::none, "none"},
              {wp::parties::JoinRequestStatus::pending, "pending"},
              {wp::parties::JoinRequestStatus::rejected, "rejected"}, {wp::parties::JoinRequestStatus::active, "active"});
WP_ENUM_NAMES(wp::parties::ParticipantStatus, {wp::parties::ParticipantStatus::active, "active"},
              {wp::parties::ParticipantStatus::pending, "pending"});
WP_ENUM_NAMES(wp::parties::InvitationStatus, {wp::parties::InvitationStatus::pending, "pending"},
              {wp::parties::InvitationStatus::accepted, "accepted"},
              {wp::parties::InvitationStatus::declined, "declined"});
WP_ENUM_NAMES(wp::parties::ReportReason, {wp::parties::ReportReason::spam, "spam"},
              {wp::parties::ReportReason::abuse, "abuse"}, {wp::parties::ReportReason::inappropriate, "inappropriate"},
              {wp::parties::ReportReason::other, "other"});

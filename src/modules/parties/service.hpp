#pragma once
// The watch-party rules: who may see, join, moderate and control a party,
// its lifecycle, membership and join requests, moderation, invitations and
// the chat rules. What is live on this node (rooms, playback, presence) is
// LiveRooms' (live_rooms.hpp); the messages are protocol.hpp's.
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/domain_events.hpp"
#include "core/emoji_packs.hpp"
#include "core/mentions.hpp"
#include "core/moderation.hpp"
#include "core/notifier.hpp"
#include "core/plans.hpp"
#include "core/principal.hpp"
#include "core/rate_limiter.hpp"
#include "core/relations.hpp"
#include "modules/parties/live_rooms.hpp"
#include "modules/parties/model.hpp"
#include "modules/parties/store.hpp"
#include "realtime/hub.hpp"

namespace wp::parties {

// Whether `user` may play video_id in a party (their own, or a public one):
// the videos module's answer, wired in app.cpp (parties sees no videos code).
using VideoCheck = std::function<bool(const std::string& video_id, const Principal& user)>;

class PartiesService {
 public:
  PartiesService(Store& store, LiveRooms& rooms, realtime::Hub& hub, RateLimiter& limiter, VideoCheck may_play);

  // Lifecycle
  PartyRow create(const Principal& user, const CreateInput& in);
  PartyRow get(const Principal& user, const std::string& id);
  std::vector<PartyRow> list(const Principal& user, const PartyFilter& f, int limit, int offset, long long& count);
  std::vector<PartyRow> list_public(int limit, int offset, long long& count);
  // mobile home (#21): live parties the user may see, hosted by a friend or of one of their groups (not
  // their own; no host blocked with them either way), newest first. No count.
  std::vector<PartyRow> live_of_friends_and_groups(const Principal& user, int limit);
  // The parties of a group the user may see (404 no group; 403 a private group they are not in).
  std::vector<PartyRow> group_parties(const Principal& user, const std::string& group_id, int limit, int offset,
                                      long long& count);
  // The groups module's answer about a group and a user (app.cpp); unset, no group exists.
  void set_group_check(GroupCheck check) { group_check_ = std::move(check); }
  // Billing (#18): the host's plan caps max_participants and the members admitted. Unset: no caps.
  void set_plans(Plans& plans) { plans_ = &plans; }
  PartyRow update(const Principal& user, const std::string& id, const PatchInput& in);
  void remove(const Principal& user, const std::string& id);
  PartyRow start(const Principal& user, const std::string& id);
  PartyRow end(const Principal& user, const std::string& id);
  // Called once a party has ended (after end() changed its status), on the
  // pool; app.cpp hands it to the events module (an event ends with its party).
  // Every listener added is called (events, calls), in the order added.
  void on_party_ended(std::function<void(const std::string& party_id)> fn) { on_ended_.push_back(std::move(fn)); }
  // A party about to be deleted (its call must end: Janus rooms and passes go with it).
  void on_party_deleted(std::function<void(const std::string& party_id)> fn) { on_deleted_.push_back(std::move(fn)); }

  // Membership
  Joined join(const Principal& user, const std::string& id);
  Joined join_by_code(const Principal& user, const std::string& code);
  void leave(const Principal& user, const std::string& id);
  // Active participants, or (host, moderators, staff) pending join requests.
  std::vector<ParticipantRow> participants(const Principal& user, const std::string& id,
                                           ParticipantStatus status = ParticipantStatus::active);
  ParticipantRow approve(const Principal& user, const std::string& id, const std::string& target);
  void reject(const Principal& user, const std::string& id, const std::string& target);
  JoinRequestState join_request(const Principal& user, const std::string& id);
  // Which of users have sockets in the party on any node (and how many do).
  LiveState::Online online_of(const std::string& party_id, const std::vector<std::string>& users) {
    return rooms_.online_of(party_id, users);
  }
  // Realtime: a socket of `user` joins party `id` (on the pool, at connect)
  // and receives party_state before anything else.
  std::shared_ptr<Room> connect(const Principal& user, const std::string& id,
                                std::shared_ptr<realtime::Connection> conn,
                                const std::optional<std::string>& last_message_id);

  // Moderation and invitations
  ParticipantRow moderate(const Principal& user, const std::string& id, const std::string& target,
                          ModerationAction action);
  int invite(const Principal& user, const std::string& id, const std::vector<std::string>& user_ids);
  std::vector<InvitationRow> invitations(const Principal& user, int limit, int offset, long long& count);
  PartyRow respond_invitation(const Principal& user, const std::string& invitation_id, bool accept);
  std::string report(const Principal& user, const std::string& id, const std::string& reason,
                     const std::string& description);

  // Chat and reactions
  std::vector<MessageRow> chat_history(const Principal& user, const std::string& id,
                                       const std::optional<std::string>& before, int limit);
  // REST: a caller who may not see the party is told it does not exist (404).
  MessageRow post_chat(const Principal& user, const std::string& id, const std::string& content);
  ReactionRow react(const Principal& user, const std::string& id, const std::string& emoji, double video_ts);
  // The party socket: its party was found visible when it opened.
  MessageRow chat_in_room(const Principal& user, const std::string& id, const std::string& content);
  ReactionRow react_in_room(const Principal& user, const std::string& id, const std::string& emoji, double video_ts);
  std::map<std::string, long long> reaction_counts(const Principal& user, const std::string& id);
  Playback sync_state(const Principal& user, const std::string& id);

  // For the videos module: whether user_id may watch video_id through a party,
  // and whether they joined party_id (now or earlier; not banned, not a pending request).
  bool party_member_may_view(const std::string& user_id, const std::string& video_id);
  bool is_party_member(const std::string& user_id, const std::string& party_id);

  // The user's active participation in a party they may see (404 unseen,
  // 403 not a participant): what other party features (polls) check.
  ParticipantRow participation(const Principal& user, const std::string& id) { return member(visible_party(user, id), user.id); }

  LiveRooms& rooms() { return rooms_; }
  // The voice chat's signaling (rtc_offer, rtc_answer, rtc_ice from a party
  // socket, on its queue on the pool): the calls service, wired in app.cpp.
  using SignalRelay = std::function<void(const Principal& user, const std::string& party_id, const std::string& type,
                                         const boost::json::object& msg)>;
  void set_signal_relay(SignalRelay relay) { signal_relay_ = std::move(relay); }
  void relay_signal(const Principal& user, const std::string& party_id, const std::string& type,
                    const boost::json::object& msg) {
    if (!signal_relay_) throw PartyError(ErrorCode::validation, "unknown_type", "Unknown message type: " + type);
    signal_relay_(user, party_id, type, msg);
  }
  // The social graph: `friends` parties open to the host's friends, and no
  // invitations between a blocked pair. Without it, friends parties are as private.
  void set_relations(Relations& relations) { relations_ = &relations; }
  // Analytics and achievements hear of parties created, joined and left, chat and reactions.
  void set_events(const DomainEvents& events) { events_ = &events; }
  // A member's measured drift from the party (sync_report, every ~10 s while
  // playing): told to analytics as party.sync_drift, amount = |drift| in ms.
  void report_drift(const std::string& user_id, const std::string& party_id, double drift_ms) const {
    publish_event(events_, {.type = "party.sync_drift", .user_id = user_id, .party_id = party_id,
                            .amount = static_cast<std::int64_t>(std::llround(std::abs(drift_ms)))});
  }
  // The social graph tells (app.cpp): the pair's block changed, `blocked`
  // either way now. A block withdraws the pair's pending invitations, both
  // ways, and live rooms on every node stop showing each to the other.
  void blocks_changed(const std::string& a, const std::string& b, bool blocked);
  // Notifications (#15): party_invitation, party_join_request, mentions in chat; names
  // of mentions become ids through `ids_by_name`. Unset, nobody is notified.
  // store (#18): the badges a live chat message shows of its author. Without it, none.
  void set_badges(Badges& badges) { badges_ = &badges; }
  // store (#18): a reaction with a pack's emoji only from the pack's owners. Without it, any emoji.
  void set_emoji_packs(EmojiPacks& packs) { emoji_packs_ = &packs; }
  void set_notifier(Notifier& notifier, UserIdsByName ids_by_name) {
    notifier_ = &notifier;
    ids_by_name_ = std::move(ids_by_name);
  }
  // ---- moderation (#19), in reports.cpp: reports go to the moderation module
  // (without it, 501); chat is screened (mute, word list) and flagged.
  void set_moderation(ReportSink& reports, ContentGuard& guard) {
    report_sink_ = &reports;
    guard_ = &guard;
  }
  // Chat messages and parties as the moderation queue shows them; a message hidden and restored.
  std::optional<ContentView> message_view(const std::string& message_id);
  std::optional<ContentView> party_view(const std::string& party_id);
  std::optional<std::string> hide_message(const std::string& message_id);
  bool restore_message(const std::string& message_id, const std::string& snapshot);
  // ---- end moderation
  // Scheduled parties starting in (after, until], each with its members and pending invitees.
  struct Starting {
    PartyRow party;
    std::vector<std::string> user_ids;
  };
  std::vector<Starting> starting_between(std::int64_t after, std::int64_t until);

 private:
  PartyRow visible_party(const Principal& user, const std::string& id);
  GroupStanding group_standing(const std::optional<std::string>& group_id, const std::string& user_id);
  ParticipantRow member(const PartyRow& party, const std::string& user_id);
  // The party's current host (an active participant with the host role), or staff.
  void require_host(const Principal& user, const PartyRow& party, const std::string& what);
  // The host or a moderator (active), or staff.
  void require_moderator(const Principal& user, const PartyRow& party);
  // Joins the user; false when the join awaits approval instead.
  bool admit(const Principal& user, const PartyRow& party);
  Joined joined(const Principal& user, const PartyRow& party);
  void announce_request(const PartyRow& party, const Principal& user);
  // Reloads the party everywhere and tells the members; returns it.
  PartyRow announce_change(const std::string& id);
  void apply_moderation(const std::string& id, ParticipantRow& them, ModerationAction action);
  void check_chat(const Principal& user, const std::string& id, const std::shared_ptr<Room>& room);
  std::string new_room_code();

  Store& store_;
  LiveRooms& rooms_;
  realtime::Hub& hub_;
  RateLimiter& limiter_;
  VideoCheck may_play_;
  Relations* relations_ = nullptr;
  Notifier* notifier_ = nullptr;
  Badges* badges_ = nullptr;
  EmojiPacks* emoji_packs_ = nullptr;
  const DomainEvents* events_ = nullptr;
  ReportSink* report_sink_ = nullptr;
  ContentGuard* guard_ = nullptr;
  void screen_chat(const std::string& user_id, const std::string& text);
  UserIdsByName ids_by_name_;
  void notify_mentions(const Principal& author, const std::string& party_id, const MessageRow& m);
  // A friend of the host, for a `friends` party.
  bool host_friend(const PartyRow& party, const std::string& user_id);
  GroupCheck group_check_;
  Plans* plans_ = nullptr;
  [[noreturn]] static void refuse_party_size(const PlanLimits& host_limits);
  SignalRelay signal_relay_;
  std::vector<std::function<void(const std::string& party_id)>> on_ended_;
  std::vector<std::function<void(const std::string& party_id)>> on_deleted_;
  // Whether the party's visibility and group let this user see or enter it without an invitation or a seat.
  bool open_to(const PartyRow& party, const std::string& user_id);
};

}  // namespace wp::parties

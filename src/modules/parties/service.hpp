#pragma once
// Watch-party rules: who may see, join, moderate and control a party, the
// lifecycle, and the live state of each party that has members online
// (playback, presence, buffering wait, chat slow mode, reaction limits).
#include <boost/json/object.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/blocking_pool.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "core/rate_limiter.hpp"
#include "core/principal.hpp"
#include "modules/parties/live_state.hpp"
#include "modules/parties/playback_writer.hpp"
#include "modules/parties/store.hpp"
#include "realtime/hub.hpp"

namespace wp::parties {

// An Error that also names the realtime `error` code (docs/realtime.md).
class PartyError : public Error {
 public:
  PartyError(ErrorCode code, std::string ws_code, std::string message)
      : Error(code, std::move(message)), ws_code_(std::move(ws_code)) {}
  const std::string& ws_code() const { return ws_code_; }

 private:
  std::string ws_code_;
};

struct Settings {
  std::string control = "host_only";  // host_only | moderators | everyone
  bool chat_enabled = true;
  int slow_mode_seconds = 0;
  bool reactions_enabled = true;
  bool wait_for_buffering = true;
  bool require_approval = false;
  boost::json::object to_json() const;
};
Settings parse_settings(const std::string& json_text);
// Known settings of `current` with the keys of `patch` laid over them, as JSON text.
std::string merge_settings(const std::string& current, const boost::json::object& patch);

struct Playback {
  std::string status = "paused";  // playing | paused | waiting
  double position = 0;
  double rate = 1;
  double anchor = 0;  // server ms
  long long version = 0;
  std::string video_id;
  std::string set_by;
  double expected_position(double now_ms) const;
  boost::json::object to_json() const;
};
Playback parse_playback(const std::string& json_text);
Playback playback_from(const boost::json::object& o);

struct CreateInput {
  std::string title, description, visibility = "public";
  std::optional<std::string> video_id, media_url;
  int max_participants = 50;
  std::optional<std::int64_t> scheduled_start;
  std::optional<boost::json::object> settings;
};

struct PatchInput {
  std::optional<std::string> title, description, visibility;
  std::optional<int> max_participants;
  std::optional<boost::json::object> settings;
};

struct ControlInput {
  std::string action;  // play | pause | seek | rate
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
  std::string status;  // none | pending | rejected | active
  std::optional<std::int64_t> requested_at;
};

// What the parties module needs of the videos module, wired in app.cpp: the
// parties module sees neither the videos service nor its store.
struct VideoHooks {
  // Whether `user` may play video_id in a party (their own, or a public one).
  std::function<bool(const std::string& video_id, const Principal& user)> may_play;
  // Records a member's watch position; throws wp::Error when the video is gone.
  std::function<void(const std::string& user_id, const std::string& video_id, const std::string& party_id,
                     double position, bool buffering_event)>
      record_watch;
};

// This node's copy of one live party. The playback follows the shared copy
// (LiveState) through the playback_state messages every node receives.
// `id` never changes; everything else is read and written under `mu`, which
// is never held across SQL, Redis or a callback. I/O threads do not take
// `mu` at all: they read the view (published under `mu` after each change).
struct Room {
  explicit Room(std::string party_id) : id(std::move(party_id)) {}
  const std::string id;

  std::mutex mu;
  PartyRow party;
  Settings settings;
  Playback playback;
  struct Member {
    std::string username, role;
    bool muted = false;
  };
  std::map<std::string, Member> members;  // active participants, online or not

  // What I/O threads read: the playback_state message and who is a member.
  struct View {
    realtime::Message playback_state;
    std::shared_ptr<const std::map<std::string, std::string>> usernames;  // member id -> username
  };
  // Call with `mu` held, after changing playback or members.
  void publish();
  View view() const;
  // Set when another node changed the party; the reload is retried on every tick until done.
  std::atomic<bool> stale{false};

 private:
  mutable std::mutex view_mu_;  // only guards view_; held for a pointer copy
  View view_;
};

class PartiesService {
 public:
  PartiesService(Store& store, realtime::Hub& hub, LiveState& live, RateLimiter& limiter, BlockingPool& pool,
                 const Config& config, VideoHooks videos);
  // Unregisters the hub tap and signal handler. Whatever delivers backplane
  // messages (the Redis node's thread) must be stopped before.
  ~PartiesService();
  PartiesService(const PartiesService&) = delete;
  PartiesService& operator=(const PartiesService&) = delete;

  // REST
  PartyRow create(const Principal& user, const CreateInput& in);
  PartyRow get(const Principal& user, const std::string& id);
  std::vector<PartyRow> list(const Principal& user, const PartyFilter& f, int limit, int offset, long long& count);
  std::vector<PartyRow> list_public(int limit, int offset, long long& count);
  PartyRow update(const Principal& user, const std::string& id, const PatchInput& in);
  void remove(const Principal& user, const std::string& id);
  PartyRow start(const Principal& user, const std::string& id);
  PartyRow end(const Principal& user, const std::string& id);
  Joined join(const Principal& user, const std::string& id);
  Joined join_by_code(const Principal& user, const std::string& code);
  void leave(const Principal& user, const std::string& id);
  // Active participants, or (host, moderators, staff) pending join requests.
  std::vector<ParticipantRow> participants(const Principal& user, const std::string& id, bool pending = false);
  ParticipantRow approve(const Principal& user, const std::string& id, const std::string& target);
  void reject(const Principal& user, const std::string& id, const std::string& target);
  JoinRequestState join_request(const Principal& user, const std::string& id);
  std::set<std::string> online_users(const std::string& party_id);
  ParticipantRow moderate(const Principal& user, const std::string& id, const std::string& target,
                          const std::string& action);  // promote demote kick ban mute unmute
  int invite(const Principal& user, const std::string& id, const std::vector<std::string>& user_ids);
  std::vector<InvitationRow> invitations(const Principal& user, int limit, int offset, long long& count);
  PartyRow respond_invitation(const Principal& user, const std::string& invitation_id, bool accept);
  std::vector<MessageRow> chat_history(const Principal& user, const std::string& id,
                                       const std::optional<std::string>& before, int limit);
  MessageRow post_chat(const Principal& user, const std::string& id, const std::string& content);
  ReactionRow react(const Principal& user, const std::string& id, const std::string& emoji, double video_ts);
  std::map<std::string, long long> reaction_counts(const Principal& user, const std::string& id);
  std::string report(const Principal& user, const std::string& id, const std::string& reason,
                     const std::string& description);
  Playback sync_state(const Principal& user, const std::string& id);

  // Realtime: a socket of `user` joins party `id` (on the pool, at connect)
  // and receives party_state before anything else.
  std::shared_ptr<Room> connect(const Principal& user, const std::string& id,
                                std::shared_ptr<realtime::Connection> conn,
                                const std::optional<std::string>& last_message_id);
  void disconnect(const std::shared_ptr<Room>& room, const std::string& user_id,
                  const std::shared_ptr<realtime::Connection>& conn);
  // These block (shared state may be in Redis): call them on the pool.
  void control(const std::shared_ptr<Room>& room, const std::string& user_id, const ControlInput& in);
  void buffering(const std::shared_ptr<Room>& room, const std::string& user_id, bool is_buffering);
  // These two run on I/O threads: they never block (no SQL, Redis or room lock).
  void typing(const std::shared_ptr<Room>& room, const std::string& user_id, bool is_typing);
  realtime::Message playback_message(const std::shared_ptr<Room>& room);
  // Called periodically (blocks): releases buffering waits that timed out,
  // renews this node's presence and removes members of nodes that died.
  void tick();
  // After the shared state came back (Redis reconnected): compares and
  // re-sends every live room's playback (blocks).
  void resync();
  // Asks for resync() on the next tick (from a Redis callback: no blocking there).
  void request_resync() { resync_requested_ = true; }

  // Whether user_id may watch video_id through a party (for the videos module).
  bool party_member_may_view(const std::string& user_id, const std::string& video_id);
  // Whether user_id joined party_id (now or earlier; not banned, not a pending request), for the videos module.
  bool is_party_member(const std::string& user_id, const std::string& party_id);

 private:
  PartyRow visible_party(const Principal& user, const std::string& id);
  ParticipantRow member(const PartyRow& party, const std::string& user_id);
  // The party's current host (an active participant with the host role), or staff.
  void require_host(const Principal& user, const PartyRow& party, const std::string& what);
  // The host or a moderator (active), or staff.
  void require_moderator(const Principal& user, const PartyRow& party);
  std::shared_ptr<Room> room_if_loaded(const std::string& id);
  std::shared_ptr<Room> load_room(const std::string& id);
  Room::Member live_member(const std::shared_ptr<Room>& room, const std::string& user_id);
  // Joins the user; false when the join awaits approval instead.
  bool admit(const Principal& user, const PartyRow& party);
  void announce_request(const PartyRow& party, const Principal& user);
  Playback playback_of(const PartyRow& party);
  using PendingSave = std::optional<std::pair<long long, std::string>>;
  Playback newest_playback(const PartyRow& party, const PendingSave& pending);
  // Feeds the videos module's watch time (party playing an uploaded video).
  void record_watch(const std::optional<std::string>& video_id, const std::string& party_id,
                    const std::string& user_id, double position, bool buffering_event);
  void broadcast(const std::string& party_id, const boost::json::object& msg);
  // Changes the playback by compare-and-set on the shared copy: `change` sees
  // the room (locked) and a copy of the playback, and returns false to leave
  // it. Retried when another node changed it first.
  using PlaybackChange = std::function<bool(const Room&, Playback&)>;
  bool update_playback(const std::shared_ptr<Room>& room, const std::string& by, const PlaybackChange& change);
  void adopt(Room& room, const Playback& pb);  // takes pb if newer (room locked)
  void on_room_message(const std::string& party_id, const std::string& text);
  void resume_after_wait(const std::shared_ptr<Room>& room);
  void user_gone(const std::shared_ptr<Room>& room, const std::string& user_id, const std::string& username);
  void refresh_room(const std::string& id);
  void refresh_stale_rooms();
  // Schedules the durable save of a playback change (ordered, never dropped).
  void save_durable(const std::string& id, const Playback& pb);
  // Reloads the party into its live room here, tells other nodes to reload
  // theirs, and tells the members; returns it.
  PartyRow announce_change(const std::string& id);
  void changed_elsewhere(const std::string& id);
  std::string new_room_code();

  Store& store_;
  realtime::Hub& hub_;
  BlockingPool& pool_;
  const Config& config_;
  VideoHooks videos_;
  LiveState& live_;
  RateLimiter& limiter_;
  PlaybackWriter writer_;
  const std::string node_id_;
  std::atomic<bool> resync_requested_{false};
  std::int64_t last_presence_ms_ = 0;
  std::mutex rooms_mu_;
  std::map<std::string, std::shared_ptr<Room>> rooms_;
};

}  // namespace wp::parties

#pragma once
// The per-user channel (docs/realtime.md, "The per-user channel"): each user
// is a hub room "user:<id>" holding their /ws/user/ sockets on this node, so
// publish() is one broadcast that the backplane carries to every node. It
// also keeps the users' presence (UserPresence: heartbeats, expiry on node
// death, the offline debounce) and tells a user's friends when they come
// online or go offline. Modules see only wp::UserChannel.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/user_channel.hpp"
#include "realtime/hub.hpp"
#include "realtime/user_presence.hpp"

namespace wp::realtime {

class LiveUserChannel : public UserChannel {
 public:
  // Whom to tell about a user's presence (their friends). May run SQL: it is
  // only called on the blocking pool or the ticker thread.
  using FriendsOf = std::function<std::vector<std::string>(const std::string& user_id)>;

  LiveUserChannel(Hub& hub, UserPresence& presence, FriendsOf friends_of, std::chrono::milliseconds renew_every,
                  Clock clock = {});

  // Before serving (app.cpp wires the social graph after this is built).
  void set_friends_of(FriendsOf friends_of) { friends_of_ = std::move(friends_of); }

  void publish(const std::string& user_id, const std::string& type, const std::string& data_json) override;
  // One buffer and one backplane message for all these users' rooms.
  void publish_each(const std::vector<std::string>& user_ids, const std::string& type,
                    const std::string& data_json) override;
  std::vector<bool> online(const std::vector<std::string>& user_ids) override;

  // A socket of the user opened (on the pool): it joins the user's room with
  // `first` queued before any event, and the user's friends are told when it
  // is the user's first socket anywhere. Blocks (Redis, SQL).
  void attach(const std::string& user_id, const std::string& session_id, std::shared_ptr<Connection> conn,
              const Message& first);
  // It closed (on the pool). Blocks (Redis).
  void detach(const std::string& user_id, const std::shared_ptr<Connection>& conn);
  // Every 100 ms or so (blocks: Redis, SQL): renews this node's heartbeats
  // every `renew_every`, and tells the friends of users whose offline is due.
  void tick();
  // The shared state was lost or cut off (Redis reconnected): the next tick
  // writes this node's users again.
  void request_restore() { restore_ = true; }

  const std::string& node_id() const { return node_; }
  static std::string room(const std::string& user_id);
  // The envelope of an event: {"type": type, "data": <data_json>}. Throws
  // std::invalid_argument when data_json is not a JSON object (a bug).
  static std::string event(const std::string& type, const std::string& data_json);

 private:
  bool has_sockets_here(const std::string& user_id) const;
  std::vector<std::string> local_users() const;
  void announce(const std::string& user_id, bool online);

  Hub& hub_;
  UserPresence& presence_;
  FriendsOf friends_of_;
  const std::int64_t renew_every_ms_;
  Clock clock_;
  const std::string node_;
  std::atomic<std::int64_t> last_renew_ms_{0};
  std::atomic<bool> restore_{false};
};

}  // namespace wp::realtime

#pragma once
// What every node must agree on about a live party: its playback (changed
// only by compare-and-set on its version, and published to the room in the
// same step, so every member everywhere sees one order), who is online, and
// whom the party waits for. MemoryLiveState is one process;
// RedisLiveState (redis_live_state.hpp) is shared by all nodes.
#include <map>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <string>
#include <vector>

#include "realtime/hub.hpp"

namespace wp::parties {

class LiveState {
 public:
  virtual ~LiveState() = default;

  // Stores playback_json as `version` if the shared copy is not newer than
  // `expected` (it may be older: Redis restored from an old snapshot) or
  // there is none, and broadcasts `message` to the room in the same step.
  // With end_wait the party's buffering set is emptied in that step too (an
  // explicit play or pause, a released wait): a member who starts buffering
  // just after is still counted. Returns nullopt when stored, else the shared copy.
  virtual std::optional<std::string> swap_playback(const std::string& party, long long expected, long long version,
                                                   const std::string& playback_json, const std::string& message,
                                                   bool end_wait) = 0;
  // The shared copy, if there is one.
  virtual std::optional<std::string> playback(const std::string& party) = 0;

  // Whether user has sockets in the party on this node.
  virtual void set_online(const std::string& party, const std::string& user, bool online) = 0;
  // How many users have sockets in the party on any node, and which of `users` are among them.
  // Not the whole set: a join asks about the hundred people its state lists, whatever the room's size.
  struct Online {
    long long count = 0;
    std::vector<bool> among;  // one per user asked about
  };
  virtual Online online_of(const std::string& party, const std::vector<std::string>& users) = 0;
  // Renews this node's presence (local: party -> users) and returns the users
  // of those parties whose every node stopped renewing; each is returned once,
  // to one node.
  virtual std::map<std::string, std::vector<std::string>> renew_presence(
      const std::map<std::string, std::vector<std::string>>& local) = 0;

  // Adds or removes a user the party waits for; returns how many remain and
  // whether this call changed anything.
  virtual std::pair<bool, long long> set_buffering(const std::string& party, const std::string& user, bool buffering) = 0;
  // No member of the party is left on this node.
  virtual void forget(const std::string& party) = 0;
};

class MemoryLiveState : public LiveState {
 public:
  explicit MemoryLiveState(realtime::Hub& hub) : hub_(hub) {}
  std::optional<std::string> swap_playback(const std::string& party, long long expected, long long version,
                                           const std::string& playback_json, const std::string& message,
                                           bool end_wait) override;
  std::optional<std::string> playback(const std::string& party) override;
  void set_online(const std::string& party, const std::string& user, bool online) override;
  Online online_of(const std::string& party, const std::vector<std::string>& users) override;
  std::map<std::string, std::vector<std::string>> renew_presence(
      const std::map<std::string, std::vector<std::string>>&) override {
    return {};
  }
  std::pair<bool, long long> set_buffering(const std::string& party, const std::string& user, bool buffering) override;
  void forget(const std::string& party) override;

 private:
  struct Shared {
    long long version = 0;
    std::string json;
  };
  realtime::Hub& hub_;
  // Lock order: playback_mu_ (held while broadcasting, which takes room
  // locks), then room locks, then presence_mu_ (read under room locks, and
  // taken under playback_mu_ when a swap ends a wait). Never the other way.
  std::mutex playback_mu_, presence_mu_;
  std::unordered_map<std::string, Shared> playback_;
  // Hashed: a joiner's party_state asks about a hundred members of a room of thousands.
  std::unordered_map<std::string, std::unordered_set<std::string>> online_, buffering_;
};

}  // namespace wp::parties

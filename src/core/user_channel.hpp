#pragma once
// The per-user channel as the modules see it: an event for every /ws/user/
// socket of a user on every node, and who is online. The realtime side
// implements it (docs/realtime.md lists the events); modules never see sockets.
#include <string>
#include <vector>

namespace wp {

class UserChannel {
 public:
  virtual ~UserChannel() = default;
  // `data_json` is the text of a JSON object: the event's "data". Thread-safe;
  // never waits on the network.
  virtual void publish(const std::string& user_id, const std::string& type, const std::string& data_json) = 0;
  // The same event for each of these users (a conversation's members). The
  // live channel publishes it once for all of them; this default, once each.
  virtual void publish_each(const std::vector<std::string>& user_ids, const std::string& type,
                            const std::string& data_json) {
    for (auto& u : user_ids) publish(u, type, data_json);
  }
  // For each of these users, whether a /ws/user/ socket of theirs is open on
  // some node. May ask Redis: call it on the blocking pool.
  virtual std::vector<bool> online(const std::vector<std::string>& user_ids) = 0;
};

}  // namespace wp

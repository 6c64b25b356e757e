#pragma once
// Rooms of live connections on this node, and broadcast to them. A
// message is serialized once and the same buffer is queued on every
// connection. Cross-node delivery goes through a Backplane.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "realtime/connection.hpp"

namespace wp::realtime {

// Publishes room messages to every node (this one included). The default,
// LocalBackplane, is this process only; the scale-out work adds Redis.
class Backplane {
 public:
  using Deliver = std::function<void(const std::string& room, const Message& msg)>;
  virtual ~Backplane() = default;
  virtual void set_receiver(Deliver deliver) = 0;
  virtual void publish(const std::string& room, const Message& msg) = 0;
};

class LocalBackplane : public Backplane {
 public:
  void set_receiver(Deliver deliver) override { deliver_ = std::move(deliver); }
  void publish(const std::string& room, const Message& msg) override { deliver_(room, msg); }

 private:
  Deliver deliver_;
};

class Hub {
 public:
  explicit Hub(Backplane& backplane);

  struct Member {
    std::shared_ptr<Connection> conn;
    std::string user_id;
  };

  // Returns how many connections that user now has in the room. `first`
  // is queued on the connection before any broadcast can reach it.
  int join(const std::string& room, const std::string& user_id, std::shared_ptr<Connection> conn,
           const Message& first = nullptr);
  // Returns how many connections that user still has in the room.
  int leave(const std::string& room, const std::shared_ptr<Connection>& conn);

  // To every member on every node.
  void broadcast(const std::string& room, const Message& msg);
  // To this node's members only (what the backplane calls).
  void deliver_local(const std::string& room, const Message& msg);
  void close_user(const std::string& room, const std::string& user_id, int code, const std::string& reason);
  void close_room(const std::string& room, int code, const std::string& reason);
  void close_user_everywhere(const std::string& user_id, int code, const std::string& reason);
  std::vector<std::string> online_users(const std::string& room) const;
  std::size_t connection_count() const;

 private:
  Backplane& backplane_;
  mutable std::mutex mu_;
  std::map<std::string, std::vector<Member>> rooms_;
};

}  // namespace wp::realtime

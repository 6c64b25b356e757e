#pragma once
// Rooms of live connections on this node, and broadcast to them. A
// message is serialized once and the same buffer goes to every connection,
// handed to each I/O thread once for all its members of the room.
// Everything that must reach other nodes (room messages, closing a user's
// sockets, signals between modules) goes through a Backplane, which hands it
// back to every node, this one included.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "realtime/connection.hpp"

namespace wp::realtime {

// Channel names (docs/architecture.md): "room:<id>" carries client messages,
// "users:<room>:<user>,<user>..." carries a message for some members only
// ("users:<room>:!<user>,..." for every member but those), "each:<room>,<room>..."
// carries one message for every member of each of these rooms,
// "close:<room|*>:<user|*>" closes sockets ("<code> <sessions> <reason>",
// sessions "*", "=<id>" or "!<id>"), "signal:<name>" carries a signal.
class Backplane {
 public:
  using Receiver = std::function<void(const std::string& channel, const Message& payload)>;
  virtual ~Backplane() = default;
  virtual void set_receiver(Receiver receiver) = 0;
  virtual void publish(const std::string& channel, const Message& payload) = 0;
};

// One process only.
class LocalBackplane : public Backplane {
 public:
  void set_receiver(Receiver receiver) override { receiver_ = std::move(receiver); }
  void publish(const std::string& channel, const Message& payload) override { receiver_(channel, payload); }

 private:
  Receiver receiver_;
};

std::string room_channel(const std::string& room);

class Hub {
 public:
  explicit Hub(Backplane& backplane);

  struct Member {
    std::shared_ptr<Connection> conn;
    std::string user_id;
    std::string session_id;  // the login session that opened the socket
  };
  // Which of a user's sessions a close applies to.
  struct Sessions {
    enum class Kind { all, only, all_but } kind = Kind::all;
    std::string id;
  };
  // Sees every room message (also one for some users of the room) before
  // this node's members get it; false drops it here (delivered already).
  using Tap = std::function<bool(const std::string& room, const std::string& text)>;
  using SignalHandler = std::function<void(const std::string& payload)>;

  // Returns how many connections that user now has in the room. `first`
  // is queued on the connection before any broadcast can reach it.
  int join(const std::string& room, Member member, const Message& first = nullptr);
  // Returns how many connections that user still has in the room.
  int leave(const std::string& room, const std::shared_ptr<Connection>& conn);

  // To every member on every node.
  void broadcast(const std::string& room, const Message& msg);
  // To every member of each of these rooms on every node: one message on the
  // backplane rather than one per room (a conversation's members' rooms).
  void broadcast_each(const std::vector<std::string>& rooms, const Message& msg);
  // To the sockets of these users in the room, on every node.
  void send_to_users(const std::string& room, const std::vector<std::string>& user_ids, const Message& msg);
  // To every member of the room on every node but these users' sockets.
  void send_to_all_but(const std::string& room, const std::vector<std::string>& user_ids, const Message& msg);
  // To this node's members only (what the backplane calls).
  void deliver_local(const std::string& room, const Message& msg);
  // To every connection on this node, once each whatever its rooms (an admin
  // broadcast, run on every node by a signal); returns how many.
  std::size_t deliver_to_every_local(const Message& msg);
  // To this node's members but these users' sockets.
  void deliver_local_except(const std::string& room, const std::vector<std::string>& user_ids, const Message& msg);
  // On every node; an empty room or user means all of them.
  void close_user(const std::string& room, const std::string& user_id, int code, const std::string& reason);
  void close_room(const std::string& room, int code, const std::string& reason);
  void close_user_everywhere(const std::string& user_id, int code, const std::string& reason);
  void close_user_everywhere(const std::string& user_id, int code, const std::string& reason, const Sessions& which);
  // A named signal with a payload, handled on every node (set handlers before serving).
  void signal(const std::string& name, const std::string& payload);
  void on_signal(const std::string& name, SignalHandler handler);
  void set_tap(Tap tap) { tap_ = std::move(tap); }

  std::vector<std::string> online_users(const std::string& room) const;
  // Every room with members on this node, with their users.
  std::map<std::string, std::vector<std::string>> local_rooms() const;
  std::size_t connection_count() const;
  // Connections on this node, by room.
  std::map<std::string, std::size_t> connections_by_room() const;

 private:
  void receive(const std::string& channel, const Message& payload);
  void deliver_to_users(const std::string& room, const std::string& user_list, const Message& msg);
  void close_local(const std::string& room, const std::string& user_id, const std::string& sessions, int code,
                   const std::string& reason);
  void publish_close(const std::string& room, const std::string& user_id, const std::string& sessions, int code,
                     const std::string& reason);

  // A room's members grouped by the fan-out of their thread: a delivery hands
  // each group over whole. Built by the first delivery after a join or leave.
  struct Lane {
    Fanout* fanout;  // null: sent to one by one
    std::vector<std::shared_ptr<Connection>> conns;
  };
  using Lanes = std::vector<Lane>;
  std::shared_ptr<const Lanes> lanes_of(const std::string& room, const std::vector<Member>& members);  // holding mu_

  Backplane& backplane_;
  Tap tap_;
  std::map<std::string, SignalHandler> signals_;
  mutable std::mutex mu_;
  std::map<std::string, std::vector<Member>> rooms_;
  std::map<std::string, std::shared_ptr<const Lanes>> lanes_;
};

}  // namespace wp::realtime

#pragma once
// What a client may send on its /ws/user/ socket besides ping, as a table
// of handlers by message type. Modules register theirs (app.cpp builds the
// table); the socket looks the type up and runs the handler on the blocking
// pool, in the order the client sent its messages. Neither side knows the other.
#include <boost/json.hpp>

#include <functional>
#include <map>
#include <stdexcept>
#include <string>

#include "core/principal.hpp"

namespace wp {

// One message from one socket. `reply` queues a frame on that socket only
// (thread-safe). A handler throws wp::Error to answer the client with `error`.
struct UserSocketMessage {
  const Principal& user;
  const boost::json::object& body;  // the whole message, "type" included
  std::function<void(std::string frame)> reply;
  std::string socket_id;  // the socket's id on this node (a module that keeps a socket by it)
};

using UserMessageHandler = std::function<void(const UserSocketMessage&)>;

class UserMessageHandlers {
 public:
  // Before serving; a type registered twice is a programming error.
  void add(const std::string& type, UserMessageHandler handler) {
    if (type == "ping" || !handlers_.emplace(type, std::move(handler)).second)
      throw std::logic_error("user socket message type registered twice: " + type);
  }
  const UserMessageHandler* find(const std::string& type) const {
    auto it = handlers_.find(type);
    return it == handlers_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, UserMessageHandler> handlers_;
};

}  // namespace wp

#pragma once
// The seam between the WebSocket transport and the modules that use it.
// No Beast here: the transport implements Connection, a module implements
// Endpoint for each accepted socket.
#include <memory>
#include <string>
#include <vector>

namespace wp::realtime {

namespace close_code {
constexpr int going_away = 1001;
constexpr int server_error = 1011;
constexpr int not_authenticated = 4001;
constexpr int forbidden = 4003;
constexpr int not_found = 4004;
constexpr int too_slow = 4008;
}  // namespace close_code

using Message = std::shared_ptr<const std::string>;

class Connection;

// The connections served by one thread. Whatever is sent to one of them, alone or
// in a fan-out, reaches it in the order of the calls.
class Fanout {
 public:
  using Members = std::shared_ptr<const std::vector<std::shared_ptr<Connection>>>;
  // Any thread: msg to each of `members`, every one of them this fan-out's. One
  // hand-over for them all, not one per member.
  virtual void send_each(Members members, Message msg) = 0;

 protected:
  ~Fanout() = default;
};

class Connection {
 public:
  virtual ~Connection() = default;
  // Queues a text frame; any thread, in the order of the calls. A connection
  // whose bounded queue is full is closed with 4008.
  virtual void send(Message text) = 0;
  // Closes with code and reason; any thread, idempotent. Nothing sent after
  // it goes out.
  virtual void close(int code, const std::string& reason) = 0;
  virtual const std::string& id() const = 0;
  // The fan-out of this connection's thread; null: a fan-out sends to it one by one.
  virtual Fanout* fanout() { return nullptr; }
};

class Endpoint {
 public:
  virtual ~Endpoint() = default;
  // Called in order, one at a time, on the connection's I/O thread. Must not
  // block: hand blocking work to the blocking pool.
  virtual void on_message(const std::string& text) = 0;
  // Called once, after the last on_message.
  virtual void on_close() = 0;
};

inline Message make_message(std::string text) { return std::make_shared<const std::string>(std::move(text)); }

}  // namespace wp::realtime

#pragma once
// One party WebSocket: parses client messages (protocol.hpp) and calls the
// live rooms or the party rules. Ping, typing and sync requests are answered
// at once on the I/O thread (they never block); everything that touches
// shared state or the database (control, buffering, chat, reactions,
// leaving) runs in order on the blocking pool.
#include <memory>

#include "core/serial_queue.hpp"
#include "modules/parties/service.hpp"
#include "realtime/connection.hpp"

namespace wp::parties {

class PartySocket : public realtime::Endpoint, public std::enable_shared_from_this<PartySocket> {
 public:
  PartySocket(PartiesService& service, BlockingPool& pool, std::shared_ptr<Room> room, Principal user,
              std::shared_ptr<realtime::Connection> conn);
  void on_message(const std::string& text) override;
  void on_close() override;

 private:
  void send_error(const std::string& code, const std::string& message, std::optional<int> retry_after = {});
  template <class Fn>
  void guarded(Fn&& fn);
  template <class Fn>
  void in_order(Fn&& fn);

  PartiesService& service_;
  LiveRooms& rooms_;
  std::shared_ptr<Room> room_;
  Principal user_;
  std::shared_ptr<realtime::Connection> conn_;
  std::shared_ptr<SerialQueue> queue_;
};

}  // namespace wp::parties

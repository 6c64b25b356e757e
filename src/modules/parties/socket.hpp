#pragma once
// One party WebSocket: parses client messages and calls the service.
// In-memory actions (ping, control, buffering, typing) run at once on the
// I/O strand; chat and reactions touch the database and run, in order, on
// the blocking pool.
#include <memory>

#include "core/serial_queue.hpp"
#include "modules/parties/service.hpp"
#include "realtime/connection.hpp"

namespace wp::parties {

class PartySocket : public realtime::Endpoint, public std::enable_shared_from_this<PartySocket> {
 public:
  PartySocket(PartiesService& service, BlockingPool& pool, std::shared_ptr<Room> room, http::AuthUser user,
              std::shared_ptr<realtime::Connection> conn);
  void on_message(const std::string& text) override;
  void on_close() override;

 private:
  void send_error(const std::string& code, const std::string& message, std::optional<int> retry_after = {});
  template <class Fn>
  void guarded(Fn&& fn);

  PartiesService& service_;
  std::shared_ptr<Room> room_;
  http::AuthUser user_;
  std::shared_ptr<realtime::Connection> conn_;
  std::shared_ptr<SerialQueue> queue_;
};

}  // namespace wp::parties

#pragma once
// One /ws/user/ socket: answers ping at once on the I/O strand; a type some
// module registered (core/user_messages.hpp) runs on the socket's
// SerialQueue on the blocking pool, in the order sent; anything else is
// answered with `error` (the socket stays open). Events reach it through the
// hub room it joined; its goodbye (presence, Redis) runs on the blocking pool.
#include <memory>

#include "core/blocking_pool.hpp"
#include "core/principal.hpp"
#include "core/serial_queue.hpp"
#include "core/user_messages.hpp"
#include "realtime/connection.hpp"
#include "realtime/user_channel.hpp"

namespace wp::user_channel {

class UserSocket : public realtime::Endpoint, public std::enable_shared_from_this<UserSocket> {
 public:
  UserSocket(realtime::LiveUserChannel& channel, BlockingPool& pool, const UserMessageHandlers& handlers,
             Principal user, std::shared_ptr<realtime::Connection> conn);
  void on_message(const std::string& text) override;
  void on_close() override;

 private:
  void run_handler(const UserMessageHandler& handler, boost::json::object body);

  realtime::LiveUserChannel& channel_;
  BlockingPool& pool_;
  const UserMessageHandlers& handlers_;
  Principal user_;
  std::shared_ptr<realtime::Connection> conn_;
  std::shared_ptr<SerialQueue> queue_;
};

}  // namespace wp::user_channel

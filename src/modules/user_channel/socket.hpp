#pragma once
// One /ws/user/ socket: answers ping at once on the I/O strand and reports
// anything else as an `error` (the socket stays open). Events reach it
// through the hub room it joined; its goodbye (presence, Redis) runs on the
// blocking pool.
#include <memory>

#include "core/blocking_pool.hpp"
#include "realtime/connection.hpp"
#include "realtime/user_channel.hpp"

namespace wp::user_channel {

class UserSocket : public realtime::Endpoint, public std::enable_shared_from_this<UserSocket> {
 public:
  UserSocket(realtime::LiveUserChannel& channel, BlockingPool& pool, std::string user_id,
             std::shared_ptr<realtime::Connection> conn);
  void on_message(const std::string& text) override;
  void on_close() override;

 private:
  realtime::LiveUserChannel& channel_;
  BlockingPool& pool_;
  std::string user_id_;
  std::shared_ptr<realtime::Connection> conn_;
};

}  // namespace wp::user_channel

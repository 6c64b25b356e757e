#include "realtime/redis_backplane.hpp"

namespace wp::realtime {

void RedisBackplane::set_receiver(Receiver receiver) {
  auto skip = redis_.prefix().size();
  redis_.subscriber().psubscribe(redis_.key("*"), [receiver = std::move(receiver), skip](
                                                      const std::string& channel, const std::string& payload) {
    receiver(channel.substr(skip), make_message(payload));
  });
}

void RedisBackplane::publish(const std::string& channel, const Message& payload) {
  redis_.commands().command({"PUBLISH", redis_.key(channel), *payload});
}

}  // namespace wp::realtime

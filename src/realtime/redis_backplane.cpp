#include "realtime/redis_backplane.hpp"

namespace wp::realtime {

namespace {
constexpr std::string_view kPrefix = "wp:";
}

std::string redis_channel(const std::string& channel) { return std::string(kPrefix) + channel; }

void RedisBackplane::set_receiver(Receiver receiver) {
  redis_.subscriber().psubscribe(std::string(kPrefix) + "*", [receiver = std::move(receiver)](
                                                                  const std::string& channel, const std::string& payload) {
    receiver(channel.substr(kPrefix.size()), make_message(payload));
  });
}

void RedisBackplane::publish(const std::string& channel, const Message& payload) {
  redis_.commands().command({"PUBLISH", redis_channel(channel), *payload});
}

}  // namespace wp::realtime

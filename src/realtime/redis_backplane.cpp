#include "realtime/redis_backplane.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <stdexcept>
#include <thread>

#include "realtime/redis_client.hpp"

namespace wp::realtime {

namespace {
constexpr const char* kRoomPrefix = "wp:room:";
}

struct RedisBackplane::Impl {
  boost::asio::io_context ioc;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{ioc.get_executor()};
  std::unique_ptr<RedisClient> pub, sub;
  std::thread thread;
  Deliver deliver;
};

RedisBackplane::RedisBackplane(const std::string& redis_url) : impl_(std::make_unique<Impl>()) {
  std::string host;
  int port = 0;
  if (!RedisClient::parse_url(redis_url, host, port)) throw std::invalid_argument("bad redis URL " + redis_url);
  impl_->pub = std::make_unique<RedisClient>(impl_->ioc, host, port);
  impl_->sub = std::make_unique<RedisClient>(impl_->ioc, host, port);
  impl_->thread = std::thread([im = impl_.get()] { im->ioc.run(); });
}

RedisBackplane::~RedisBackplane() {
  impl_->pub->stop();
  impl_->sub->stop();
  impl_->work.reset();
  impl_->ioc.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

void RedisBackplane::set_receiver(Deliver deliver) {
  impl_->deliver = std::move(deliver);
  impl_->sub->psubscribe(std::string(kRoomPrefix) + "*", [im = impl_.get()](const std::string& channel,
                                                                          const std::string& payload) {
    im->deliver(channel.substr(std::char_traits<char>::length(kRoomPrefix)), make_message(payload));
  });
  impl_->pub->start();
  impl_->sub->start();
}

void RedisBackplane::publish(const std::string& room, const Message& msg) {
  impl_->pub->command({"PUBLISH", kRoomPrefix + room, *msg});
}

bool RedisBackplane::connected() const { return impl_->pub->connected() && impl_->sub->connected(); }

}  // namespace wp::realtime

#include "realtime/redis_node.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <spdlog/spdlog.h>

#include <future>
#include <stdexcept>
#include <thread>

#include "core/error.hpp"

namespace wp::realtime {

struct RedisNode::Loop {
  boost::asio::io_context ioc;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{ioc.get_executor()};
  std::thread thread;
};

RedisNode::RedisNode(const std::string& url, std::string prefix)
    : prefix_(std::move(prefix)), loop_(std::make_unique<Loop>()) {
  std::string host;
  int port = 0;
  if (!RedisClient::parse_url(url, host, port)) throw std::invalid_argument("bad redis URL " + url);
  commands_ = std::make_unique<RedisClient>(loop_->ioc, host, port);
  subscriber_ = std::make_unique<RedisClient>(loop_->ioc, host, port);
  loop_->thread = std::thread([l = loop_.get()] { l->ioc.run(); });
}

RedisNode::~RedisNode() { stop(); }

void RedisNode::stop() {
  if (!loop_->thread.joinable()) return;
  commands_->stop();
  subscriber_->stop();
  loop_->work.reset();
  loop_->ioc.stop();
  if (loop_->thread.joinable()) loop_->thread.join();
}

void RedisNode::start() {
  commands_->start();
  subscriber_->start();
}

bool RedisNode::connected() const { return commands_->connected() && subscriber_->connected(); }

RedisReply RedisNode::call(std::vector<std::string> argv, std::chrono::milliseconds timeout) {
  // Known to be down (the client logs that once): refuse without a round trip or a log line.
  if (!commands_->connected()) throw Error(ErrorCode::unavailable, "Shared state (Redis) is unavailable.");
  auto promise = std::make_shared<std::promise<RedisReply>>();
  auto reply = promise->get_future();
  commands_->command(std::move(argv), [promise](const RedisReply& r) { promise->set_value(r); });
  if (reply.wait_for(timeout) != std::future_status::ready)
    throw Error(ErrorCode::unavailable, "Shared state (Redis) did not answer in time.");
  auto r = reply.get();
  if (!r.ok()) {
    spdlog::warn("redis: {}", r.str);
    throw Error(ErrorCode::unavailable, "Shared state (Redis) is unavailable.");
  }
  return r;
}

RedisReply RedisNode::eval(const std::string& script, const std::vector<std::string>& keys,
                           const std::vector<std::string>& args) {
  std::vector<std::string> argv{"EVAL", script, std::to_string(keys.size())};
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  return call(std::move(argv));
}

}  // namespace wp::realtime

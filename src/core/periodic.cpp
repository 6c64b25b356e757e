#include "core/periodic.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "core/ids.hpp"
#include "core/log.hpp"

namespace wp {

Periodic::Periodic(std::string name, std::chrono::milliseconds interval, Round round)
    : name_(std::move(name)), interval_(interval), round_(std::move(round)) {}

Periodic::~Periodic() { stop(); }

void Periodic::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void Periodic::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Periodic::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

bool Periodic::stopping() const {
  std::lock_guard lock(mu_);
  return stopping_;
}

void Periodic::loop() {
  bool failing = false;  // log a failure streak once, not at every round
  for (;;) {
    bool again = false;
    try {
      again = round_();
      if (failing) spdlog::info("{}: working again", name_);
      failing = false;
    } catch (const std::exception& e) {
      if (!failing) spdlog::warn("{}: {}", name_, log::redact_sql_error(e.what()));
      failing = true;
    }
    std::unique_lock lock(mu_);
    if (!again || failing) cv_.wait_for(lock, interval_, [this] { return stopping_ || woken_; });
    woken_ = false;
    if (stopping_) return;
  }
}

std::string worker_id(std::string_view role) {
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(::getpid()) + ":" + random_hex(4) + "/" + std::string(role);
}

}  // namespace wp

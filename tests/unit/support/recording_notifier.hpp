#pragma once
// A wp::Notifier and a wp::PushSender for service tests: they record what a
// module notifies or what the notifications service hands to push.
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/notifier.hpp"
#include "core/push.hpp"

namespace wp::testkit {

class RecordingNotifier : public Notifier {
 public:
  void notify(const Notice& n) override {
    std::lock_guard lock(mu_);
    notices_.push_back(n);
  }
  std::vector<Notice> take() {
    std::lock_guard lock(mu_);
    return std::exchange(notices_, {});
  }

 private:
  std::mutex mu_;
  std::vector<Notice> notices_;
};

class RecordingPush : public PushSender {
 public:
  void enqueue(const PushMessage& m) override {
    std::lock_guard lock(mu_);
    messages_.push_back(m);
  }
  std::vector<PushMessage> take() {
    std::lock_guard lock(mu_);
    return std::exchange(messages_, {});
  }

 private:
  std::mutex mu_;
  std::vector<PushMessage> messages_;
};

}  // namespace wp::testkit

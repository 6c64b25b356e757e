#pragma once
// A wp::Notifier and a wp::PushSender for service tests: they record what a
// module notifies or what the notifications service hands to push.
#include <mutex>
#include <set>
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
  std::vector<Notice> of_type(const std::string& type) {
    std::lock_guard lock(mu_);
    std::vector<Notice> out;
    for (auto& n : notices_)
      if (n.type == type) out.push_back(n);
    return out;
  }
  std::set<std::string> users_told(const std::string& type) {
    std::set<std::string> out;
    for (auto& n : of_type(type)) out.insert(n.user_id);
    return out;
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

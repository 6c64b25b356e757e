#pragma once
// A wp::UserChannel for service tests: records what a module publishes and
// says online exactly the users in `online_users`.
#include <boost/json.hpp>

#include <algorithm>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/user_channel.hpp"

namespace wp::testkit {

struct ChannelEvent {
  std::string user, type;
  boost::json::object data;
};

class RecordingChannel : public UserChannel {
 public:
  void publish(const std::string& user_id, const std::string& type, const std::string& data_json) override {
    std::lock_guard lock(mu_);
    events_.push_back({user_id, type, boost::json::parse(data_json).as_object()});
  }
  std::vector<bool> online(const std::vector<std::string>& ids) override {
    std::lock_guard lock(mu_);
    std::vector<bool> out;
    for (auto& id : ids) out.push_back(std::find(online_users.begin(), online_users.end(), id) != online_users.end());
    return out;
  }
  void set_online(std::vector<std::string> users) {
    std::lock_guard lock(mu_);
    online_users = std::move(users);
  }
  // Every event so far, forgetting them.
  std::vector<ChannelEvent> take() {
    std::lock_guard lock(mu_);
    return std::exchange(events_, {});
  }
  std::vector<ChannelEvent> of(const std::string& user_id, const std::string& type) {
    std::lock_guard lock(mu_);
    std::vector<ChannelEvent> out;
    for (auto& e : events_)
      if (e.user == user_id && e.type == type) out.push_back(e);
    return out;
  }
  std::size_t size() {
    std::lock_guard lock(mu_);
    return events_.size();
  }

 private:
  std::mutex mu_;
  std::vector<std::string> online_users;
  std::vector<ChannelEvent> events_;
};

}  // namespace wp::testkit

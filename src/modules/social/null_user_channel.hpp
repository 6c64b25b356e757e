#pragma once
// A per-user channel that reaches nobody: events are dropped and nobody is
// online. app.cpp uses it until the /ws/user/ channel is wired in its place.
#include <string>
#include <vector>

#include "core/user_channel.hpp"

namespace wp::social {

class NullUserChannel : public UserChannel {
 public:
  void publish(const std::string&, const std::string&, const std::string&) override {}
  std::vector<bool> online(const std::vector<std::string>& user_ids) override {
    return std::vector<bool>(user_ids.size(), false);
  }
};

}  // namespace wp::social

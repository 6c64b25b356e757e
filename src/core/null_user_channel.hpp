#pragma once
// A wp::UserChannel that publishes nothing and sees nobody online: what
// app.cpp wires until the /ws/user/ channel is merged (the coordinator swaps it).
#include "core/user_channel.hpp"

namespace wp {

class NullUserChannel final : public UserChannel {
 public:
  void publish(const std::string&, const std::string&, const std::string&) override {}
  std::vector<bool> online(const std::vector<std::string>& user_ids) override {
    return std::vector<bool>(user_ids.size(), false);
  }
};

}  // namespace wp

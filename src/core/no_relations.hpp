#pragma once
// A wp::Relations that knows no blocks and no friends: what app.cpp wires
// until the social module's Relations is merged (the coordinator swaps it).
#include "core/relations.hpp"

namespace wp {

class NoRelations final : public Relations {
 public:
  bool blocked_between(const std::string&, const std::string&) override { return false; }
  bool are_friends(const std::string&, const std::string&) override { return false; }
  std::vector<std::string> friends_of(const std::string&) override { return {}; }
};

}  // namespace wp

#pragma once
// A wp::Relations for service tests: blocks the test sets, and no friends.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/relations.hpp"

namespace wp::testkit {

class BlockList : public Relations {
 public:
  void block(const std::string& a, const std::string& b) { blocks_.insert({a, b}); }
  void unblock(const std::string& a, const std::string& b) { blocks_.erase({a, b}); }
  bool blocked_between(const std::string& a, const std::string& b) override {
    return blocks_.count({a, b}) > 0 || blocks_.count({b, a}) > 0;
  }
  bool are_friends(const std::string&, const std::string&) override { return false; }
  std::vector<std::string> friends_of(const std::string&) override { return {}; }

 private:
  std::set<std::pair<std::string, std::string>> blocks_;
};

}  // namespace wp::testkit

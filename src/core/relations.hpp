#pragma once
// What the social graph tells the other modules (blocks and friendships),
// without them reading its tables. The social module implements it. Every
// call may run SQL: call it on the blocking pool.
#include <string>
#include <vector>

namespace wp {

class Relations {
 public:
  virtual ~Relations() = default;
  // A block in either direction.
  virtual bool blocked_between(const std::string& a, const std::string& b) = 0;
  virtual bool are_friends(const std::string& a, const std::string& b) = 0;
  virtual std::vector<std::string> friends_of(const std::string& user_id) = 0;
};

}  // namespace wp

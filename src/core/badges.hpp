#pragma once
// The badges a user equipped in the store, as profiles and party chat show
// them, without those modules reading the store's tables. The store module
// implements it (with a short cache: chat asks for every message). Calls may
// run SQL: call them on the blocking pool.
#include <string>
#include <vector>

namespace wp {

struct BadgeView {
  std::string item_id;
  std::string name;
  std::string image;  // an emoji or a short text the client shows
};

class Badges {
 public:
  virtual ~Badges() = default;
  // Empty when the user wears none (or is unknown). Throws wp::Error when the database is away.
  virtual std::vector<BadgeView> badges_of(const std::string& user_id) = 0;
};

}  // namespace wp

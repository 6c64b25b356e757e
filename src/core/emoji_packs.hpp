#pragma once
// Emoji that come with a store pack may be sent only by the pack's owners
// (store, #18); every other emoji is free. Parties ask before storing a
// reaction, without reading the store's tables. Calls may run SQL: call
// them on the blocking pool.
#include <string>

namespace wp {

class EmojiPacks {
 public:
  virtual ~EmojiPacks() = default;
  // False when the emoji belongs to one or more packs and the user owns none of them.
  // Throws wp::Error when the database is away.
  virtual bool may_use(const std::string& user_id, const std::string& emoji) = 0;
};

}  // namespace wp

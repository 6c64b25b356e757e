#pragma once
// The rule for a chat line's text (REST and the party socket alike).
#include <string>
#include <string_view>

namespace wp::parties {

inline constexpr std::size_t kMaxChatChars = 1000;

// The text without trailing blanks. Throws PartyError (validation,
// invalid_message) when that is empty or longer than 1000 characters.
std::string checked_chat(std::string_view content);

}  // namespace wp::parties

#include "modules/parties/chat_text.hpp"

#include <algorithm>
#include <cctype>

#include "modules/parties/model.hpp"

namespace wp::parties {

std::string checked_chat(std::string_view content) {
  // Checked on the view, copied once: the copy is what is stored.
  auto end = content.size();
  while (end > 0 && std::isspace(static_cast<unsigned char>(content[end - 1]))) --end;
  auto text = content.substr(0, end);
  if (text.empty()) throw PartyError(ErrorCode::validation, "invalid_message", "The message is empty.");
  // Code points: every byte but UTF-8 continuation bytes.
  auto chars = std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; });
  if (text.size() > kMaxChatChars * 4 || static_cast<std::size_t>(chars) > kMaxChatChars)
    throw PartyError(ErrorCode::validation, "invalid_message", "Messages are at most 1000 characters.");
  return std::string(text);
}

}  // namespace wp::parties

// libFuzzer target: a text frame on each socket, through the parsing and
// dispatch stage of its message handler: the party socket, /ws/user/, and the
// messaging messages /ws/user/ hands on (sync, viewing). Only the protocol's
// own refusals may leave them (Invalid, wp::Error 400); what comes after runs
// against a database and is covered by the ASan integration run. The party
// socket reads a frame with one scan (scan_client_object); that scan must
// accept exactly the objects the document reader accepts, with the same type.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/json_input.hpp"
#include "modules/messaging/protocol.hpp"
#include "modules/parties/protocol.hpp"
#include "modules/user_channel/protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  wp::JsonField type{.key = "type"};
  const bool scanned = wp::scan_client_object(text, std::span(&type, 1));
  auto doc = wp::try_parse_client_json(text);
  if (scanned != (doc && doc->is_object())) __builtin_trap();
  if (scanned) {
    auto* t = doc->as_object().if_contains("type");
    const bool is_string = t && t->is_string();
    if (is_string != (type.kind == wp::JsonField::Kind::string)) __builtin_trap();
    if (is_string && std::string_view(t->as_string().data(), t->as_string().size()) != type.text) __builtin_trap();
  }
  try {
    auto m = wp::parties::protocol::parse_client_message(text);
    if (m.type == "chat_message") (void)m.content.size();
  } catch (const wp::parties::protocol::Invalid&) {
  }
  try {
    auto m = wp::user_channel::protocol::parse_client_message(text);
    try {
      (void)wp::messaging::protocol::parse_sync(m.body);
    } catch (const wp::Error&) {
    }
    try {
      (void)wp::messaging::protocol::parse_conversation_id(m.body, m.type == "viewing");
    } catch (const wp::Error&) {
    }
  } catch (const wp::user_channel::protocol::Invalid&) {
  }
  return 0;
}

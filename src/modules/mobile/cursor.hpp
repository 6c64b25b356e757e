#pragma once
// The sync cursors the app holds: opaque to it, signed by the server. A
// cursor names its user, its data type and the last change sequence the
// app has; a cursor of another user or type, or altered, is refused.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "modules/mobile/model.hpp"

namespace wp::mobile {

struct Cursor {
  std::string user_id;
  DataType type = DataType::settings;
  std::int64_t seq = 0;
};

std::string sign_cursor(std::string_view key, const Cursor& c);
// nullopt when the text is not a cursor this key signed.
std::optional<Cursor> verify_cursor(std::string_view key, std::string_view text);

}  // namespace wp::mobile

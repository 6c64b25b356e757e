#include "core/sfu.hpp"

#include <charconv>

namespace wp {

std::string room_ref(const SfuRoom& room) { return std::string(to_string(room.kind)) + ":" + std::to_string(room.id); }

std::optional<SfuRoom> parse_room_ref(std::string_view ref) {
  auto colon = ref.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto kind = parse_enum<SfuKind>(ref.substr(0, colon));
  auto digits = ref.substr(colon + 1);
  std::uint64_t id = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (!kind || digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || id == 0 ||
      id >= (std::uint64_t{1} << 53))
    return std::nullopt;
  return SfuRoom{*kind, id};
}

}  // namespace wp

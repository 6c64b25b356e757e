#pragma once
// One string mapping per enum of the domain vocabulary. A module declares,
// at namespace scope (outside its own namespace),
//
//   WP_ENUM_NAMES(wp::parties::Visibility, {wp::parties::Visibility::public_, "public"},
//                 {wp::parties::Visibility::unlisted, "unlisted"}, {wp::parties::Visibility::private_, "private"});
//
// and then to_string(v), parse_enum<Visibility>("public") and
// require_enum<Visibility>("visibility", text) work for it, everywhere
// (store columns, JSON, realtime messages) from that one table.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.hpp"

namespace wp {

template <class E, std::size_t N>
struct EnumTable {
  std::array<std::pair<E, std::string_view>, N> items;
};

// Specialized by WP_ENUM_NAMES (below).
template <class E>
struct EnumNamesOf;

template <class E>
inline constexpr auto enum_names = EnumNamesOf<E>::table;

template <class E>
  requires requires { EnumNamesOf<E>::table; }
constexpr std::string_view to_string(E e) {
  for (auto& [value, name] : enum_names<E>.items)
    if (value == e) return name;
  return "?";
}

template <class E>
constexpr std::optional<E> parse_enum(std::string_view text) {
  for (auto& [value, name] : enum_names<E>.items)
    if (name == text) return value;
  return std::nullopt;
}

// "a, b or c": the allowed values, for error messages.
template <class E>
std::string enum_choices() {
  std::string out;
  const auto& items = enum_names<E>.items;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " or " : ", ";
    out += items[i].second;
  }
  return out;
}

// A client's text for `field`: an unknown value is a 400 naming the allowed ones.
template <class E>
E require_enum(const std::string& field, std::string_view text) {
  if (auto e = parse_enum<E>(text)) return *e;
  throw_validation(field, "Must be one of " + enum_choices<E>() + ".");
}

}  // namespace wp

// Declares the table of enum E: WP_ENUM_NAMES(E, {E::a, "a"}, {E::b, "b"});
#define WP_ENUM_NAMES(E, ...)                                                                   \
  template <>                                                                                   \
  struct wp::EnumNamesOf<E> {                                                                   \
    static constexpr std::pair<E, std::string_view> raw[] = {__VA_ARGS__};                      \
    static constexpr auto table = [] {                                                          \
      wp::EnumTable<E, std::size(raw)> t{};                                                     \
      for (std::size_t i = 0; i < std::size(raw); ++i) t.items[i] = raw[i];                     \
      return t;                                                                                 \
    }();                                                                                        \
  }

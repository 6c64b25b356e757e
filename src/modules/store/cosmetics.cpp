#include "modules/store/cosmetics.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "core/error.hpp"

namespace wp::store {

namespace json = boost::json;

namespace {

constexpr std::array<const char*, 4> kThemeColours = {"background", "surface", "text", "accent"};

[[noreturn]] void refuse(const std::string& why) { throw_validation("properties", why); }

bool hex_colour(const json::value& v) {
  if (!v.is_string()) return false;
  auto s = v.as_string();
  return s.size() == 7 && s[0] == '#' &&
         std::all_of(s.begin() + 1, s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

std::string theme(const json::object& in) {
  json::object out;
  for (auto& kv : in) {
    if (std::find_if(kThemeColours.begin(), kThemeColours.end(), [&](const char* k) { return kv.key() == k; }) ==
        kThemeColours.end())
      refuse("A theme has only background, surface, text and accent.");
    if (!hex_colour(kv.value())) refuse("A theme's " + std::string(kv.key()) + " must be a colour like #1a2b3c.");
  }
  for (auto key : kThemeColours)
    if (auto it = in.find(key); it != in.end()) out[key] = json::string(it->value().as_string());
  return json::serialize(out);
}

std::string pack(const json::object& in) {
  auto it = in.find("emoji");
  if (in.size() != 1 || it == in.end() || !it->value().is_array())
    refuse("An emoji pack needs \"emoji\": a list of emoji, and nothing else.");
  const auto& list = it->value().as_array();
  if (list.empty() || list.size() > kMaxPackEmoji)
    refuse("An emoji pack holds 1 to " + std::to_string(kMaxPackEmoji) + " emoji.");
  std::set<std::string> seen;
  json::array out;
  for (auto& v : list) {
    if (!v.is_string() || !emoji_shaped(std::string(v.as_string())))
      refuse("Each emoji must be 1 to 16 bytes of emoji (no letters or digits).");
    if (!seen.insert(std::string(v.as_string())).second) refuse("An emoji appears twice.");
    out.push_back(v);
  }
  return json::serialize(json::object{{"emoji", std::move(out)}});
}

}  // namespace

bool emoji_shaped(const std::string& text) {
  return !text.empty() && text.size() <= 16 &&
         std::none_of(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0x80) == 0; });
}

std::string checked_properties(ItemKind kind, const json::object& properties) {
  // An item without properties brings nothing yet (items made before they existed, or staff filling them in later).
  if (properties.empty()) return "{}";
  switch (kind) {
    case ItemKind::profile_theme:
    case ItemKind::party_theme: return theme(properties);
    case ItemKind::emoji_pack: return pack(properties);
    case ItemKind::badge: break;
  }
  refuse("A badge has no properties.");
}

std::string checked_properties(ItemKind kind, const std::string& properties_json) {
  boost::system::error_code ec;
  auto v = json::parse(properties_json, ec);
  if (ec || !v.is_object()) refuse("Must be a JSON object.");
  return checked_properties(kind, v.as_object());
}

std::vector<std::string> pack_emoji(const std::string& properties_json) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto v = json::parse(properties_json, ec);
  if (ec || !v.is_object()) return out;
  auto it = v.as_object().find("emoji");
  if (it == v.as_object().end() || !it->value().is_array()) return out;
  for (auto& e : it->value().as_array())
    if (e.is_string()) out.emplace_back(e.as_string());
  return out;
}

}  // namespace wp::store

#pragma once
// What a cosmetic item brings, by kind, as its `properties` JSON: a theme's
// colours (profile_theme, party_theme: background, surface, text, accent,
// each "#rrggbb"), an emoji pack's emoji (emoji_pack: "emoji", 1 to 60
// distinct emoji). Badges have none; {} is always allowed (the item brings
// nothing yet). Pure: tested directly.
#include <boost/json.hpp>

#include <string>
#include <vector>

#include "modules/store/model.hpp"

namespace wp::store {

inline constexpr std::size_t kMaxPackEmoji = 60;

// The properties as stored (serialized, keys in a fixed order). Throws
// validation naming "properties" when they do not fit the kind.
std::string checked_properties(ItemKind kind, const boost::json::object& properties);
// The same check on stored text (an item whose kind changes keeps its properties only when they fit).
std::string checked_properties(ItemKind kind, const std::string& properties_json);

// An emoji pack's emoji (empty for other kinds or unreadable text).
std::vector<std::string> pack_emoji(const std::string& properties_json);

// Whether a reaction's text is one emoji a pack could hold: 1 to 16 bytes, no ASCII.
bool emoji_shaped(const std::string& text);

}  // namespace wp::store

// Cosmetics: the properties each item kind may carry (pure), the equipped
// themes others see, and the emoji packs' gate (a pack's emoji only from
// its owners) on a temporary SQLite database.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <string>

#include "modules/store/cosmetics.hpp"
#include "modules/store/pack_emoji.hpp"
#include "modules/store/service.hpp"
#include "modules/store/store.hpp"
#include "support/error_code.hpp"
#include "support/temp_db.hpp"

namespace {

using namespace wp::store;
using wp::ErrorCode;
using wp::Principal;
using wp::testkit::error_code_of;
namespace json = boost::json;

json::object parsed(const char* text) { return json::parse(text).as_object(); }

TEST(StoreCosmetics, ThemesTakeFourHexColoursInAFixedOrder) {
  EXPECT_EQ(checked_properties(ItemKind::profile_theme, parsed(R"({"accent":"#FF0000","background":"#101010"})")),
            R"({"background":"#101010","accent":"#FF0000"})");
  EXPECT_EQ(checked_properties(ItemKind::party_theme, parsed(R"({"text":"#abcdef"})")), R"({"text":"#abcdef"})");
  for (auto bad : {R"({"accent":"red"})", R"({"accent":"#12345"})", R"({"accent":"#12345g"})", R"({"accent":1})",
                   R"({"font":"#000000"})", R"({"emoji":["🦄"]})"})
    EXPECT_EQ(error_code_of([&] { checked_properties(ItemKind::profile_theme, parsed(bad)); }), ErrorCode::validation)
        << bad;
}

TEST(StoreCosmetics, PacksTakeDistinctEmojiOnly) {
  EXPECT_EQ(checked_properties(ItemKind::emoji_pack, parsed(R"({"emoji":["🦄","🐉"]})")), R"({"emoji":["🦄","🐉"]})");
  for (auto bad : {R"({"emoji":[]})", R"({"emoji":["a"]})", R"({"emoji":["🦄","🦄"]})", R"({"emoji":"🦄"})",
                   R"({"emoji":["🦄"],"x":1})", R"({"emoji":["🦄🦄🦄🦄🦄"]})", R"j({"emoji":[":)"]})j"})
    EXPECT_EQ(error_code_of([&] { checked_properties(ItemKind::emoji_pack, parsed(bad)); }), ErrorCode::validation)
        << bad;
  std::string many = R"({"emoji":[)";
  for (int i = 0; i < 61; ++i) many += std::string(i ? "," : "") + "\"\xE2\x98" + static_cast<char>(0x80 + i) + "\"";
  many += "]}";
  EXPECT_EQ(error_code_of([&] { checked_properties(ItemKind::emoji_pack, parsed(many.c_str())); }),
            ErrorCode::validation);
}

TEST(StoreCosmetics, EmptyIsAlwaysAllowedAndBadgesTakeNothingElse) {
  for (auto kind : {ItemKind::badge, ItemKind::emoji_pack, ItemKind::profile_theme, ItemKind::party_theme})
    EXPECT_EQ(checked_properties(kind, json::object{}), "{}");
  EXPECT_EQ(error_code_of([&] { checked_properties(ItemKind::badge, parsed(R"({"accent":"#000000"})")); }),
            ErrorCode::validation);
  EXPECT_EQ(pack_emoji(R"({"emoji":["🦄","🐉"]})"), (std::vector<std::string>{"🦄", "🐉"}));
  EXPECT_TRUE(pack_emoji("not json").empty());
}

struct World : wp::testkit::TempDatabase {
  Store store{*db};
  StoreService svc{store};
  PackEmoji gate{svc, std::chrono::hours(1)};
  Principal staff = add_user("staff", true);

  World() { svc.on_catalog_changed([this] { gate.forget(); }); }
  ItemRow item(ItemKind kind, const std::string& properties, std::int64_t price = 10) {
    ItemInput in;
    in.kind = kind;
    in.name = "Item";
    in.price = price;
    in.properties = properties;
    return svc.create_item(staff, in);
  }
  void give(const Principal& to, std::int64_t n) { svc.grant(staff, to.id, n, "test", std::nullopt); }
};

TEST(StoreCosmetics, AKindChangeMustFitTheProperties) {
  World w;
  auto theme = w.item(ItemKind::profile_theme, R"({"accent":"#000000"})");
  ItemInput to_badge;
  to_badge.kind = ItemKind::badge;
  EXPECT_EQ(error_code_of([&] { w.svc.update_item(w.staff, theme.id, to_badge); }), ErrorCode::validation);
  to_badge.properties = "{}";
  EXPECT_EQ(w.svc.update_item(w.staff, theme.id, to_badge).properties, "{}");
}

TEST(StoreCosmetics, EquippedThemesAreWhatOthersSee) {
  World w;
  auto ann = w.add_user("ann");
  auto profile = w.item(ItemKind::profile_theme, R"({"background":"#222222"})");
  auto party = w.item(ItemKind::party_theme, R"({"accent":"#00ff00"})");
  w.give(ann, 100);
  w.svc.buy(ann, profile.id, std::nullopt);
  w.svc.buy(ann, party.id, std::nullopt);
  EXPECT_FALSE(w.svc.cosmetics_of(ann.id).profile_theme);  // owned, not worn
  w.svc.equip(ann, profile.id);
  w.svc.equip(ann, party.id);
  auto c = w.svc.cosmetics_of(ann.id);
  ASSERT_TRUE(c.profile_theme && c.party_theme);
  EXPECT_EQ(c.profile_theme->properties, R"({"background":"#222222"})");
  EXPECT_EQ(c.party_theme->item_id, party.id);
  w.svc.unequip(ann, party.id);
  EXPECT_FALSE(w.svc.cosmetics_of(ann.id).party_theme);
}

TEST(StoreCosmetics, APacksEmojiOnlyFromItsOwners) {
  World w;
  auto ann = w.add_user("ann"), bob = w.add_user("bob");
  EXPECT_TRUE(w.gate.may_use(bob.id, "🦄"));  // no pack holds it yet
  auto pack = w.item(ItemKind::emoji_pack, R"({"emoji":["🦄","🐉"]})");
  // The catalog change dropped the index: the new pack counts at once on this node.
  EXPECT_FALSE(w.gate.may_use(bob.id, "🦄"));
  EXPECT_TRUE(w.gate.may_use(bob.id, "👍"));  // not a pack's: free
  w.give(ann, 100);
  auto bought = w.svc.buy(ann, pack.id, std::nullopt);
  EXPECT_TRUE(w.gate.may_use(ann.id, "🐉"));
  ASSERT_EQ(w.svc.emoji_packs(ann).size(), 1u);
  EXPECT_TRUE(w.svc.emoji_packs(bob).empty());
  // A refund takes the pack and its emoji away.
  w.svc.refund(w.staff, bought.purchase.id, "test");
  EXPECT_FALSE(w.gate.may_use(ann.id, "🐉"));
  // A pack off sale keeps its emoji for owners only.
  ItemInput off;
  off.is_active = false;
  w.svc.update_item(w.staff, pack.id, off);
  EXPECT_FALSE(w.gate.may_use(bob.id, "🦄"));
}

}  // namespace

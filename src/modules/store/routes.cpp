// Coins, the store, inventory and achievements (docs/api.md, "Coins, store and achievements").
#include "modules/store/routes.hpp"

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/fields.hpp"
#include "core/ids.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "http/pagination.hpp"
#include "modules/store/dto.hpp"

namespace wp::store {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

constexpr std::int64_t kMaxPrice = 1'000'000'000;
constexpr std::size_t kKeyMax = 200;

Window window(const http::Page& page) { return {page.size, page.offset()}; }

template <class Row, class Shape>
Response page_of(Request& req, const http::Page& page, const Listed<Row>& listed, Shape shape) {
  json::array out;
  for (auto& row : listed.rows) out.push_back(shape(row));
  return http::paginated(req, page, listed.count, std::move(out));
}

// A field that may be absent (unchanged), null (cleared) or a value.
bool given(const json::object& body, const char* name) { return body.contains(name); }

std::optional<std::optional<std::int64_t>> optional_time(Fields& f, const json::object& body, const char* name) {
  if (!given(body, name)) return std::nullopt;
  auto text = f.optional_string(name, 64);
  if (!text) return std::optional<std::int64_t>{};
  auto t = parse_rfc3339(*text);
  if (!t) f.add_error(name, "Must be an RFC 3339 time.");
  return std::optional<std::int64_t>{t};
}

ItemInput item_input(Request& req, bool creating) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  ItemInput in;
  if (creating || given(body, "name")) in.name = f.required_string("name", 1, 100);
  if (auto kind = f.optional_string("kind", 32)) in.kind = require_enum<ItemKind>("kind", *kind);
  else if (creating) f.add_error("kind", "This field is required.");
  in.description = f.optional_string("description", 2000);
  in.image = f.optional_string("image", 200);
  in.price = f.optional_int("price", 0, kMaxPrice);
  if (creating && (!given(body, "price") || body.at("price").is_null())) f.add_error("price", "This field is required.");
  if (given(body, "stock")) in.stock = f.optional_int("stock", 0, kMaxPrice);
  in.is_active = f.optional_bool("is_active");
  in.available_from = optional_time(f, body, "available_from");
  in.available_until = optional_time(f, body, "available_until");
  if (auto props = f.optional_object("properties")) in.properties = json::serialize(*props);
  f.done();
  return in;
}

// The client's key: the Idempotency-Key header, or the body's idempotency_key.
std::optional<std::string> idempotency_key(Request& req) {
  std::optional<std::string> key = req.header("Idempotency-Key");
  if (!key && !req.body.empty()) {
    auto body = http::parse_object_body(req);
    Fields f(body);
    key = f.optional_string("idempotency_key", kKeyMax);
    f.done();
  }
  if (key && (key->empty() || key->size() > kKeyMax))
    throw_validation("idempotency_key", "Must be 1 to 200 characters.");
  return key;
}

Response wallet(StoreService& svc, Request& req) {
  return http::json_response(json::object{{"balance", svc.balance(req.current_user())}});
}

Response wallet_history(StoreService& svc, Request& req) {
  auto page = http::parse_page(req);
  return page_of(req, page, svc.history(req.current_user(), window(page)), transaction_json);
}

Response list_items(StoreService& svc, Request& req) {
  auto page = http::parse_page(req);
  std::optional<ItemKind> kind;
  if (auto k = req.query("kind")) kind = require_enum<ItemKind>("kind", *k);
  bool all = req.query("all").value_or("") == "true";
  auto now = now_ms();
  return page_of(req, page, svc.items(req.current_user(), all, kind, window(page)),
                 [now](const ItemRow& i) { return item_json(i, now); });
}

Response get_item(StoreService& svc, Request& req) {
  return http::json_response(item_json(svc.item(req.current_user(), req.param("id")), now_ms()));
}

Response create_item(StoreService& svc, Request& req) {
  auto in = item_input(req, true);
  return http::json_response(item_json(svc.create_item(req.current_user(), in), now_ms()), 201);
}

Response update_item(StoreService& svc, Request& req) {
  auto in = item_input(req, false);
  return http::json_response(item_json(svc.update_item(req.current_user(), req.param("id"), in), now_ms()));
}

Response buy(StoreService& svc, Request& req) {
  auto key = idempotency_key(req);
  auto outcome = svc.buy(req.current_user(), req.param("id"), key);
  // The same key gets the same answer: the purchase it made, 201 both times.
  auto res = http::json_response(purchase_json(outcome.purchase), 201);
  if (outcome.replayed) res.set_header("Idempotent-Replayed", "true");
  return res;
}

Response my_purchases(StoreService& svc, Request& req) {
  auto page = http::parse_page(req);
  return page_of(req, page, svc.purchases(req.current_user(), window(page)), purchase_json);
}

Response get_purchase(StoreService& svc, Request& req) {
  return http::json_response(purchase_json(svc.purchase(req.current_user(), req.param("id"))));
}

Response all_purchases(StoreService& svc, Request& req) {
  auto page = http::parse_page(req);
  return page_of(req, page, svc.all_purchases(req.current_user(), req.query("user_id"), window(page)), purchase_json);
}

Response refund(StoreService& svc, Request& req) {
  std::string reason;
  if (!req.body.empty()) {
    auto body = http::parse_object_body(req);
    Fields f(body);
    reason = f.optional_string("reason", 500).value_or("");
    f.done();
  }
  return http::json_response(purchase_json(svc.refund(req.current_user(), req.param("id"), reason)));
}

Response grant(StoreService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto user_id = f.required_string("user_id", 1, 64);
  auto coins = f.optional_int("coins", 1, kMaxPrice);
  if (!coins && f.ok()) f.add_error("coins", "This field is required.");
  auto reason = f.optional_string("reason", 500).value_or("");
  f.done();
  std::optional<std::string> key = req.header("Idempotency-Key");
  bool granted = svc.grant(req.current_user(), user_id, *coins, reason, key);
  return http::success_response({{"granted", granted}}, granted ? 201 : 200);
}

Response ledger_check(StoreService& svc, Request& req) {
  return http::json_response(ledger_check_json(svc.check(req.current_user())));
}

Response inventory(StoreService& svc, Request& req) {
  json::array out;
  for (auto& v : svc.inventory(req.current_user())) out.push_back(inventory_json(v));
  return http::json_response(json::object{{"results", out}});
}

Response equip(StoreService& svc, Request& req) {
  return http::json_response(inventory_json(svc.equip(req.current_user(), req.param("item_id"))));
}

Response unequip(StoreService& svc, Request& req) {
  return http::json_response(inventory_json(svc.unequip(req.current_user(), req.param("item_id"))));
}

Response cosmetics(StoreService& svc, Request& req) {
  auto user_id = req.param("id");
  if (!is_uuid(user_id)) throw_not_found();
  return http::json_response(cosmetics_json(user_id, svc.cosmetics_of(user_id)));
}

Response my_emoji(StoreService& svc, Request& req) {
  json::array packs;
  for (auto& p : svc.emoji_packs(req.current_user())) packs.push_back(emoji_pack_json(p));
  return http::json_response(json::object{{"packs", std::move(packs)}});
}

Response achievements(AchievementsService& svc, Request& req, bool only_mine) {
  json::array out;
  for (auto& p : only_mine ? svc.mine(req.current_user()) : svc.all(req.current_user()))
    out.push_back(achievement_json(p));
  return http::json_response(json::object{{"results", out}});
}

}  // namespace

void add_routes(http::Router& router, StoreService& svc) {
  const auto U = Access::user, S = Access::staff;
  http::ModuleRoutes routes(router, svc, "store");
  routes.add("GET", "/api/store/wallet/", "My coin balance", U, wallet);
  routes.add("GET", "/api/store/wallet/transactions/", "My coin movements, newest first", U, wallet_history);
  routes.add("GET", "/api/store/items/", "Items on sale (?kind=; staff: ?all=true for every item)", U, list_items);
  routes.add("GET", "/api/store/items/{id}/", "An item", U, get_item);
  routes.add("POST", "/api/store/items/", "Add an item to the catalog (staff)", S, create_item);
  routes.add("PATCH", "/api/store/items/{id}/", "Change an item: price, stock, dates, active (staff)", S, update_item);
  routes.add("POST", "/api/store/items/{id}/purchase/",
             "Buy an item with coins (Idempotency-Key: the same key gets the same purchase)", U, buy);
  routes.add("GET", "/api/store/purchases/", "My purchases", U, my_purchases);
  routes.add("GET", "/api/store/purchases/{id}/", "A purchase of mine (staff: anyone's)", U, get_purchase);
  routes.add("GET", "/api/store/inventory/", "What I own, with what is equipped", U, inventory);
  routes.add("POST", "/api/store/inventory/{item_id}/equip/", "Equip an item I own", U, equip);
  routes.add("POST", "/api/store/inventory/{item_id}/unequip/", "Take an item off", U, unequip);
  routes.add("GET", "/api/store/users/{id}/cosmetics/", "A user's equipped profile and party themes (public)", U,
             cosmetics);
  routes.add("GET", "/api/store/emoji/", "The emoji of the packs I own (for the reaction picker)", U, my_emoji);
  routes.add("GET", "/api/store/staff/purchases/", "Every purchase, newest first (?user_id=) (staff)", S,
             all_purchases);
  routes.add("POST", "/api/store/staff/purchases/{id}/refund/",
             "Refund a purchase: reverse its ledger entries, revoke the item (staff)", S, refund);
  routes.add("POST", "/api/store/staff/grants/", "Give a user coins from the system's issuance (staff)", S, grant);
  routes.add("GET", "/api/store/staff/ledger/check/",
             "Prove the ledger: balanced transactions, cached balances equal to their entries (staff)", S,
             ledger_check);
}

void add_achievement_routes(http::Router& router, AchievementsService& svc) {
  const auto U = Access::user;
  http::ModuleRoutes routes(router, svc, "achievements");
  routes.add("GET", "/api/achievements/", "Every achievement with my progress", U,
             [](AchievementsService& s, Request& r) { return achievements(s, r, false); });
  routes.add("GET", "/api/achievements/mine/", "The achievements I unlocked", U,
             [](AchievementsService& s, Request& r) { return achievements(s, r, true); });
}

}  // namespace wp::store

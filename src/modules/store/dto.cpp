#include "modules/store/dto.hpp"

#include "core/clock.hpp"
#include "http/json.hpp"
#include "modules/store/cosmetics.hpp"

namespace wp::store {

namespace json = boost::json;

namespace {

using http::time_or_null;

json::value properties_of(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return ec || !v.is_object() ? json::value(json::object{}) : v;
}

}  // namespace

json::object transaction_json(const TransactionRow& t) {
  return {{"id", t.id},
          {"kind", to_string(t.kind)},
          {"amount", t.amount},
          {"memo", t.memo},
          {"reverses_id", t.reverses_id ? json::value(*t.reverses_id) : json::value(nullptr)},
          {"created_at", to_rfc3339(t.created_at)}};
}

json::object item_json(const ItemRow& i, std::int64_t now) {
  json::value remaining = i.stock ? json::value(*i.stock - i.sold) : json::value(nullptr);
  return {{"id", i.id},
          {"kind", to_string(i.kind)},
          {"name", i.name},
          {"description", i.description},
          {"image", i.image},
          {"price", i.price},
          {"stock", i.stock ? json::value(*i.stock) : json::value(nullptr)},
          {"sold", i.sold},
          {"remaining", remaining},
          {"is_active", i.is_active},
          {"on_sale", i.on_sale(now)},
          {"available_from", time_or_null(i.available_from)},
          {"available_until", time_or_null(i.available_until)},
          {"created_at", to_rfc3339(i.created_at)},
          {"updated_at", to_rfc3339(i.updated_at)},
          {"properties", properties_of(i.properties)}};
}

json::object purchase_json(const PurchaseRow& p) {
  return {{"id", p.id},
          {"user_id", p.user_id},
          {"item_id", p.item_id},
          {"item_name", p.item_name},
          {"price", p.price},
          {"status", to_string(p.status)},
          {"idempotency_key", p.idempotency_key ? json::value(*p.idempotency_key) : json::value(nullptr)},
          {"transaction_id", p.transaction_id},
          {"refund_transaction_id",
           p.refund_transaction_id ? json::value(*p.refund_transaction_id) : json::value(nullptr)},
          {"refund_reason", p.refund_reason ? json::value(*p.refund_reason) : json::value(nullptr)},
          {"created_at", to_rfc3339(p.created_at)},
          {"refunded_at", time_or_null(p.refunded_at)}};
}

json::object inventory_json(const InventoryRow& v) {
  return {{"item_id", v.item_id},
          {"kind", to_string(v.kind)},
          {"name", v.name},
          {"image", v.image},
          {"equipped", v.equipped},
          {"acquired_at", to_rfc3339(v.acquired_at)},
          {"properties", properties_of(v.properties)}};
}

json::object cosmetics_json(const std::string& user_id, const Cosmetics& c) {
  auto theme = [](const std::optional<InventoryRow>& row) -> json::value {
    if (!row) return nullptr;
    return json::object{{"item_id", row->item_id}, {"name", row->name}, {"properties", properties_of(row->properties)}};
  };
  return {{"user_id", user_id}, {"profile_theme", theme(c.profile_theme)}, {"party_theme", theme(c.party_theme)}};
}

json::object emoji_pack_json(const InventoryRow& pack) {
  json::array emoji;
  for (auto& e : pack_emoji(pack.properties)) emoji.emplace_back(e);
  return {{"item_id", pack.item_id}, {"name", pack.name}, {"emoji", std::move(emoji)}};
}

json::object ledger_check_json(const LedgerCheck& c) {
  return {{"ok", c.ok()},
          {"unbalanced_transactions", c.unbalanced_transactions},
          {"short_transactions", c.short_transactions},
          {"mismatched_accounts", c.mismatched_accounts},
          {"negative_wallets", c.negative_wallets},
          {"transactions", c.transactions},
          {"entries", c.entries}};
}

json::object achievement_json(const Progress& p) {
  return {{"key", p.rule->key},
          {"title", p.rule->title},
          {"description", p.rule->description},
          {"event_type", p.rule->event_type},
          {"threshold", p.rule->threshold},
          {"reward", p.rule->reward},
          {"progress", p.progress},
          {"unlocked", p.unlocked_at.has_value()},
          {"unlocked_at", time_or_null(p.unlocked_at)}};
}

}  // namespace wp::store

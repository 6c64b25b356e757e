#pragma once
// The JSON shapes of the store's rows (docs/api.md, "Coins, store and achievements").
#include <boost/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "modules/store/achievements.hpp"
#include "modules/store/model.hpp"
#include "modules/store/service.hpp"

namespace wp::store {

boost::json::object transaction_json(const TransactionRow& t);
// Staff see stock counts and dates of every item; users the same fields.
boost::json::object item_json(const ItemRow& i, std::int64_t now);
boost::json::object purchase_json(const PurchaseRow& p);
boost::json::object inventory_json(const InventoryRow& v);
boost::json::object cosmetics_json(const std::string& user_id, const Cosmetics& c);
boost::json::object emoji_pack_json(const InventoryRow& pack);
boost::json::object ledger_check_json(const LedgerCheck& c);
boost::json::object achievement_json(const Progress& p);

}  // namespace wp::store

// The store catalog: items staff create and change, and the lists users see.
#include <soci/soci.h>

#include "db/columns.hpp"
#include "db/soci_optional.hpp"
#include "modules/store/sql.hpp"
#include "modules/store/store.hpp"

namespace wp::store {

using soci::use;

namespace {

// The FROM text of a list and its parameters before LIMIT / OFFSET.
struct ItemList {
  std::string from;
  std::vector<long long> times;
  std::optional<std::string> kind;
};

ItemList item_list(bool on_sale, std::int64_t now, std::optional<ItemKind> kind) {
  ItemList l;
  l.from = on_sale ? sql::kOnSaleFrom : sql::kAllItemsFrom;
  if (on_sale) l.times = {now, now};
  if (kind) {
    l.from += " AND kind = :kind";
    l.kind = std::string(to_string(*kind));
  }
  return l;
}

auto bind_list(const ItemList& l) {
  return [&l](soci::statement& st) {
    for (auto& t : l.times) st.exchange(use(t));
    if (l.kind) st.exchange(use(*l.kind));
  };
}

}  // namespace

void Store::insert_item(const ItemRow& i, const std::string& created_by) {
  std::string kind(to_string(i.kind));
  long long price = i.price, t = i.created_at;
  std::optional<long long> stock, from, until;
  if (i.stock) stock = *i.stock;
  if (i.available_from) from = *i.available_from;
  if (i.available_until) until = *i.available_until;
  db_.with([&](soci::session& s) {
    s << sql::kInsertItem, use(i.id), use(kind), use(i.name), use(i.description), use(i.image), use(price),
        use(stock), use(from), use(until), use(created_by), use(t), use(t), use(i.properties);
  });
}

void Store::update_item(const ItemRow& i) {
  std::string kind(to_string(i.kind));
  long long price = i.price, t = i.updated_at;
  std::optional<long long> stock, from, until;
  if (i.stock) stock = *i.stock;
  if (i.available_from) from = *i.available_from;
  if (i.available_until) until = *i.available_until;
  db_.tx([&](soci::session& s) {
    s << sql::kUpdateItem, use(kind), use(i.name), use(i.description), use(i.image), use(price), use(stock),
        use(from), use(until), use(t), use(i.properties), use(i.id);
    s << (i.is_active ? sql::kSetItemActive : sql::kSetItemInactive), use(t), use(i.id);
  });
}

std::optional<ItemRow> Store::item(const std::string& id) {
  return db_.with([&](soci::session& s) { return db::select_one(s, sql::kItem, sql::kItemById, db::uses(id)); });
}

std::vector<ItemRow> Store::items(bool on_sale, std::int64_t now, std::optional<ItemKind> kind, const Window& w) {
  auto l = item_list(on_sale, now, kind);
  return db_.with([&](soci::session& s) {
    auto bind = bind_list(l);
    return db::select_rows(s, sql::kItem, l.from + sql::kItemsOrder, [&](soci::statement& st) {
      bind(st);
      st.exchange(use(w.limit));
      st.exchange(use(w.offset));
    });
  });
}

long long Store::count_items(bool on_sale, std::int64_t now, std::optional<ItemKind> kind) {
  auto l = item_list(on_sale, now, kind);
  return db_.with([&](soci::session& s) { return db::fetch_count(s, "SELECT COUNT(*) " + l.from, bind_list(l)); });
}

}  // namespace wp::store

// Store: the saved searches (SQL text in sql.hpp).
#include <soci/soci.h>

#include "db/affected.hpp"
#include "db/columns.hpp"
#include "modules/search/sql.hpp"
#include "modules/search/store.hpp"

namespace wp::search {

using soci::use;

std::vector<SavedSearchRow> Store::saved_searches(const std::string& user_id) {
  return db_.with([&](soci::session& s) { return db::select_rows(s, sql::kSaved, sql::kSavedOf, db::uses(user_id)); });
}

std::optional<SavedSearchRow> Store::saved_search(const std::string& id) {
  return db_.with([&](soci::session& s) { return db::select_one(s, sql::kSaved, sql::kSavedById, db::uses(id)); });
}

long long Store::count_saved(const std::string& user_id) {
  return db_.with([&](soci::session& s) { return db::fetch_count(s, sql::kCountSavedOf, db::uses(user_id)); });
}

void Store::insert_saved(const SavedSearchRow& r) {
  db_.with([&](soci::session& s) {
    int alert = r.alert;
    long long checked = r.checked_until, created = r.created_at, updated = r.updated_at;
    s << sql::kInsertSaved, use(r.id), use(r.user_id), use(r.name), use(r.query), use(r.search_type), use(r.filters),
        use(alert), use(checked), use(created), use(updated);
  });
}

void Store::update_saved(const SavedSearchRow& r) {
  db_.with([&](soci::session& s) {
    int alert = r.alert;
    long long updated = r.updated_at;
    s << sql::kUpdateSaved, use(r.name), use(alert), use(updated), use(r.id);
  });
}

void Store::delete_saved(const std::string& id) {
  db_.with([&](soci::session& s) { s << sql::kDeleteSaved, use(id); });
}

std::vector<SavedSearchRow> Store::due_alerts(std::int64_t cutoff, int limit) {
  return db_.with([&](soci::session& s) {
    long long c = cutoff;
    return db::select_rows(s, sql::kDueSaved, sql::kDueAlerts, db::uses(c, limit));
  });
}

bool Store::claim_alert(const std::string& id, std::int64_t now, std::int64_t cutoff) {
  return db_.with([&](soci::session& s) {
    long long n = now, c = cutoff;
    soci::statement st = (s.prepare << sql::kClaimAlert, use(n), use(n), use(id), use(c));
    return db::execute_counting(st) > 0;
  });
}

void Store::set_checked(const std::string& id, std::int64_t now) {
  db_.with([&](soci::session& s) {
    long long n = now;
    s << sql::kSetChecked, use(n), use(id), use(n);
  });
}

}  // namespace wp::search

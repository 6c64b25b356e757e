#include "modules/search/saved.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "modules/search/question_json.hpp"
#include "modules/search/query.hpp"

namespace wp::search {

namespace {
constexpr long long kMaxPerUser = 50;
constexpr int kAlertBatch = 200;
}  // namespace

std::vector<SavedSearchRow> SavedSearches::list(const Principal& user) { return store_.saved_searches(user.id); }

SavedSearchRow SavedSearches::own(const Principal& user, const std::string& id) {
  auto row = store_.saved_search(id);
  if (!row || row->user_id != user.id) throw_not_found("Saved search not found.");
  return *row;
}

SavedSearchRow SavedSearches::create(const Principal& user, const SavedInput& in) {
  if (split_words(in.question.text).empty()) throw_validation("q", "Type at least one word.");
  if (store_.count_saved(user.id) >= kMaxPerUser) throw_validation("name", "You have 50 saved searches already.");
  SavedSearchRow row;
  row.id = new_uuid();
  row.user_id = user.id;
  row.name = in.name;
  row.query = in.question.text;
  row.search_type = std::string(to_string(in.question.type));
  row.filters = filters_json(in.question);
  row.alert = in.alert;
  row.created_at = row.updated_at = row.checked_until = now_ms();  // what exists now is not news
  store_.insert_saved(row);  // a name the user has already: conflict (409)
  return row;
}

SavedSearchRow SavedSearches::update(const Principal& user, const std::string& id, const SavedPatch& in) {
  auto row = own(user, id);
  if (in.name) row.name = *in.name;
  if (in.alert) row.alert = *in.alert;
  row.updated_at = now_ms();
  store_.update_saved(row);
  return row;
}

void SavedSearches::remove(const Principal& user, const std::string& id) {
  own(user, id);
  store_.delete_saved(id);
}

int SavedSearches::run_alerts(std::int64_t now) {
  int sent = 0;
  const std::int64_t cutoff = now - kDayMs;
  for (auto& row : store_.due_alerts(cutoff, kAlertBatch)) {
    auto q = question_from(row.query, row.search_type, row.filters);
    q.filters.from = std::max(q.filters.from.value_or(0), row.checked_until);
    long long fresh = search_.count_matches(Viewer{row.user_id, row.owner_is_staff}, q);
    if (fresh > 0 && store_.claim_alert(row.id, now, cutoff)) {
      boost::json::object data{{"saved_search_id", row.id},
                               {"name", row.name},
                               {"query", row.query},
                               {"new_results", std::to_string(fresh)}};
      notify_quietly(notifier_, Notice{row.user_id, "saved_search_match", boost::json::serialize(data), "", "",
                                       "saved_search:" + row.id + ":" + std::to_string(now / kDayMs)});
      ++sent;
    } else {
      store_.set_checked(row.id, now);
    }
  }
  return sent;
}

}  // namespace wp::search

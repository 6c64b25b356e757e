#pragma once
// Saved searches (SavedSearch): a user's named searches, and their alert:
// when new matching content appears, one notification a day at most.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/notifier.hpp"
#include "core/principal.hpp"
#include "modules/search/service.hpp"
#include "modules/search/store.hpp"

namespace wp::search {

struct SavedInput {
  std::string name;
  Question question;
  bool alert = false;
};

struct SavedPatch {
  std::optional<std::string> name;
  std::optional<bool> alert;
};

class SavedSearches {
 public:
  SavedSearches(Store& store, SearchService& search) : store_(store), search_(search) {}
  void set_notifier(Notifier* notifier) { notifier_ = notifier; }

  std::vector<SavedSearchRow> list(const Principal& user);
  SavedSearchRow create(const Principal& user, const SavedInput& in);
  // Another user's saved search is not found (404).
  SavedSearchRow update(const Principal& user, const std::string& id, const SavedPatch& in);
  void remove(const Principal& user, const std::string& id);

  // One round of alerts: each due saved search whose query finds rows newer
  // than it last looked notifies its owner (saved_search_match). Returns the
  // notices sent.
  int run_alerts(std::int64_t now);

 private:
  SavedSearchRow own(const Principal& user, const std::string& id);

  Store& store_;
  SearchService& search_;
  Notifier* notifier_ = nullptr;
};

}  // namespace wp::search

#pragma once
// The moderation tables: reports, actions (append-only), standing,
// tombstones and flags. SQL lives in sql.hpp.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/moderation/model.hpp"

namespace wp::moderation {

class Store {
 public:
  explicit Store(db::Database& db);
  ~Store();

  // Throws Error(conflict) when the user has an open report on the object (unique index).
  void insert_report(const ReportRow& r);
  std::optional<ReportRow> report(const std::string& id);
  std::vector<ReportRow> reports(const ReportFilter& f, const Window& w);
  long long count_reports(const ReportFilter& f);
  std::vector<ReportRow> reports_of_reporter(const std::string& reporter_id, const Window& w);
  std::vector<ReportRow> open_reports_of(ContentType type, const std::string& object_id);
  void update_report(const ReportRow& r);
  // Closes the object's open reports and flags; returns how many reports.
  long long resolve_object(ContentType type, const std::string& object_id, ReportStatus status,
                           const std::string& staff_id, std::int64_t now);

  std::vector<QueueRow> queue(std::optional<ContentType> type, const Window& w);
  long long count_queue(std::optional<ContentType> type);
  std::vector<FlagRow> open_flags_of(ContentType type, const std::string& object_id);
  std::vector<FlagRow> flags(std::optional<FlagStatus> status, const Window& w);
  void insert_flag(const FlagRow& f);

  void insert_action(const ActionRow& a);
  std::optional<ActionRow> action(const std::string& id);
  std::vector<ActionRow> actions(const std::optional<std::string>& user_id, const Window& w);
  long long count_actions(const std::optional<std::string>& user_id);

  // The action row and its effect on the user's standing, in one transaction.
  void record_standing_action(const ActionRow& a);
  // Read for every chat message and post (ModerationService::screen): kept prepared.
  std::optional<StandingRow> standing(const std::string& user_id);
  std::vector<std::string> user_ids_in(StandingState state, std::int64_t now);

  std::optional<TombstoneRow> tombstone(ContentType type, const std::string& object_id);
  // The action and its tombstone together; false when one already stands (removed before).
  bool record_removal(const ActionRow& a, const TombstoneRow& t);
  // The lift and the tombstone's end together; false when none stood.
  bool record_restore(const ActionRow& a);

 private:
  struct Kept;
  db::Database& db_;
  std::unique_ptr<Kept> kept_;
};

}  // namespace wp::moderation

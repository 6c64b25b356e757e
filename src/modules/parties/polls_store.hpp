#pragma once
// Every read and write of the poll tables (the SQL text is in polls_sql.hpp).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/parties/polls_model.hpp"

namespace wp::parties {

class PollStore {
 public:
  explicit PollStore(db::Database& db);
  ~PollStore();

  // The poll and its options (ids and positions as given), in one transaction.
  void create(const PollRow& poll);
  // With its options, in order.
  std::optional<PollRow> poll(const std::string& id);
  // Newest first, with their options.
  std::vector<PollRow> polls_of(const std::string& party_id, int limit, int offset);
  long long count_polls_of(const std::string& party_id);
  std::vector<PollVoter> voters(const std::string& poll_id);
  // The option ids the user chose.
  std::vector<std::string> choices(const std::string& poll_id, const std::string& user_id);
  // Makes option_ids the user's choice (adding and removing vote rows and
  // counts in one transaction), unless the poll is closed or expired by `now`.
  VoteOutcome vote(const std::string& poll_id, const std::string& user_id, const std::vector<std::string>& option_ids,
                   std::int64_t now);
  // Closes an open poll; false when it was closed already (by someone else).
  bool close(const std::string& poll_id, std::int64_t now);
  // Closes the polls expired by `now` that nobody closed yet; the ones this call closed.
  // Every node runs it each second: its read is kept prepared.
  std::vector<ClosedPoll> close_expired(std::int64_t now, int limit);
  // Whether this caller may send the poll's live results now (none sent since `since`).
  bool claim_results(const std::string& poll_id, std::int64_t now, std::int64_t since);

 private:
  struct Kept;
  db::Database& db_;
  std::unique_ptr<Kept> kept_;
};

}  // namespace wp::parties

#include "modules/parties/polls_store.hpp"

#include <soci/soci.h>

#include <algorithm>

#include "core/ids.hpp"
#include "db/affected.hpp"
#include "db/columns.hpp"
#include "db/kept.hpp"
#include "db/soci_optional.hpp"
#include "modules/parties/polls_sql.hpp"

namespace wp::parties {

using soci::use;
namespace polls_sql = sql::polls;

namespace {

using db::changed;

void with_options(soci::session& s, PollRow& p) {
  p.options = db::select_rows(s, polls_sql::kOption, polls_sql::kOptionsOfPoll, db::uses(p.id));
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

struct PollStore::Kept {
  explicit Kept(db::Database& db) : due(db, polls_sql::kPollAndParty, polls_sql::kDuePolls) {}
  db::KeptSelect<polls_sql::PollAndParty, long long, int> due;  // now, limit
};

PollStore::PollStore(db::Database& db) : db_(db), kept_(std::make_unique<Kept>(db)) {}
PollStore::~PollStore() = default;

void PollStore::create(const PollRow& p) {
  int multiple = p.multiple_choice, anonymous = p.anonymous;
  long long created = p.created_at;
  std::optional<long long> expires = p.expires_at;
  db_.tx([&](soci::session& s) {
    s << polls_sql::kInsertPoll, use(p.id), use(p.party_id), use(p.creator_id), use(p.question), use(multiple),
        use(anonymous), use(created), use(expires);
    for (auto& o : p.options) s << polls_sql::kInsertOption, use(o.id), use(p.id), use(o.position), use(o.text);
  });
}

std::optional<PollRow> PollStore::poll(const std::string& id) {
  return db_.with([&](soci::session& s) {
    auto p = db::select_one(s, polls_sql::kPoll, polls_sql::kPollById, db::uses(id));
    if (p) with_options(s, *p);
    return p;
  });
}

std::vector<PollRow> PollStore::polls_of(const std::string& party_id, int limit, int offset) {
  return db_.with([&](soci::session& s) {
    auto rows = db::select_rows(s, polls_sql::kPoll, polls_sql::kPollsOfParty, db::uses(party_id, limit, offset));
    for (auto& p : rows) with_options(s, p);
    return rows;
  });
}

long long PollStore::count_polls_of(const std::string& party_id) {
  return db_.with([&](soci::session& s) { return db::fetch_count(s, polls_sql::kCountPollsOfParty, db::uses(party_id)); });
}

std::vector<PollVoter> PollStore::voters(const std::string& poll_id) {
  return db_.with([&](soci::session& s) { return db::select_rows(s, polls_sql::kVoter, polls_sql::kVotersOfPoll, db::uses(poll_id)); });
}

std::vector<std::string> PollStore::choices(const std::string& poll_id, const std::string& user_id) {
  return db_.with([&](soci::session& s) {
    std::vector<std::string> out;
    for (auto& o : db::select_rows(s, polls_sql::kOptionId, polls_sql::kVotesOfUser, db::uses(poll_id, user_id))) out.push_back(o.id);
    return out;
  });
}

VoteOutcome PollStore::vote(const std::string& poll_id, const std::string& user_id,
                            const std::vector<std::string>& option_ids, std::int64_t now) {
  long long t = now;
  return db_.tx([&](soci::session& s) {
    if (!changed((s.prepare << polls_sql::kLockOpenPoll, use(poll_id), use(t)))) return VoteOutcome::closed;
    std::vector<std::string> had;
    for (auto& o : db::select_rows(s, polls_sql::kOptionId, polls_sql::kVotesOfUser, db::uses(poll_id, user_id))) had.push_back(o.id);
    for (auto& old : had) {
      if (contains(option_ids, old)) continue;
      if (changed((s.prepare << polls_sql::kDeleteVote, use(old), use(user_id)))) s << polls_sql::kCountDown, use(old);
    }
    for (auto& chosen : option_ids) {
      if (contains(had, chosen)) continue;
      std::string id = new_uuid();
      s << polls_sql::kInsertVote, use(id), use(poll_id), use(chosen), use(user_id), use(t);
      s << polls_sql::kCountUp, use(chosen);
    }
    return VoteOutcome::taken;
  });
}

bool PollStore::close(const std::string& poll_id, std::int64_t now) {
  long long t = now;
  return db_.with([&](soci::session& s) { return changed((s.prepare << polls_sql::kClosePoll, use(t), use(t), use(poll_id))); });
}

std::vector<ClosedPoll> PollStore::close_expired(std::int64_t now, int limit) {
  long long t = now;
  return db_.with([&](soci::session& s) {
    std::vector<ClosedPoll> out;
    for (auto& due : kept_->due.rows(s, t, limit))
      if (changed((s.prepare << polls_sql::kClosePoll, use(t), use(t), use(due.id)))) out.push_back({due.id, due.party_id});
    return out;
  });
}

bool PollStore::claim_results(const std::string& poll_id, std::int64_t now, std::int64_t since) {
  long long t = now, before = since;
  return db_.with([&](soci::session& s) {
    return changed((s.prepare << polls_sql::kClaimResults, use(t), use(poll_id), use(before)));
  });
}

}  // namespace wp::parties

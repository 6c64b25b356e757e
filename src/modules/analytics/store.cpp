#include "modules/analytics/store.hpp"

#include <soci/soci.h>

#include <deque>
#include <optional>

#include "db/affected.hpp"
#include "db/soci_optional.hpp"
#include "modules/analytics/sql.hpp"

namespace wp::analytics {

using soci::use;

namespace {

constexpr std::size_t kRowsPerStatement = 100;

// The values of rows[from, from+n) bound in column order; kept alive in `keep`
// while the statement runs (SOCI holds their addresses).
struct Bound {
  std::deque<std::string> text;
  std::deque<long long> number;
  std::deque<std::optional<long long>> maybe_number;
};

void bind_row(soci::statement& st, const EventRow& r, Bound& keep) {
  st.exchange(use(r.id));
  st.exchange(use(r.event_type));
  st.exchange(use(r.event_name));
  st.exchange(use(r.event_data));
  st.exchange(use(keep.text.emplace_back(to_string(r.source))));
  st.exchange(use(r.session_id));
  st.exchange(use(r.user_id));
  st.exchange(use(r.video_id));
  st.exchange(use(r.party_id));
  st.exchange(use(keep.number.emplace_back(r.amount)));
  auto& client_ts = keep.maybe_number.emplace_back();
  if (r.client_timestamp) client_ts = *r.client_timestamp;
  st.exchange(use(client_ts));
  st.exchange(use(keep.number.emplace_back(r.timestamp)));
  st.exchange(use(r.ip_address));
  st.exchange(use(r.user_agent));
}

void insert_chunk(soci::session& s, const EventRow* rows, std::size_t n, bool pg) {
  Bound keep;
  soci::statement st(s);
  for (std::size_t i = 0; i < n; ++i) bind_row(st, rows[i], keep);
  st.alloc();
  st.prepare(sql::insert_events(n, pg));
  st.define_and_bind();
  st.execute(true);
}

}  // namespace

void Store::insert(const std::vector<EventRow>& rows) {
  if (rows.empty()) return;
  const bool pg = postgresql();
  db_.tx([&](soci::session& s) {
    for (std::size_t at = 0; at < rows.size(); at += kRowsPerStatement)
      insert_chunk(s, rows.data() + at, std::min(kRowsPerStatement, rows.size() - at), pg);
  });
}

std::vector<std::string> Store::partitions() {
  return db_.with([&](soci::session& s) {
    std::vector<std::string> out;
    soci::rowset<std::string> names = (s.prepare << sql::kPartitions);
    for (auto& n : names) out.push_back(n);
    return out;
  });
}

void Store::apply(const PartitionPlan& plan) {
  if (plan.create.empty() && plan.drop.empty()) return;
  db_.tx([&](soci::session& s) {
    s << sql::kPartitionLock;
    for (auto& m : plan.create)
      s << sql::create_partition(partition_name(m), month_start_ms(m), month_start_ms(next_month(m)));
    for (auto& name : plan.drop)
      if (month_of_partition(name)) s << sql::drop_partition(name);
  });
}

long long Store::delete_before(std::int64_t cutoff) {
  return db_.tx([&](soci::session& s) {
    long long t = cutoff;
    soci::statement st = (s.prepare << sql::kDeleteEventsBefore, use(t));
    return db::execute_counting(st);
  });
}

}  // namespace wp::analytics

#pragma once
// Every SQL text of the analytics module. Only store.cpp includes it.
#include <cstddef>
#include <string>

namespace wp::analytics::sql {

inline constexpr int kEventColumns = 14;
inline constexpr const char* kInsertEventsHead =
    "INSERT INTO analytics_events (id, event_type, event_name, event_data, source, session_id, user_id, video_id, "
    "party_id, amount, client_timestamp, timestamp, ip_address, user_agent) VALUES ";

// The multi-row INSERT of n events: one statement, n tuples of positional
// parameters (:p0, :p1, ...), event_data cast to JSONB on PostgreSQL.
inline std::string insert_events(std::size_t n, bool postgresql) {
  std::string out = kInsertEventsHead;
  int p = 0;
  auto param = [&p] { return ":p" + std::to_string(p++); };
  for (std::size_t row = 0; row < n; ++row) {
    out += row ? ",(" : "(";
    for (int c = 0; c < kEventColumns; ++c) {
      if (c) out += ',';
      out += c == 3 && postgresql ? "CAST(" + param() + " AS JSONB)" : param();
    }
    out += ')';
  }
  return out;
}

// PostgreSQL partitions (analytics_events_pYYYYMM).
inline constexpr const char* kPartitions =
    "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = "
    "i.inhparent WHERE p.relname = 'analytics_events' ORDER BY c.relname";
// One transaction-scoped lock, so two nodes never make or drop the same partition at once.
inline constexpr const char* kPartitionLock = "SELECT pg_advisory_xact_lock(7274728)";
// Names come from partition_name() (digits only), bounds are integers: nothing a client wrote.
inline std::string create_partition(const std::string& name, long long from, long long to) {
  return "CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF analytics_events FOR VALUES FROM (" +
         std::to_string(from) + ") TO (" + std::to_string(to) + ")";
}
inline std::string drop_partition(const std::string& name) { return "DROP TABLE IF EXISTS " + name; }

// SQLite: the same retention by rows.
inline constexpr const char* kDeleteEventsBefore = "DELETE FROM analytics_events WHERE timestamp < :t";


}  // namespace wp::analytics::sql

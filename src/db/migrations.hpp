#pragma once
// Schema migrations: migrations/<dialect>/NNNN_name.sql, compiled into the
// binary, applied in order inside one transaction and recorded in
// schema_migrations. Concurrent runners (several nodes starting at once)
// serialize on a lock: SQLite's write lock or a PostgreSQL advisory lock.
#include <string>
#include <vector>

#include "db/database.hpp"

namespace wp::db {

struct EmbeddedMigration {
  const char* dialect;
  const char* name;
  const char* sql;
};
const std::vector<EmbeddedMigration>& embedded_migrations();

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

std::vector<Migration> migrations_for(Dialect dialect);
int latest_version(Dialect dialect);
// Splits a script into statements at semicolons outside quotes and comments.
std::vector<std::string> split_sql(const std::string& script);

// Applies what is pending; returns the names applied (empty when current).
std::vector<std::string> apply_migrations(Database& db, const std::vector<Migration>& migrations);
std::vector<std::string> apply_migrations(Database& db);
// Highest applied version, 0 for a fresh database.
int current_version(Database& db);

}  // namespace wp::db

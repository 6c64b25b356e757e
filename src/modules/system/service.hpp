#pragma once
#include "db/database.hpp"

namespace wp::system {

struct Readiness {
  bool database_ok = false;
  int schema_version = 0;
  int latest_version = 0;
  bool ready() const { return database_ok && schema_version == latest_version; }
};

class SystemService {
 public:
  explicit SystemService(db::Database& db) : db_(db) {}
  Readiness readiness();

 private:
  db::Database& db_;
};

}  // namespace wp::system

#include "modules/system/service.hpp"

#include "core/error.hpp"
#include "db/migrations.hpp"

namespace wp::system {

Readiness SystemService::readiness() {
  Readiness r;
  r.latest_version = db::latest_version(db_.dialect());
  try {
    r.schema_version = db::current_version(db_);
    r.database_ok = true;
  } catch (const Error&) {
    r.database_ok = false;
  }
  return r;
}

}  // namespace wp::system

#pragma once
#include <soci/soci.h>

namespace wp::db {

// Runs a prepared statement and returns how many rows it changed.
inline long long execute_counting(soci::statement& st) {
  st.execute(true);
  return st.get_affected_rows();
}

// Whether a prepared statement changed any row.
inline bool changed(soci::statement st) { return execute_counting(st) > 0; }

}  // namespace wp::db

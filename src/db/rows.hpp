#pragma once
// Runs a query whose columns a Reader binds, and collects every row. A
// Reader has `void bind(soci::statement&)` (its into() targets, in column
// order) and `Row get() const` (the row from those targets).
#include <soci/soci.h>

#include <string>
#include <vector>

namespace wp::db {

template <class Reader, class BindParams>
auto fetch_rows(soci::session& s, const std::string& sql, BindParams bind_params) {
  Reader reader;
  std::vector<decltype(reader.get())> out;
  soci::statement st(s);
  reader.bind(st);
  bind_params(st);
  st.alloc();
  st.prepare(sql);
  st.define_and_bind();
  if (st.execute(true)) {
    do out.push_back(reader.get());
    while (st.fetch());
  }
  return out;
}

}  // namespace wp::db

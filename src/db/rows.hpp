#pragma once
// Runs a query whose columns a Reader binds, and collects every row. A
// Reader has `void bind(soci::statement&)` (its into() targets, in column
// order) and `Row get() const` (the row from those targets). New code maps
// rows with db::Columns (db/columns.hpp); these remain for the parties store
// until it moves over.
#include <soci/soci.h>

#include <optional>
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

// Runs a single-number query (COUNT(*) and the like).
template <class BindParams>
long long fetch_count(soci::session& s, const std::string& sql, BindParams bind_params) {
  long long n = 0;
  soci::statement st(s);
  st.exchange(soci::into(n));
  bind_params(st);
  st.alloc();
  st.prepare(sql);
  st.define_and_bind();
  st.execute(true);
  return n;
}

// The first row of a query, if any.
template <class Reader, class BindParams>
auto fetch_one(soci::session& s, const std::string& sql, BindParams bind_params)
    -> std::optional<decltype(Reader{}.get())> {
  auto rows = fetch_rows<Reader>(s, sql, bind_params);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

}  // namespace wp::db

#pragma once
// A row struct's columns, written once. A store declares a table
//
//   const db::Columns<VideoRow> kVideo{{"v.id", &VideoRow::id}, {"u.username", &VideoRow::uploader_username}};
//
// and select_rows / select_one build the SELECT list from it and fetch each
// column into its field, converting on the way (fetch_count reads one number;
// uses / NamedParams bind the parameters):
//   std::string, double          as they are
//   bool, int                    int (0 or 1 for bool; PostgreSQL's BOOLEAN reads the same)
//   std::int64_t                 long long
//   a vocabulary enum            its text (core/enum_names.hpp); unknown text is an internal error
//   std::optional of any above   NULL is nullopt; NULL into a non-optional field is an internal error
// Fields a table does not name keep their default.
#include <soci/soci.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/enum_names.hpp"
#include "core/error.hpp"

namespace wp::db {

// Where one column lands: a target of a type both drivers fill, and its indicator.
struct Cell {
  std::string text;
  int small = 0;
  long long big = 0;
  double real = 0;
  soci::indicator ind = soci::i_ok;
};

namespace detail {

template <class T>
inline constexpr bool is_optional = false;
template <class T>
inline constexpr bool is_optional<std::optional<T>> = true;

template <class T>
concept VocabularyEnum = std::is_enum_v<T> && requires { EnumNamesOf<T>::table; };

[[noreturn]] inline void bad_column(std::string_view column, const std::string& why) {
  throw Error(ErrorCode::internal, "column " + std::string(column) + ": " + why);
}

// Binds the cell target that carries a field of type T (T not optional).
template <class T>
void into_cell(soci::statement& st, Cell& c) {
  if constexpr (std::is_same_v<T, std::string> || VocabularyEnum<T>)
    st.exchange(soci::into(c.text, c.ind));
  else if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, int>)
    st.exchange(soci::into(c.small, c.ind));
  else if constexpr (std::is_same_v<T, std::int64_t>)
    st.exchange(soci::into(c.big, c.ind));
  else if constexpr (std::is_same_v<T, double>)
    st.exchange(soci::into(c.real, c.ind));
  else
    static_assert(sizeof(T) == 0, "db::Columns: unsupported field type");
}

// The value of a fetched cell as a field of type T (T not optional).
template <class T>
T from_cell(const Cell& c, std::string_view column) {
  if (c.ind == soci::i_null) bad_column(column, "NULL in a field that cannot be empty");
  if constexpr (std::is_same_v<T, std::string>) {
    return c.text;
  } else if constexpr (VocabularyEnum<T>) {
    if (auto e = parse_enum<T>(c.text)) return *e;
    bad_column(column, "unknown value '" + c.text + "'");
  } else if constexpr (std::is_same_v<T, bool>) {
    return c.small != 0;
  } else if constexpr (std::is_same_v<T, int>) {
    return c.small;
  } else if constexpr (std::is_same_v<T, std::int64_t>) {
    return static_cast<std::int64_t>(c.big);
  } else {
    return c.real;
  }
}

template <class T>
struct Plain {
  using type = T;
};
template <class T>
struct Plain<std::optional<T>> {
  using type = T;
};

}  // namespace detail

// One column: its SQL expression and the field it fills.
template <class Row>
class Column {
 public:
  template <class T>
  Column(std::string_view sql, T Row::*field)
      : sql_(sql),
        into_(&detail::into_cell<typename detail::Plain<T>::type>),
        store_([field, sql](const Cell& c, Row& row) {
          if constexpr (detail::is_optional<T>) {
            if (c.ind == soci::i_null) {
              (row.*field).reset();
              return;
            }
          }
          row.*field = detail::from_cell<typename detail::Plain<T>::type>(c, sql);
        }) {}

  std::string_view sql() const { return sql_; }
  void bind(soci::statement& st, Cell& c) const { into_(st, c); }
  void store(const Cell& c, Row& row) const { store_(c, row); }

 private:
  std::string_view sql_;
  void (*into_)(soci::statement&, Cell&);
  std::function<void(const Cell&, Row&)> store_;
};

// The columns of a row struct, in SELECT order.
template <class Row>
class Columns {
 public:
  Columns(std::initializer_list<Column<Row>> columns) : columns_(columns) {
    for (auto& c : columns_) {
      if (!list_.empty()) list_ += ", ";
      list_ += c.sql();
    }
  }

  // "v.id, u.username, ...": the SELECT list.
  const std::string& list() const { return list_; }
  std::size_t size() const { return columns_.size(); }

  // cells must outlive the statement and not move: one cell per column.
  void bind(soci::statement& st, std::vector<Cell>& cells) const {
    for (std::size_t i = 0; i < columns_.size(); ++i) columns_[i].bind(st, cells[i]);
  }
  Row read(const std::vector<Cell>& cells) const {
    Row row{};
    for (std::size_t i = 0; i < columns_.size(); ++i) columns_[i].store(cells[i], row);
    return row;
  }

 private:
  std::vector<Column<Row>> columns_;
  std::string list_;
};

// Runs "SELECT <columns> <rest>" (rest: FROM ... WHERE ... ORDER BY ...) and
// returns every row. bind_params(statement) binds the use() parameters.
template <class Row, class BindParams>
std::vector<Row> select_rows(soci::session& s, const Columns<Row>& columns, std::string_view rest,
                             BindParams bind_params) {
  std::vector<Cell> cells(columns.size());  // sized once: the statement keeps their addresses
  soci::statement st(s);
  columns.bind(st, cells);
  bind_params(st);
  st.alloc();
  // Run once and dropped: on PostgreSQL one round trip (no PREPARE, EXECUTE and DEALLOCATE of a
  // named statement), the server still plans it with the parameters apart from the text.
  st.prepare("SELECT " + columns.list() + " " + std::string(rest), soci::details::st_one_time_query);
  st.define_and_bind();
  std::vector<Row> out;
  if (st.execute(true)) {
    do out.push_back(columns.read(cells));
    while (st.fetch());
  }
  return out;
}

// The first row of select_rows, if any.
template <class Row, class BindParams>
std::optional<Row> select_one(soci::session& s, const Columns<Row>& columns, std::string_view rest,
                              BindParams bind_params) {
  auto rows = select_rows(s, columns, rest, bind_params);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

// Runs a single-number query (COUNT(*) and the like).
template <class BindParams>
long long fetch_count(soci::session& s, std::string_view sql, BindParams bind_params) {
  long long n = 0;
  soci::statement st(s);
  st.exchange(soci::into(n));
  bind_params(st);
  st.alloc();
  st.prepare(std::string(sql), soci::details::st_one_time_query);  // as in select_rows
  st.define_and_bind();
  st.execute(true);
  return n;
}

// Binds values to a statement's parameters in order: the bind_params of
// select_rows / select_one / fetch_count for fixed parameter lists.
// The values must outlive the call they are passed to.
template <class... Ts>
auto uses(const Ts&... values) {
  return [&](soci::statement& st) { (st.exchange(soci::use(values)), ...); };
}

// Text parameters of a statement whose text is built at run time (a list's
// filters), bound by name; the deque keeps each value where the statement saw it.
class NamedParams {
 public:
  void add(std::string name, std::string value) { named_.emplace_back(std::move(name), std::move(value)); }
  void bind(soci::statement& st) {
    for (auto& [name, value] : named_) st.exchange(soci::use(value, name));
  }

 private:
  std::deque<std::pair<std::string, std::string>> named_;
};

}  // namespace wp::db

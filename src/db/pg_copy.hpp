#pragma once
// COPY ... FROM STDIN on a PostgreSQL session: any number of rows in one
// round trip and no statement to parse or plan, where a multi-row INSERT of
// 100 rows is 1,400 parameters parsed and planned anew each time (the bulk
// ingestion of analytics events spent most of PostgreSQL's time there).
//
//   db::CopyText rows;
//   rows.text(e.id).null().number(e.amount).end_row();
//   db::copy_in(s, "COPY t (id, note, amount) FROM STDIN", rows.data());
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace soci {
class session;
}

namespace wp::db {

// Rows in COPY's text format: fields apart by tabs, rows ended by a newline,
// \N for NULL, and a backslash escape for the backslash, tab, newline and
// carriage return inside a value.
class CopyText {
 public:
  CopyText& text(std::string_view v);
  CopyText& null();
  CopyText& number(std::int64_t v);
  CopyText& maybe_text(const std::optional<std::string>& v) { return v ? text(*v) : null(); }
  CopyText& maybe_number(const std::optional<std::int64_t>& v) { return v ? number(*v) : null(); }
  CopyText& end_row();
  const std::string& data() const { return out_; }

 private:
  void separate();
  std::string out_;
  bool row_started_ = false;
};

// Runs copy_sql (a COPY ... FROM STDIN in text format) on s, a PostgreSQL
// session, with data as its input. A failure throws postgresql_soci_error
// with the server's SQLSTATE, so that Database maps it as any other.
void copy_in(soci::session& s, const std::string& copy_sql, std::string_view data);

}  // namespace wp::db

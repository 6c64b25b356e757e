#include "db/pg_copy.hpp"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace wp::db {

void CopyText::separate() {
  if (row_started_) out_ += '\t';
  row_started_ = true;
}

CopyText& CopyText::text(std::string_view v) {
  separate();
  for (char c : v) {
    switch (c) {
      case '\\': out_ += "\\\\"; break;
      case '\t': out_ += "\\t"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      default: out_ += c;
    }
  }
  return *this;
}

CopyText& CopyText::null() {
  separate();
  out_ += "\\N";
  return *this;
}

CopyText& CopyText::number(std::int64_t v) {
  separate();
  out_ += std::to_string(v);
  return *this;
}

CopyText& CopyText::end_row() {
  out_ += '\n';
  row_started_ = false;
  return *this;
}

namespace {

using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

[[noreturn]] void fail(PGconn* c, const PGresult* r, const char* step) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  // No SQLSTATE: the connection itself failed (class 08, which Database treats as a lost connection).
  if (!state || std::char_traits<char>::length(state) != 5) state = PQstatus(c) == CONNECTION_OK ? "XX000" : "08006";
  std::string message = r ? PQresultErrorMessage(r) : "";
  if (message.empty()) message = PQerrorMessage(c);
  throw soci::postgresql_soci_error(std::string(step) + ": " + message, state);
}

}  // namespace

void copy_in(soci::session& s, const std::string& copy_sql, std::string_view data) {
  // By name: the backend's typeinfo is not exported by libsoci_postgresql, so no dynamic_cast.
  if (s.get_backend_name() != "postgresql") throw std::logic_error("COPY needs a PostgreSQL session");
  PGconn* c = static_cast<soci::postgresql_session_backend*>(s.get_backend())->conn_;
  Result start(PQexec(c, copy_sql.c_str()), &PQclear);
  if (PQresultStatus(start.get()) != PGRES_COPY_IN) fail(c, start.get(), "COPY");
  constexpr std::size_t kChunk = 1 << 20;  // PQputCopyData takes an int length
  for (std::size_t at = 0; at < data.size(); at += kChunk) {
    auto n = static_cast<int>(std::min(kChunk, data.size() - at));
    if (PQputCopyData(c, data.data() + at, n) != 1) fail(c, nullptr, "COPY data");
  }
  if (PQputCopyEnd(c, nullptr) != 1) fail(c, nullptr, "COPY end");
  // The COPY's own result, then a null result ends it. Every result is read, so that the
  // session is ready for its next statement even after a failure.
  Result done(PQgetResult(c), &PQclear);
  while (Result extra{PQgetResult(c), &PQclear}) {
  }
  if (PQresultStatus(done.get()) != PGRES_COMMAND_OK) fail(c, done.get(), "COPY");
}

}  // namespace wp::db

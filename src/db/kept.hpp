#pragma once
// Statements kept prepared on each pooled session, for the few that run on
// every request (the session lookup of authentication, a message's send, a
// party socket's join). On PostgreSQL each is a named statement, parsed once
// per session and then executed by name: one round trip, no parse, and a
// cached plan after a few runs. On SQLite the compiled statement is kept
// (parsing is most of a short query's cost there); each run reads to the end,
// and a statement left stepped would hold its connection's read snapshot, so
// one that fails or throws midway is dropped.
//
//   const db::KeptSelect<SessionPrincipal, std::string> principal_{db_, sql::kPrincipal, sql::kPrincipalOf};
//   db_.with([&](soci::session& s) { return principal_.one(s, session_id); });
#include <soci/soci.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "db/columns.hpp"
#include "db/database.hpp"

namespace wp::db {

// A statement kept on one session together with the variables it is bound
// to: Vars holds them, bind(statement, vars) binds its into and use once.
template <class Vars>
struct KeptStatement : Database::Kept {
  explicit KeptStatement(soci::session& s) : st(s) {}
  soci::statement st;
  Vars vars;
};

// The KeptStatement `key` names on s, prepared from sql the first time.
template <class Vars, class Bind>
KeptStatement<Vars>& kept_statement(Database& db, soci::session& s, std::uint64_t key, const std::string& sql,
                                    Bind bind) {
  return static_cast<KeptStatement<Vars>&>(db.kept(s, key, [&](soci::session& session) {
    auto k = std::make_unique<KeptStatement<Vars>>(session);
    bind(k->st, k->vars);
    k->st.alloc();
    k->st.prepare(sql, soci::details::st_repeatable_query);
    k->st.define_and_bind();
    return k;
  }));
}

// Runs the kept statement (execute(true): the first row, if any, is in its
// vars); true when there is a row. A failed one is dropped, to be prepared
// again, so that no statement is reused in a state SOCI left it in.
template <class Vars>
bool run_kept(Database& db, soci::session& s, std::uint64_t key, KeptStatement<Vars>& k) {
  try {
    return k.st.execute(true);
  } catch (const soci::soci_error&) {
    db.forget_kept(s, key);
    throw;
  }
}

// select_rows with its parameters as values, kept prepared.
template <class Row, class... Params>
class KeptSelect {
 public:
  KeptSelect(Database& db, const Columns<Row>& columns, std::string_view rest)
      : db_(db), columns_(columns), rest_(rest), sql_("SELECT " + columns.list() + " " + rest_) {}

  std::vector<Row> rows(soci::session& s, const Params&... params) const {
    auto& k = kept_statement<Vars>(db_, s, key_, sql_, [this](soci::statement& st, Vars& v) {
      v.cells.resize(columns_.size());  // sized once: the statement keeps their addresses
      columns_.bind(st, v.cells);
      std::apply([&](auto&... p) { (st.exchange(soci::use(p)), ...); }, v.params);
    });
    k.vars.params = std::tuple<Params...>(params...);
    std::vector<Row> out;
    try {
      if (k.st.execute(true)) {
        do out.push_back(columns_.read(k.vars.cells));
        while (k.st.fetch());
      }
    } catch (...) {
      // Whatever stopped the read (the database, or a row that did not convert): the statement
      // goes, to be prepared again, so that none is reused or left stepped. Rethrown as it came.
      db_.forget_kept(s, key_);
      throw;
    }
    return out;
  }

  std::optional<Row> one(soci::session& s, const Params&... params) const {
    auto rows = this->rows(s, params...);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  }

 private:
  struct Vars {
    std::vector<Cell> cells;
    std::tuple<Params...> params;
  };

  Database& db_;
  const Columns<Row>& columns_;
  std::string rest_;
  std::string sql_;
  std::uint64_t key_ = Database::new_kept_key();
};

// An INSERT, UPDATE or DELETE kept prepared on each pooled session, for
// the writes that run on every join or post. Parameters are bound in the
// order given; run() answers how many rows it changed.
//
//   const db::KeptWrite<std::string, long long> touch_{db_, "UPDATE t SET at = :t WHERE id = :id"};
template <class... Params>
class KeptWrite {
 public:
  KeptWrite(Database& db, std::string sql) : db_(db), sql_(std::move(sql)) {}

  long long run(soci::session& s, const Params&... params) const {
    auto& k = kept_statement<std::tuple<Params...>>(db_, s, key_, sql_, [](soci::statement& st, auto& vars) {
      std::apply([&](auto&... p) { (st.exchange(soci::use(p)), ...); }, vars);
    });
    k.vars = std::tuple<Params...>(params...);
    run_kept(db_, s, key_, k);
    return k.st.get_affected_rows();
  }

 private:
  Database& db_;
  std::string sql_;
  std::uint64_t key_ = Database::new_kept_key();
};

}  // namespace wp::db

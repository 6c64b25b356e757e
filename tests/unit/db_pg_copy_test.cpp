// db::CopyText and db::copy_in (db/pg_copy.hpp): COPY's text format, and a
// COPY FROM STDIN on PostgreSQL when WP_PG_URL names one (a TEMP table:
// nothing is left behind; one pooled session, so that the session a failed
// COPY leaves is the one the next statement gets).
#include <gtest/gtest.h>

#include <soci/soci.h>

#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/config.hpp"
#include "db/database.hpp"
#include "db/pg_copy.hpp"

namespace {

TEST(CopyText, EscapesTheFormatsOwnCharactersAndMarksNull) {
  wp::db::CopyText t;
  t.text("a\tb\\c\nd\re").null().number(-42).end_row();
  t.maybe_text(std::nullopt).maybe_text(std::string("x")).maybe_number(std::nullopt).maybe_number(7).end_row();
  t.text("").end_row();
  EXPECT_EQ(t.data(), "a\\tb\\\\c\\nd\\re\t\\N\t-42\n\\N\tx\t\\N\t7\n\n");
}

TEST(CopyText, KeepsUtf8AndAQuoteAsTheyAre) {
  wp::db::CopyText t;
  t.text("caf\xC3\xA9 \"q\" 'x' \xE2\x9F\xA6").end_row();
  EXPECT_EQ(t.data(), "caf\xC3\xA9 \"q\" 'x' \xE2\x9F\xA6\n");
}

class CopyIn : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* pg = std::getenv("WP_PG_URL");
    if (!pg || !*pg) GTEST_SKIP() << "WP_PG_URL not set";
    wp::Config config;
    config.database_url = pg;
    config.db_pool_size = 1;
    db_.emplace(config);
    db_->with([](soci::session& s) {
      s << "CREATE TEMP TABLE copied (name TEXT NOT NULL, data JSONB NOT NULL, n BIGINT, note TEXT)";
    });
  }
  std::optional<wp::db::Database> db_;
};

TEST_F(CopyIn, RowsArriveExactlyAsWritten) {
  const std::string tricky = "tab\there, back\\slash, new\nline, cr\r, \"quotes\", caf\xC3\xA9";
  wp::db::CopyText t;
  for (int i = 0; i < 1000; ++i)
    t.text("row" + std::to_string(i)).text(R"({"i": )" + std::to_string(i) + "}").number(i).text(tricky).end_row();
  t.text("last").text(R"({"s": "a\tb"})").null().null().end_row();
  db_->tx([&](soci::session& s) { wp::db::copy_in(s, "COPY copied (name, data, n, note) FROM STDIN", t.data()); });

  db_->with([&](soci::session& s) {
    long long count = 0, sum = 0;
    s << "SELECT COUNT(*), SUM(n) FROM copied", soci::into(count), soci::into(sum);
    EXPECT_EQ(count, 1001);
    EXPECT_EQ(sum, 999 * 1000 / 2);
    std::string note, data;
    s << "SELECT note, data::text FROM copied WHERE name = 'row7'", soci::into(note), soci::into(data);
    EXPECT_EQ(note, tricky);
    EXPECT_EQ(data, R"({"i": 7})");
    soci::indicator n_ind = soci::i_ok, note_ind = soci::i_ok;
    long long n = 0;
    s << "SELECT n, note, data->>'s' FROM copied WHERE name = 'last'", soci::into(n, n_ind), soci::into(note, note_ind),
        soci::into(data);
    EXPECT_EQ(n_ind, soci::i_null);
    EXPECT_EQ(note_ind, soci::i_null);
    EXPECT_EQ(data, "a\tb");
  });
}

TEST_F(CopyIn, ABadRowFailsTheWholeCopyAndTheSessionServesTheNextStatement) {
  wp::db::CopyText t;
  t.text("good").text("{}").number(1).null().end_row();
  t.text("bad").text("{not json").number(2).null().end_row();
  EXPECT_THROW(
      db_->tx([&](soci::session& s) { wp::db::copy_in(s, "COPY copied (name, data, n, note) FROM STDIN", t.data()); }),
      std::runtime_error);
  long long count = -1;
  db_->with([&](soci::session& s) { s << "SELECT COUNT(*) FROM copied", soci::into(count); });
  EXPECT_EQ(count, 0);  // the good row went with the bad one
}

TEST_F(CopyIn, ACopyThatCannotStartIsAnError) {
  EXPECT_THROW(db_->with([](soci::session& s) { wp::db::copy_in(s, "COPY no_such_table FROM STDIN", "x\n"); }),
               std::runtime_error);
  long long one = 0;
  db_->with([&](soci::session& s) { s << "SELECT 1", soci::into(one); });
  EXPECT_EQ(one, 1);
}

}  // namespace

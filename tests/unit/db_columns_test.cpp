// db::Columns on a real database: a temporary SQLite file, and PostgreSQL
// too when WP_PG_URL names one (a TEMP table, so nothing is left behind).
#include <gtest/gtest.h>

#include <soci/soci.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/enum_names.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "db/columns.hpp"
#include "db/database.hpp"

namespace columns_test {
enum class Colour { red, dark_blue };
}
WP_ENUM_NAMES(columns_test::Colour, {columns_test::Colour::red, "red"}, {columns_test::Colour::dark_blue, "dark-blue"});

namespace columns_test {
namespace {

using wp::db::Columns;

struct Sample {
  std::string name;
  bool flag = false;
  int small = 0;
  std::int64_t big = 0;
  double real = 0;
  Colour colour = Colour::red;
  std::optional<std::string> opt_text;
  std::optional<std::int64_t> opt_big;
  std::optional<bool> opt_flag;
  std::optional<double> opt_real;
  std::optional<Colour> opt_colour;
  std::string not_selected = "default";
};

const Columns<Sample> kSample{
    {"name", &Sample::name},         {"flag", &Sample::flag},         {"small", &Sample::small},
    {"big", &Sample::big},           {"real_v", &Sample::real},       {"colour", &Sample::colour},
    {"opt_text", &Sample::opt_text}, {"opt_big", &Sample::opt_big},   {"opt_flag", &Sample::opt_flag},
    {"opt_real", &Sample::opt_real}, {"opt_colour", &Sample::opt_colour},
};

constexpr const char* kCreate =
    "CREATE TEMP TABLE sample (name TEXT NOT NULL, flag BOOLEAN NOT NULL, small INTEGER NOT NULL, big BIGINT NOT "
    "NULL, real_v DOUBLE PRECISION NOT NULL, colour TEXT NOT NULL, opt_text TEXT, opt_big BIGINT, opt_flag BOOLEAN, "
    "opt_real DOUBLE PRECISION, opt_colour TEXT, pos INTEGER NOT NULL)";

// Runs fn on one session of each database at hand, with the sample table created.
void on_each_database(const std::function<void(soci::session&)>& fn) {
  std::vector<wp::Config> configs(1);
  configs[0].data_dir = (std::filesystem::temp_directory_path() / ("wp_cols_" + wp::new_uuid())).string();
  if (const char* pg = std::getenv("WP_PG_URL"); pg && *pg) {
    configs.emplace_back().database_url = pg;
  }
  for (auto& config : configs) {
    SCOPED_TRACE(config.database_url.empty() ? "sqlite" : "postgresql");
    {
      wp::db::Database db(config);
      db.with([&](soci::session& s) {
        s << kCreate;
        fn(s);
        s << "DROP TABLE sample";
      });
    }
    if (config.database_url.empty()) std::filesystem::remove_all(config.data_dir);
  }
}

std::vector<Sample> all(soci::session& s) {
  return wp::db::select_rows(s, kSample, "FROM sample ORDER BY pos", [](soci::statement&) {});
}

TEST(DbColumns, SelectListIsTheTableInOrder) {
  EXPECT_EQ(kSample.list(),
            "name, flag, small, big, real_v, colour, opt_text, opt_big, opt_flag, opt_real, opt_colour");
  EXPECT_EQ(kSample.size(), 11u);
}

TEST(DbColumns, EveryTypeRoundTrips) {
  on_each_database([](soci::session& s) {
    s << "INSERT INTO sample VALUES ('ann', TRUE, -7, 1099511627777, 2.5, 'dark-blue', 'x', -1099511627777, FALSE, "
         "0.25, 'red', 1)";
    s << "INSERT INTO sample VALUES ('bob', FALSE, 0, 0, 0, 'red', '', 0, TRUE, -1.5, 'dark-blue', 2)";
    auto rows = all(s);
    ASSERT_EQ(rows.size(), 2u);
    auto& a = rows[0];
    EXPECT_EQ(a.name, "ann");
    EXPECT_TRUE(a.flag);
    EXPECT_EQ(a.small, -7);
    EXPECT_EQ(a.big, 1099511627777);
    EXPECT_DOUBLE_EQ(a.real, 2.5);
    EXPECT_EQ(a.colour, Colour::dark_blue);
    EXPECT_EQ(a.opt_text, "x");
    EXPECT_EQ(a.opt_big, -1099511627777);
    EXPECT_EQ(a.opt_flag, false);
    EXPECT_EQ(a.opt_real, 0.25);
    EXPECT_EQ(a.opt_colour, Colour::red);
    EXPECT_EQ(a.not_selected, "default");
    auto& b = rows[1];
    EXPECT_EQ(b.name, "bob");
    EXPECT_FALSE(b.flag);
    EXPECT_EQ(b.colour, Colour::red);
    EXPECT_EQ(b.opt_text, "");  // empty text is not NULL
    EXPECT_EQ(b.opt_big, 0);
    EXPECT_EQ(b.opt_flag, true);
    EXPECT_EQ(b.opt_colour, Colour::dark_blue);
  });
}

TEST(DbColumns, NullsBecomeEmptyOptionals) {
  on_each_database([](soci::session& s) {
    // The first row fills every optional, so the cells are not empty when the second row's NULLs arrive.
    s << "INSERT INTO sample VALUES ('a', TRUE, 1, 1, 1, 'red', 'x', 5, TRUE, 1.5, 'red', 1)";
    s << "INSERT INTO sample VALUES ('b', TRUE, 1, 1, 1, 'red', NULL, NULL, NULL, NULL, NULL, 2)";
    auto rows = all(s);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].opt_text, std::nullopt);
    EXPECT_EQ(rows[1].opt_big, std::nullopt);
    EXPECT_EQ(rows[1].opt_flag, std::nullopt);
    EXPECT_EQ(rows[1].opt_real, std::nullopt);
    EXPECT_EQ(rows[1].opt_colour, std::nullopt);
  });
}

TEST(DbColumns, SelectOneBindsItsParameter) {
  on_each_database([](soci::session& s) {
    s << "INSERT INTO sample VALUES ('a', TRUE, 1, 1, 1, 'red', NULL, NULL, NULL, NULL, NULL, 1)";
    s << "INSERT INTO sample VALUES ('b', FALSE, 2, 2, 2, 'red', NULL, NULL, NULL, NULL, NULL, 2)";
    std::string wanted = "b";
    auto b = wp::db::select_one(s, kSample, "FROM sample WHERE name = :n", wp::db::uses(wanted));
    ASSERT_TRUE(b);
    EXPECT_EQ(b->small, 2);
    std::string missing = "zed";
    EXPECT_FALSE(wp::db::select_one(s, kSample, "FROM sample WHERE name = :n", wp::db::uses(missing)));
  });
}

TEST(DbColumns, FetchCountWithParametersNamedAtRunTime) {
  on_each_database([](soci::session& s) {
    s << "INSERT INTO sample VALUES ('a', TRUE, 1, 1, 1, 'red', NULL, NULL, NULL, NULL, NULL, 1)";
    s << "INSERT INTO sample VALUES ('b', FALSE, 2, 2, 2, 'red', NULL, NULL, NULL, NULL, NULL, 2)";
    s << "INSERT INTO sample VALUES ('c', FALSE, 2, 3, 3, 'dark-blue', NULL, NULL, NULL, NULL, NULL, 3)";
    wp::db::NamedParams p;
    std::string where = " WHERE 1=1";
    for (auto [column, value] : {std::pair{"colour", "red"}, std::pair{"name", "b"}}) {
      where += std::string(" AND ") + column + " = :" + column;
      p.add(column, value);
    }
    EXPECT_EQ(wp::db::fetch_count(s, "SELECT COUNT(*) FROM sample" + where, [&](soci::statement& st) { p.bind(st); }),
              1);
    int small = 2;
    EXPECT_EQ(wp::db::fetch_count(s, "SELECT COUNT(*) FROM sample WHERE small = :s", wp::db::uses(small)), 2);
  });
}

void expect_internal(const std::function<void()>& fn, const std::string& needle) {
  try {
    fn();
    ADD_FAILURE() << "no error";
  } catch (const wp::Error& e) {
    EXPECT_EQ(e.code(), wp::ErrorCode::internal);
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(DbColumns, UnknownEnumTextIsAnInternalError) {
  on_each_database([](soci::session& s) {
    s << "INSERT INTO sample VALUES ('a', TRUE, 1, 1, 1, 'purple', NULL, NULL, NULL, NULL, NULL, 1)";
    expect_internal([&] { all(s); }, "column colour: unknown value 'purple'");
    s << "UPDATE sample SET colour = 'red', opt_colour = 'Red'";
    expect_internal([&] { all(s); }, "column opt_colour: unknown value 'Red'");
  });
}

TEST(DbColumns, NullIntoARequiredFieldIsAnInternalError) {
  on_each_database([](soci::session& s) {
    s << "INSERT INTO sample VALUES ('a', TRUE, 1, 1, 1, 'red', NULL, NULL, NULL, NULL, NULL, 1)";
    const Columns<Sample> required_text{{"opt_text", &Sample::name}};
    expect_internal([&] { wp::db::select_rows(s, required_text, "FROM sample", [](soci::statement&) {}); },
                    "column opt_text: NULL");
  });
}

}  // namespace
}  // namespace columns_test

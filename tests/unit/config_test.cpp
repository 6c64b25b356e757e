#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>

#include "core/config.hpp"
#include "core/config_reload.hpp"

namespace {

struct FakeEnv {
  std::map<std::string, std::string> vars;
  std::function<const char*(const char*)> fn() {
    return [this](const char* n) -> const char* {
      auto it = vars.find(n);
      return it == vars.end() ? nullptr : it->second.c_str();
    };
  }
};

std::string write_toml(const std::string& text) {
  char path[] = "/tmp/wp_config_XXXXXX";
  int fd = mkstemp(path);
  close(fd);
  std::ofstream(path) << text;
  return path;
}

TEST(Config, DefaultsMatchTheDesign) {
  FakeEnv env;
  auto c = wp::load_config({.getenv = env.fn()});
  EXPECT_EQ(c.host, "127.0.0.1");
  EXPECT_EQ(c.port, 8000);
  EXPECT_EQ(c.data_dir, "./data");
  EXPECT_EQ(c.sqlite_path(), "./data/watchparty.db");
}

TEST(Config, FlagsBeatEnvironmentBeatsFile) {
  auto file = write_toml("port = 7000\nhost = \"0.0.0.0\"\nlog_level = \"debug\"\n");
  FakeEnv env;
  env.vars["WATCHPARTY_PORT"] = "7100";
  env.vars["WATCHPARTY_HOST"] = "10.0.0.1";
  auto c = wp::load_config({.file = file, .getenv = env.fn(), .flags = {{"port", "7200"}}});
  EXPECT_EQ(c.port, 7200);          // flag
  EXPECT_EQ(c.host, "10.0.0.1");    // env over file
  EXPECT_EQ(c.log_level, "debug");  // file over default
  std::remove(file.c_str());
}

TEST(Config, BadValueNamesTheSettingAndItsSource) {
  FakeEnv env;
  env.vars["WATCHPARTY_PORT"] = "eighty";
  try {
    wp::load_config({.getenv = env.fn()});
    FAIL() << "expected ConfigError";
  } catch (const wp::ConfigError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("'port'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("WATCHPARTY_PORT"), std::string::npos) << msg;
  }
}

TEST(Config, OutOfRangeAndEnumsAreRefused) {
  FakeEnv env;
  EXPECT_THROW(wp::load_config({.getenv = env.fn(), .flags = {{"port", "70000"}}}), wp::ConfigError);
  EXPECT_THROW(wp::load_config({.getenv = env.fn(), .flags = {{"log_format", "xml"}}}), wp::ConfigError);
  EXPECT_THROW(wp::load_config({.getenv = env.fn(), .flags = {{"database_url", "mysql://x"}}}), wp::ConfigError);
  EXPECT_THROW(wp::load_config({.getenv = env.fn(), .flags = {{"migrate_on_start", "perhaps"}}}), wp::ConfigError);
}

TEST(Config, UnknownFileKeyAndSyntaxErrorAreRefused) {
  FakeEnv env;
  auto unknown = write_toml("prot = 1\n");
  EXPECT_THROW(wp::load_config({.file = unknown, .getenv = env.fn()}), wp::ConfigError);
  auto broken = write_toml("port = = 1\n");
  EXPECT_THROW(wp::load_config({.file = broken, .getenv = env.fn()}), wp::ConfigError);
  std::remove(unknown.c_str());
  std::remove(broken.c_str());
}

// Found by the toml_config fuzz target: toml++ 3.3.0 reaches parse_key()
// with a character no key starts with after a table header's '[' (a debug
// assertion there; marzer/tomlplusplus#301). Debian's library runs without
// it and answers a parse error, which must stay a ConfigError, not an abort.
TEST(Config, ATableHeaderWithABadFirstCharacterIsRefused) {
  FakeEnv env;
  for (const char* text : {"[$table]\nx = 1\n", "[[[1]]]\n", "[[=\n"}) {
    auto path = write_toml(text);
    EXPECT_THROW(wp::load_config({.file = path, .getenv = env.fn()}), wp::ConfigError) << text;
    std::remove(path.c_str());
  }
}

// Found by the toml_config fuzz target: where toml++ 3.3.0 looks for
// whitespace, some non-ASCII characters reach the TOML_UNREACHABLE default of
// is_non_ascii_horizontal_whitespace() (marzer/tomlplusplus#295, fixed
// upstream by returning false). Debian's compiled library answers a parse
// error for them; this pins that, since the server links that library.
TEST(Config, NonAsciiCharactersWhereWhitespaceMayBeAreRefused) {
  FakeEnv env;
  for (const char* text : {"[\xef\xbb\x84(t\n", "[\xc3\xa9]\n", "x = 1\xc2\xa7\n", "[\xcc\xaa\n",
                           "x = 1 \xe3\x80\x80\n", "pertPPP\xd0\x94tPP", "s = \"\"\"\\\n\xc2\xa7\"\"\"\n"}) {
    auto path = write_toml(text);
    EXPECT_THROW(wp::load_config({.file = path, .getenv = env.fn()}), wp::ConfigError) << text;
    std::remove(path.c_str());
  }
}

TEST(Config, ListsAndBooleansParse) {
  FakeEnv env;
  env.vars["WATCHPARTY_CORS_ORIGINS"] = "http://a.test, http://b.test";
  env.vars["WATCHPARTY_MIGRATE_ON_START"] = "off";
  auto c = wp::load_config({.getenv = env.fn()});
  ASSERT_EQ(c.cors_origins.size(), 2u);
  EXPECT_EQ(c.cors_origins[1], "http://b.test");
  EXPECT_FALSE(c.migrate_on_start);
  auto file = write_toml("cors_origins = [\"http://c.test\"]\naccess_log = false\n");
  auto d = wp::load_config({.file = file, .getenv = FakeEnv{}.fn()});
  ASSERT_EQ(d.cors_origins.size(), 1u);
  EXPECT_FALSE(d.access_log);
  std::remove(file.c_str());
}

TEST(Config, NamesAreDerivedFromOneTable) {
  for (auto& s : wp::settings()) {
    EXPECT_EQ(wp::env_name(s).rfind("WATCHPARTY_", 0), 0u);
    EXPECT_EQ(wp::flag_name(s).find('_'), std::string::npos) << wp::flag_name(s);
  }
}

TEST(Config, AReloadNamesWhatChangedSplitByWhatAppliesLive) {
  FakeEnv env;
  auto running = wp::load_config({.getenv = env.fn()});
  auto file = write_toml("log_level = \"debug\"\nport = 7300\njwt_secret = \"a-new-secret-of-enough-length-123456\"\n");
  auto loaded = wp::load_config({.file = file, .getenv = env.fn()});
  std::remove(file.c_str());
  auto change = wp::diff_settings(running, loaded, {"log_level"});
  EXPECT_EQ(change.applied, std::vector<std::string>{"log_level"});
  EXPECT_EQ(change.needs_restart, (std::vector<std::string>{"port", "jwt_secret"}))
      << "by name, in the settings' order";
  EXPECT_TRUE(wp::diff_settings(running, running, {"log_level"}).empty());
}

}  // namespace

// The app's config as a pure function: semantic versions (1.10.0 > 1.9.9),
// force_update, flags by plan and by a rollout stable per user.
#include <gtest/gtest.h>

#include <stdexcept>

#include "modules/mobile/app_config.hpp"
#include "modules/mobile/semver.hpp"

namespace {

using namespace wp::mobile;

int cmp(const char* a, const char* b) { return compare_semver(*parse_semver(a), *parse_semver(b)); }

TEST(MobileSemver, ComparesPartsAsNumbers) {
  EXPECT_GT(cmp("1.10.0", "1.9.9"), 0);
  EXPECT_LT(cmp("1.9.9", "1.10.0"), 0);
  EXPECT_EQ(cmp("1.2", "1.2.0"), 0);
  EXPECT_EQ(cmp("v2.0.0", "2.0.0"), 0);
  EXPECT_LT(cmp("2.0.0-beta.1", "2.0.0"), 0);
  EXPECT_EQ(cmp("2.0.0+build7", "2.0.0"), 0);
  EXPECT_FALSE(parse_semver("1..2"));
  EXPECT_FALSE(parse_semver("one"));
  EXPECT_FALSE(parse_semver(""));
  EXPECT_FALSE(parse_semver("1.2.3-"));
}

AppConfigSettings settings() {
  AppConfigSettings s;
  s.min_versions = parse_platform_versions({"ios=1.10.0", "android=2.0.0"});
  s.latest_versions = parse_platform_versions({"ios=1.12.0"});
  s.flags = parse_flags({"chat", "new_player:30", "hd_offline:100:premium|pro", "off:0"});
  s.turn_urls = {"turn:turn.example.com:3478"};
  return s;
}

TEST(MobileAppConfig, ForceUpdateComparesSemanticVersions) {
  auto s = settings();
  auto cfg = [&](const char* version) {
    return app_config_json(s, {.platform = Platform::ios, .app_version = version, .user_key = "u"});
  };
  EXPECT_TRUE(cfg("1.9.9").at("force_update").as_bool());
  EXPECT_FALSE(cfg("1.10.0").at("force_update").as_bool());
  EXPECT_TRUE(cfg("1.10.0").at("update_available").as_bool());
  EXPECT_FALSE(cfg("1.12.0").at("update_available").as_bool());
  EXPECT_FALSE(cfg("garbage").at("force_update").as_bool());
  EXPECT_EQ(cfg("1.0").at("versions").at("ios").at("min").as_string(), "1.10.0");
  // The ICE hint has no credentials.
  auto ice = cfg("1.10.0").at("ice").as_object();
  EXPECT_EQ(ice.at("turn_urls").as_array().size(), 1u);
  EXPECT_FALSE(ice.contains("credential"));
  EXPECT_FALSE(ice.contains("username"));
}

TEST(MobileAppConfig, FlagsFollowPlansAndAStableRollout) {
  auto s = settings();
  auto flags = [&](const std::string& user, const std::string& plan) {
    return app_config_json(s, {.user_key = user, .plan = plan}).at("flags").as_object();
  };
  EXPECT_TRUE(flags("u1", "free").at("chat").as_bool());
  EXPECT_FALSE(flags("u1", "free").at("hd_offline").as_bool());
  EXPECT_TRUE(flags("u1", "pro").at("hd_offline").as_bool());
  EXPECT_FALSE(flags("u1", "pro").at("off").as_bool());
  int on = 0;
  for (int i = 0; i < 2000; ++i) {
    auto user = "user-" + std::to_string(i);
    bool first = flags(user, "free").at("new_player").as_bool();
    EXPECT_EQ(first, flags(user, "free").at("new_player").as_bool());  // stable
    on += first;
    // Growing the rollout keeps everyone who had it.
    if (first) {
      EXPECT_TRUE(flag_on({"new_player", 60, {}}, user, "free"));
    }
  }
  EXPECT_GT(on, 2000 * 25 / 100);
  EXPECT_LT(on, 2000 * 35 / 100);
  // Without a user or install id only the flags at 100% are on.
  EXPECT_FALSE(flags("", "free").at("new_player").as_bool());
}

TEST(MobileAppConfig, BadSettingsAreRefused) {
  EXPECT_THROW(parse_platform_versions({"symbian=1.0"}), std::invalid_argument);
  EXPECT_THROW(parse_platform_versions({"ios=x"}), std::invalid_argument);
  EXPECT_THROW(parse_flags({"f:101"}), std::invalid_argument);
  EXPECT_THROW(parse_flags({":50"}), std::invalid_argument);
  EXPECT_EQ(parse_flags({"f:5:a|b"}).at(0).plans.size(), 2u);
}

}  // namespace

// Crash reports: signatures that ignore what varies between builds, grouping,
// fixed-in-version and the regression that reopens a group; session figures.
#include <gtest/gtest.h>

#include "core/rate_limiter.hpp"
#include "modules/mobile/crash_signature.hpp"
#include "modules/mobile/service.hpp"
#include "support/error_code.hpp"
#include "support/temp_db.hpp"

namespace {

using namespace wp::mobile;
using wp::ErrorCode;
using wp::testkit::error_code_of;

const char* kJava1 =
    "java.lang.NullPointerException: user 42 was null\n"
    "    at com.example.app.Player.start(Player.java:120)\n"
    "    at com.example.app.Home.onResume(Home.java:88)\n";
const char* kJava2 =  // the same crash from another build and another user
    "java.lang.NullPointerException: user 77 was null\n"
    "    at com.example.app.Player.start(Player.java:131)\n"
    "    at com.example.app.Home.onResume(Home.java:90)\n";
const char* kIos =
    "EXC_BAD_ACCESS\n"
    "3   WatchParty   0x0000000100a1b2c3 -[Player start] + 123\n"
    "4   WatchParty   0x0000000100a1c000 -[Home viewDidAppear:] + 44\n";

TEST(MobileCrashSignature, IgnoresLineNumbersAddressesAndTheMessage) {
  EXPECT_EQ(crash_signature("android", kJava1).signature, crash_signature("android", kJava2).signature);
  EXPECT_NE(crash_signature("android", kJava1).signature, crash_signature("ios", kJava1).signature);
  EXPECT_EQ(normalize_frame("3   WatchParty   0x0000000100a1b2c3 -[Player start] + 123"), "WatchParty -[Player start]");
  EXPECT_EQ(normalize_frame("at com.example.Player.start(Player.java:120)"), "at com.example.Player.start(Player.java)");
  EXPECT_EQ(top_frames(kIos).size(), 2u);
  EXPECT_EQ(crash_signature("android", kJava1).title, "java.lang.NullPointerException: user 42 was null");
}

struct CrashWorld {
  wp::testkit::TempDatabase tdb;
  Store store{*tdb.db};
  MobileService svc{store, SyncSettings{}};
  CrashGroupRow crash(const char* trace, const char* version) {
    CrashInput in;
    in.platform = "android";
    in.app_version = version;
    in.stack_trace = trace;
    return svc.report_crash(std::nullopt, "10.0.0.1", in);
  }
};

// A long localized first line: the title is cut before a character, never
// inside one (PostgreSQL refuses text that is not UTF-8).
TEST(MobileCrashSignature, ALongTitleIsCutOnACharacterBoundary) {
  std::string line;
  while (line.size() < 199) line += "a";
  line += "\xd0\x96\xd0\x96";  // Ж Ж: the first starts at byte 199
  auto sig = wp::mobile::crash_signature("android", line + "\n  at a.b.C.d(C.java:1)\n");
  EXPECT_EQ(sig.title.size(), 199u);
  EXPECT_EQ(sig.title, line.substr(0, 199));
}

TEST(MobileCrashes, GroupByTheSignatureWithCountsPerVersion) {
  CrashWorld w;
  auto a = w.crash(kJava1, "1.0.0");
  auto b = w.crash(kJava2, "1.1.0");
  w.crash(kJava2, "1.1.0");
  EXPECT_EQ(a.id, b.id);
  auto d = w.svc.crash_group(a.id);
  EXPECT_EQ(d.group.count, 3);
  ASSERT_EQ(d.versions.size(), 2u);
  EXPECT_EQ(d.versions[0].app_version, "1.1.0");
  EXPECT_EQ(d.versions[0].count, 2);
  EXPECT_EQ(d.recent.size(), 3u);
  EXPECT_EQ(w.svc.crash_groups(std::string("open"), 10, 0).count, 1);
}

TEST(MobileCrashes, AFixedGroupReopensWhenTheFixedVersionCrashes) {
  CrashWorld w;
  auto g = w.crash(kJava1, "1.9.0");
  EXPECT_EQ(w.svc.mark_fixed(g.id, "1.10.0").status, CrashStatus::fixed);
  // An old build still crashing is expected.
  EXPECT_EQ(w.crash(kJava1, "1.9.9").status, CrashStatus::fixed);
  // The fixed version (1.10.0 > 1.9.9) crashing is a regression.
  EXPECT_EQ(w.crash(kJava1, "1.10.0").status, CrashStatus::regressed);
  EXPECT_EQ(w.svc.crash_groups(std::string("regressed"), 10, 0).count, 1);
  EXPECT_EQ(error_code_of([&] { w.svc.mark_fixed(g.id, "soon"); }), ErrorCode::validation);
  EXPECT_EQ(error_code_of([&] { w.svc.crash_groups(std::string("sleeping"), 10, 0); }), ErrorCode::validation);
}

TEST(MobileCrashes, AnonymousReportsAreRateLimitedPerAddress) {
  CrashWorld w;
  wp::MemoryRateLimiter limiter;
  w.svc.set_rate_limiter(limiter);
  w.svc.set_crash_settings({.anonymous_limit = 2, .max_stack_bytes = 100});
  CrashInput in{.platform = "ios", .app_version = "1.0", .stack_trace = std::string(101, 'x')};
  EXPECT_EQ(error_code_of([&] { w.svc.report_crash(std::nullopt, "ip", in); }), ErrorCode::validation);
  in.stack_trace = "boom";
  w.svc.report_crash(std::nullopt, "ip", in);
  w.svc.report_crash(std::nullopt, "ip", in);
  EXPECT_EQ(error_code_of([&] { w.svc.report_crash(std::nullopt, "ip", in); }), ErrorCode::rate_limited);
  w.svc.report_crash(w.tdb.add_user("reporter"), "ip", in);  // a logged-in reporter is not limited per address
}

TEST(MobileSessions, FiguresPerPlatformWithCrashFreeSessions) {
  CrashWorld w;
  auto now = wp::now_ms();
  auto session = [&](const std::string& id, const std::string& device, const std::string& platform, bool crashed) {
    SessionRow s;
    s.id = id;
    s.device_id = device;
    s.platform = platform;
    s.started_at = now - 60000;
    s.ended_at = now;
    s.crashed = crashed;
    w.svc.record_session(std::nullopt, "ip", s);
  };
  session("s1", "d1", "ios", false);
  session("s2", "d1", "ios", true);
  session("s3", "d2", "ios", false);
  session("s4", "d3", "android", false);
  session("s1", "d1", "ios", false);  // written again by its device: still one session
  EXPECT_EQ(error_code_of([&] { session("s4", "d9", "android", true); }), ErrorCode::conflict);
  auto f = w.svc.figures(7);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].platform, "android");
  EXPECT_EQ(f[1].platform, "ios");
  EXPECT_EQ(f[1].active_devices, 2);
  EXPECT_EQ(f[1].sessions, 3);
  EXPECT_EQ(f[1].crashed_sessions, 1);
}

}  // namespace

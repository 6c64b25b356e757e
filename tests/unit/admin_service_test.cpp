// The admin rules on a temporary SQLite database: the audit trail and its
// filters, 500s grouped by signature, metric snapshots as series, retention,
// broadcasts (hooks, per-node deliveries, expiry), the users export (who may
// include emails, pieces, the audit entries) and health of several nodes.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "modules/admin/export.hpp"
#include "modules/admin/protocol.hpp"
#include "modules/admin/sampling.hpp"
#include "modules/admin/service.hpp"
#include "modules/admin/signature.hpp"
#include "support/error_code.hpp"
#include "support/temp_db.hpp"

namespace {

using namespace wp::admin;
using wp::AuditCategory;
using wp::AuditLevel;
using wp::ErrorCode;
using wp::Principal;
using wp::testkit::error_code_of;

struct World {
  wp::testkit::TempDatabase tdb;
  Store store{*tdb.db};
  AdminService admin{store, settings()};
  LocalNodeRegistry registry;

  Settings settings() {
    Settings s;
    s.node_id = "node-a";
    s.version = "test";
    s.data_dir = tdb.config.data_dir;
    s.started_at = wp::now_ms();
    s.export_batch = 3;
    return s;
  }
  Principal user(const std::string& name, bool staff = false) {
    return tdb.add_user(name + "_" + wp::new_uuid().substr(0, 6), staff);
  }
  Principal superuser(const std::string& name) {
    auto p = user(name, true);
    p.is_superuser = true;
    return p;
  }
  std::vector<SystemLogRow> logs(const Principal& me, LogFilter f = {}) {
    long long count = 0;
    return admin.logs(me, f, 100, 0, count);
  }
};

TEST(AdminService, AuditEntriesAreListedNewestFirstAndFilteredForStaffOnly) {
  World w;
  auto staff = w.user("staff", true), plain = w.user("plain");
  w.admin.record({AuditLevel::info, AuditCategory::admin, "First thing", "{\"n\":1}", staff.id});
  w.admin.record({AuditLevel::warning, AuditCategory::security, "Login throttled", "{}", plain.id});
  auto all = w.logs(staff);
  ASSERT_EQ(all.size(), 2u);
  auto first = all[0].message == "First thing" ? all[0] : all[1];  // one millisecond may hold both
  EXPECT_EQ(first.context, "{\"n\":1}");
  EXPECT_EQ(first.username, staff.username);
  LogFilter security;
  security.category = AuditCategory::security;
  EXPECT_EQ(w.logs(staff, security).size(), 1u);
  LogFilter search;
  search.search = "FIRST";
  EXPECT_EQ(w.logs(staff, search).size(), 1u);
  LogFilter mine;
  mine.user_id = staff.id;
  EXPECT_EQ(w.logs(staff, mine).size(), 1u);
  LogFilter later;
  later.since = wp::now_ms() + 60000;
  EXPECT_TRUE(w.logs(staff, later).empty());
  EXPECT_EQ(error_code_of([&] { w.logs(plain); }), ErrorCode::forbidden);
}

TEST(AdminService, ErrorsWithTheSameSignatureAreOneGroupWithACount) {
  World w;
  auto staff = w.user("staff", true);
  w.admin.record_error({"GET", "/api/x/{id}/", "req-1", "row 123 of 'abc' missing", std::nullopt});
  w.admin.record_error({"GET", "/api/x/{id}/", "req-2", "row 456 of 'def' missing", staff.id});
  w.admin.record_error({"POST", "/api/x/{id}/", "req-3", "row 1 of 'a' missing", std::nullopt});
  long long count = 0;
  auto groups = w.admin.errors(staff, 10, 0, count);
  ASSERT_EQ(count, 2);
  auto get = groups[0].method == "GET" ? groups[0] : groups[1];
  EXPECT_EQ(get.count, 2);
  EXPECT_EQ(get.last_request_id, "req-2");
  auto [row, ids] = w.admin.error(staff, get.signature);
  std::sort(ids.begin(), ids.end());  // the same millisecond may hold both
  EXPECT_EQ(ids, (std::vector<std::string>{"req-1", "req-2"}));
  EXPECT_EQ(row.count, 2);
}

TEST(AdminService, SignatureIgnoresIdsAndNumbersButNotWords) {
  EXPECT_EQ(normalize_error_message("user 4f1c2b9e-aaaa-bbbb-cccc-1234567890ab failed after 35 ms"),
            "user # failed after # ms");
  EXPECT_EQ(error_signature("GET", "/a/", "x 1"), error_signature("GET", "/a/", "x 2"));
  EXPECT_NE(error_signature("GET", "/a/", "disk full"), error_signature("GET", "/a/", "disk gone"));
  EXPECT_NE(error_signature("GET", "/a/", "x"), error_signature("GET", "/b/", "x"));
}

TEST(AdminService, SignatureIgnoresTheDatabaseStepThatFailed) {
  auto fresh = "database error: sqlite3_statement_backend::prepare: no such table: t while preparing \"SELECT 1\"";
  auto cached = "database error: sqlite3_statement_backend::loadOne: no such table: t while executing \"SELECT 1\"";
  EXPECT_EQ(error_signature("GET", "/a/", fresh), error_signature("GET", "/a/", cached));
  EXPECT_NE(error_signature("GET", "/a/", fresh),
            error_signature("GET", "/a/", "database error: sqlite3_statement_backend::prepare: no such table: u"));
}

TEST(AdminService, SnapshotsBecomeRatesPercentilesAndSeries) {
  wp::Metrics::Snapshot before, now;
  before.requests = 100;
  now.requests = 160;
  now.server_errors = 6;
  wp::Metrics::Histogram h;
  // 100 requests: 98 under 5 ms, 2 at 250 ms: the p99 is in the 250 ms bucket.
  for (std::size_t i = 0; i < wp::Metrics::kLatencyBuckets.size(); ++i)
    h.buckets[i] = wp::Metrics::kLatencyBuckets[i] >= 0.25 ? 100 : wp::Metrics::kLatencyBuckets[i] >= 0.005 ? 98 : 0;
  h.count = 100;
  now.latency["/api/x/"] = h;
  now.gauges = {{"watchparty_open_websockets", 7}};
  auto points = points_between(before, now, 30, "n1", 1000);
  auto find = [&](const std::string& name) {
    for (auto& p : points)
      if (p.name == name) return p;
    return MetricPoint{};
  };
  EXPECT_DOUBLE_EQ(find("http_requests_per_s").value, 2.0);
  EXPECT_DOUBLE_EQ(find("http_5xx_per_s").value, 0.2);
  EXPECT_DOUBLE_EQ(find("http_p99_ms").value, 250.0);
  EXPECT_EQ(find("http_p99_ms").label, "/api/x/");
  EXPECT_DOUBLE_EQ(find("open_websockets").value, 7);

  World w;
  auto staff = w.user("staff", true);
  w.admin.save_points(points);
  auto series = w.admin.series(staff, "open_websockets", 0, 2000);
  ASSERT_EQ(series.size(), 1u);
  EXPECT_EQ(series[0].node_id, "n1");
  EXPECT_EQ(w.admin.series(staff, "open_websockets", 1001, 2000).size(), 0u);
  EXPECT_EQ(error_code_of([&] { w.admin.series(staff, "x", 2000, 1000); }), ErrorCode::validation);
}

TEST(AdminService, RetentionDeletesOnlyWhatIsOlderThanItsDays) {
  World w;
  auto staff = w.user("staff", true);
  w.admin.record({AuditLevel::info, AuditCategory::admin, "today", "{}", std::nullopt});
  w.admin.save_points({{"n", "x", "", 1, wp::now_ms() - 20LL * 86400 * 1000}, {"n", "x", "", 2, wp::now_ms()}});
  EXPECT_EQ(w.admin.prune(wp::now_ms()), 1);  // metrics keep 14 days by default
  EXPECT_EQ(w.logs(staff).size(), 1u);
  EXPECT_EQ(w.admin.prune(wp::now_ms() + 91LL * 86400 * 1000), 2);
  EXPECT_TRUE(w.logs(staff).empty());
}

TEST(AdminService, BroadcastIsAnnouncedNotifiedRecordedAndCountedPerNode) {
  World w;
  auto staff = w.user("staff", true), plain = w.user("plain");
  std::vector<std::string> announced;
  BroadcastHooks hooks;
  hooks.announce = [&](const std::string& text) { announced.push_back(text); };
  hooks.notify = [](const Principal&, const BroadcastRow&) { return std::string("n-1"); };
  hooks.progress = [](const Principal&, const std::string& id) {
    EXPECT_EQ(id, "n-1");
    return std::optional<NotifyProgress>(NotifyProgress{"done", 5, 1});
  };
  w.admin.set_broadcast_hooks(hooks);
  BroadcastInput in;
  in.message = "Maintenance at noon";
  in.severity = Severity::warning;
  in.expires_at = wp::now_ms() + 60000;
  auto b = w.admin.start_broadcast(staff, in);
  ASSERT_EQ(announced.size(), 1u);
  EXPECT_EQ(protocol::broadcast_id_of(announced[0]), b.id);
  auto msg = boost::json::parse(announced[0]).as_object();
  EXPECT_EQ(msg["type"].as_string(), "admin_broadcast");
  EXPECT_EQ(msg["data"].as_object()["severity"].as_string(), "warning");
  w.admin.delivered(b.id, 3);
  w.admin.delivered(b.id, 4);  // the same node again: its latest count
  auto status = w.admin.broadcast(staff, b.id);
  ASSERT_EQ(status.deliveries.size(), 1u);
  EXPECT_EQ(status.deliveries[0].sockets, 4);
  ASSERT_TRUE(status.notification);
  EXPECT_EQ(status.notification->recipients, 5);
  EXPECT_EQ(w.admin.active_broadcasts(plain).size(), 1u);
  LogFilter f;
  f.search = "broadcast";
  EXPECT_EQ(w.logs(staff, f).size(), 1u);
  EXPECT_EQ(error_code_of([&] { w.admin.start_broadcast(plain, in); }), ErrorCode::forbidden);
  in.expires_at = wp::now_ms() - 1;
  EXPECT_EQ(error_code_of([&] { w.admin.start_broadcast(staff, in); }), ErrorCode::validation);
}

// #19 with billing: a segment's broadcast is not announced on every socket, and its banner
// (the active list) shows to its members only.
struct OnePaidPlan : wp::Plans {
  std::string payer;
  wp::PlanLimits limits_of(const std::string& user_id) override {
    wp::PlanLimits l;
    if (user_id == payer) l.plan = "premium";
    return l;
  }
  std::map<std::string, std::string> paying_users() override { return {{payer, "premium"}}; }
  bool has_plan(const std::string& id) const override { return id == "free" || id == "premium"; }
};

TEST(AdminService, ASegmentsBroadcastShowsToItsMembersOnly) {
  World w;
  auto staff = w.user("staff", true), payer = w.user("payer"), plain = w.user("plain");
  OnePaidPlan plans;
  plans.payer = payer.id;
  w.admin.set_plans(plans);
  int announced = 0;
  BroadcastHooks hooks;
  hooks.announce = [&](const std::string&) { ++announced; };
  w.admin.set_broadcast_hooks(hooks);
  BroadcastInput in;
  in.message = "For premium";
  in.expires_at = wp::now_ms() + 60000;
  in.audience = Segment::plan;
  in.plan = "premium";
  auto premium = w.admin.start_broadcast(staff, in);
  in.audience = Segment::staff;
  in.plan.reset();
  auto staff_only = w.admin.start_broadcast(staff, in);
  EXPECT_EQ(announced, 0);
  auto ids = [&](const Principal& p) {
    std::vector<std::string> out;
    for (auto& b : w.admin.active_broadcasts(p)) out.push_back(b.id);
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(ids(payer), std::vector<std::string>{premium.id});
  EXPECT_EQ(ids(staff), std::vector<std::string>{staff_only.id});
  EXPECT_TRUE(ids(plain).empty());
  in.audience = Segment::plan;
  in.plan = "gold";
  EXPECT_EQ(error_code_of([&] { w.admin.start_broadcast(staff, in); }), ErrorCode::validation);
  in.audience = Segment::all;
  in.plan = "premium";
  EXPECT_EQ(error_code_of([&] { w.admin.start_broadcast(staff, in); }), ErrorCode::validation);
  in.plan.reset();
  w.admin.start_broadcast(staff, in);
  EXPECT_EQ(announced, 1);
}

std::vector<ExportUser> fake_users(int n) {
  std::vector<ExportUser> out;
  for (int i = 0; i < n; ++i) {
    ExportUser u;
    u.id = "id" + std::to_string(10 + i);
    u.username = i == 0 ? "=cmd" : "user" + std::to_string(i);
    u.email = u.username + "@example.com";
    u.first_name = i == 1 ? "A, \"B\"" : "";
    u.date_joined = 0;
    out.push_back(u);
  }
  return out;
}

UsersPage paged(const std::vector<ExportUser>& all) {
  return [&all](const std::string& after, int limit, std::optional<bool>) {
    std::vector<ExportUser> out;
    for (auto& u : all)
      if (u.id > after && static_cast<int>(out.size()) < limit) out.push_back(u);
    return out;
  };
}

TEST(AdminService, ExportComesInPagesWithHeaderAndIsAudited) {
  World w;
  auto users = fake_users(7);
  w.admin.set_users_page(paged(users));
  auto super = w.superuser("root"), staff = w.user("staff", true), plain = w.user("plain");
  ExportRequest req;
  req.fields = {ExportField::username, ExportField::first_name, ExportField::email};
  EXPECT_EQ(error_code_of([&] { w.admin.start_export(staff, req); }), ErrorCode::forbidden);
  EXPECT_EQ(error_code_of([&] { w.admin.start_export(plain, req); }), ErrorCode::forbidden);
  auto e = w.admin.start_export(super, req);
  std::vector<std::string> pieces;
  while (auto piece = e->next()) pieces.push_back(*piece);
  ASSERT_EQ(pieces.size(), 4u);  // the header, then pages of 3, 3 and 1
  EXPECT_EQ(pieces[0], "username,first_name,email\r\n");
  EXPECT_EQ(pieces[1].substr(0, pieces[1].find("\r\n")), "'=cmd,,'=cmd@example.com");
  EXPECT_NE(pieces[1].find("user1,\"A, \"\"B\"\"\",user1@example.com"), std::string::npos);
  EXPECT_EQ(e->rows(), 7);
  auto logs = w.logs(super);
  ASSERT_EQ(logs.size(), 2u);
  auto finished = logs[0].message == "Users export finished" ? logs[0] : logs[1];  // one millisecond may hold both
  EXPECT_EQ(finished.message, "Users export finished");
  EXPECT_EQ(finished.category, AuditCategory::security);
  EXPECT_NE(finished.context.find("\"rows\":7"), std::string::npos);
  req.format = ExportFormat::jsonl;
  req.fields = {ExportField::id, ExportField::is_active};
  auto j = w.admin.start_export(staff, req);
  auto first = j->next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->substr(0, first->find('\n')), "{\"id\":\"id10\",\"is_active\":true}");
}

TEST(AdminService, HealthListsEveryNodeSeenInTheLastMinute) {
  World w;
  auto staff = w.user("staff", true);
  HealthProbes probes;
  probes.sockets = [] { return SocketCounts{2, 3}; };
  w.admin.set_health(probes, w.registry);
  NodeStats other;
  other.node_id = "node-b";
  other.seen_at = wp::now_ms() - 5000;
  other.party_sockets = 10;
  w.registry.beat("node-b", boost::json::serialize(node_stats_json(other)));
  NodeStats gone;
  gone.node_id = "node-c";
  gone.seen_at = wp::now_ms() - 120000;
  w.registry.beat("node-c", boost::json::serialize(node_stats_json(gone)));
  auto h = w.admin.health(staff);
  ASSERT_EQ(h.nodes.size(), 2u);
  EXPECT_GE(h.self.db_latency_ms, 0);
  EXPECT_EQ(h.self.user_sockets, 3);
  EXPECT_TRUE(h.self.disk_free_bytes);
  EXPECT_EQ(h.queues.count("videos"), 1u);
  long party = 0;
  for (auto& n : h.nodes) party += n.party_sockets;
  EXPECT_EQ(party, 12);
}

}  // namespace

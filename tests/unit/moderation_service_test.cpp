// Moderation rules (issue #19) on a temporary SQLite database, with fake
// content handlers standing in for the modules that own the content.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "core/rate_limiter.hpp"
#include "modules/moderation/service.hpp"
#include "support/error_code.hpp"
#include "support/recording_notifier.hpp"
#include "support/temp_db.hpp"

namespace {

using namespace wp;
using namespace wp::moderation;
using testkit::error_code_of;

// Comments by id, as a module would keep them; removal blanks the text.
struct FakeComments {
  std::map<std::string, std::pair<std::string, std::string>> rows;  // id -> (author, text)
  std::set<std::string> hidden;
  ContentHandlers handlers() {
    return {[this](const std::string& id) -> std::optional<ContentView> {
              auto it = rows.find(id);
              if (it == rows.end()) return std::nullopt;
              return ContentView{it->second.first, hidden.count(id) ? "" : it->second.second, "test", hidden.count(id) > 0};
            },
            [this](const std::string& id) -> std::optional<std::string> {
              if (!rows.count(id) || hidden.count(id)) return std::nullopt;
              hidden.insert(id);
              return rows[id].second;
            },
            [this](const std::string& id, const std::string& text) {
              if (!hidden.erase(id)) return false;
              rows[id].second = text;
              return true;
            }};
  }
};

struct World {
  testkit::TempDatabase tdb;
  Store store{*tdb.db};
  MemoryRateLimiter limiter;
  testkit::RecordingNotifier notices;
  FakeComments comments;
  std::set<std::string> users_staff;  // ids of staff users, for the user lookup
  std::vector<std::string> ended;
  std::unique_ptr<ModerationService> svc;
  Principal staff = tdb.add_user("staffer", true);
  Principal alice = tdb.add_user("alice");
  Principal bob = tdb.add_user("bob");

  explicit World(Settings settings = {}) {
    svc = std::make_unique<ModerationService>(store, limiter, std::move(settings));
    svc->set_notifier(notices);
    svc->set_end_sessions([this](const std::string& id) { ended.push_back(id); });
    svc->add_content(ContentType::video_comment, comments.handlers());
    users_staff.insert(staff.id);
    svc->add_content(ContentType::user, {[this](const std::string& id) -> std::optional<ContentView> {
                                           ContentView v{id, "bio", "user", false};
                                           v.staff = users_staff.count(id) > 0;
                                           return v;
                                         },
                                         nullptr, nullptr});
  }
  std::string comment_by(const Principal& author, const std::string& text) {
    auto id = new_uuid();
    comments.rows[id] = {author.id, text};
    return id;
  }
  ReportRow report(const Principal& who, const std::string& comment_id, ReportType t = ReportType::spam) {
    return svc->report(who, ReportInput{ContentType::video_comment, comment_id, t, "why"});
  }
  ActionRow act(ActionType a, std::optional<std::string> user, std::optional<std::string> comment = std::nullopt,
                std::optional<std::int64_t> duration = std::nullopt) {
    ActionInput in;
    in.action = a;
    in.user_id = std::move(user);
    if (comment) in.content_type = ContentType::video_comment, in.object_id = comment;
    in.reason = "rule 1";
    in.duration_s = duration;
    return svc->act(staff, in);
  }
};

// ---------------------------------------------------------------- word filter

TEST(WordFilter, NormalizationDefeatsTheUsualEvasions) {
  WordFilter f({"badword", "two words"});
  for (auto text : {"badword", "BADWORD", "BäDwörd", "baaaadwooord", "b4dw0rd", "b.a.d.w.o.r.d", "b a d w o r d",
                    "this is a BaDwOrD!", "8adword"})
    EXPECT_EQ(f.match(text).value_or("") == "badword", std::string(text) != "8adword") << text;
  EXPECT_TRUE(f.match("say TWO   words now"));
  EXPECT_TRUE(f.match("tw0 w0rdz") == std::nullopt);  // z is no s: not every spelling is caught
  EXPECT_FALSE(f.match("two"));
}

TEST(WordFilter, WholeWordsOnly) {
  WordFilter f({"ass"});
  EXPECT_FALSE(f.match("a classic passage"));
  EXPECT_TRUE(f.match("what an @$$"));
  EXPECT_TRUE(f.match("ASS"));
}

TEST(WordFilter, AccentsAndCaseFoldInNonLatinToo) {
  WordFilter f({"ÉCOLE", "Straße"});
  EXPECT_TRUE(f.match("ecole"));
  EXPECT_TRUE(f.match("STRASSE") || f.match("strase") || f.match("straße"));
  EXPECT_EQ(normalized_words("Héllo, WÖRLD!!"), (std::vector<std::string>{"hello", "world"}));
}

TEST(WordFilter, SettingAndFileAreOneList) {
  testkit::TempDatabase tdb;  // for its data dir
  auto path = tdb.config.data_dir + "/words.txt";
  {
    std::ofstream out(path);
    out << "# a comment\nfromfile\n\n";
  }
  auto f = WordFilter::from_settings("one, two ", path);
  EXPECT_TRUE(f.match("one"));
  EXPECT_TRUE(f.match("two"));
  EXPECT_TRUE(f.match("FromFile"));
  EXPECT_FALSE(f.match("comment"));
  EXPECT_THROW(WordFilter::from_settings("", tdb.config.data_dir + "/missing.txt"), std::runtime_error);
}

// ---------------------------------------------------------------- reports

TEST(ModerationReports, OneOpenReportPerUserPerObject) {
  World w;
  auto c = w.comment_by(w.bob, "hi");
  w.report(w.alice, c);
  EXPECT_EQ(error_code_of([&] { w.report(w.alice, c); }), ErrorCode::conflict);
  w.report(w.staff, c);  // someone else may
  w.svc->resolve(w.staff, ContentType::video_comment, c, ReportStatus::dismissed);
  EXPECT_NO_THROW(w.report(w.alice, c));  // closed: a new report is a new one
}

TEST(ModerationReports, TheObjectMustExistAndNobodyReportsThemselves) {
  World w;
  EXPECT_EQ(error_code_of([&] { w.report(w.alice, new_uuid()); }), ErrorCode::not_found);
  EXPECT_EQ(error_code_of([&] { w.svc->report(w.alice, ReportInput{ContentType::user, w.alice.id}); }),
            ErrorCode::validation);
  auto r = w.svc->report(w.alice, ReportInput{ContentType::user, w.bob.id, ReportType::harassment, ""});
  EXPECT_EQ(r.owner_id, w.bob.id);
}

TEST(ModerationReports, OnlyStaffSeeTheQueue) {
  World w;
  long long n = 0;
  EXPECT_EQ(error_code_of([&] { w.svc->queue(w.alice, std::nullopt, {}, n); }), ErrorCode::forbidden);
  EXPECT_EQ(error_code_of([&] { w.svc->reports(w.alice, {}, {}); }), ErrorCode::forbidden);
}

TEST(ModerationQueue, GroupsByObjectWithCountsAndTheContentInline) {
  World w;
  auto c1 = w.comment_by(w.bob, "first");
  auto c2 = w.comment_by(w.bob, "second");
  w.report(w.alice, c1, ReportType::spam);
  w.report(w.staff, c1, ReportType::harassment);
  w.report(w.alice, c2);
  long long count = 0;
  auto q = w.svc->queue(w.staff, std::nullopt, {20, 0}, count);
  ASSERT_EQ(count, 2);
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].row.object_id, c1);  // most reported first
  EXPECT_EQ(q[0].row.reports, 2);
  ASSERT_TRUE(q[0].content);
  EXPECT_EQ(q[0].content->text, "first");
  EXPECT_EQ(q[0].content->author_id, w.bob.id);
  EXPECT_EQ(q[0].reports.size(), 2u);
  EXPECT_EQ(q[1].row.reports, 1);
}

// ---------------------------------------------------------------- actions

TEST(ModerationActions, RemoveContentIsReversibleAndClosesItsReports) {
  World w;
  auto c = w.comment_by(w.bob, "rude");
  auto r = w.report(w.alice, c);
  auto a = w.act(ActionType::remove_content, std::nullopt, c);
  EXPECT_EQ(a.user_id, w.bob.id);  // the author, from the content
  EXPECT_TRUE(w.comments.hidden.count(c));
  EXPECT_EQ(w.store.report(r.id)->status, ReportStatus::actioned);
  long long n = 0;
  EXPECT_TRUE(w.svc->queue(w.staff, std::nullopt, {}, n).empty());
  EXPECT_EQ(error_code_of([&] { w.act(ActionType::remove_content, std::nullopt, c); }), ErrorCode::conflict);
  // The trail is ordered by the millisecond of each action: the lift must come in a later one.
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  w.act(ActionType::lift, std::nullopt, c);
  EXPECT_FALSE(w.comments.hidden.count(c));
  EXPECT_EQ(w.comments.rows[c].second, "rude");
  EXPECT_EQ(error_code_of([&] { w.act(ActionType::lift, std::nullopt, c); }), ErrorCode::not_found);
  // The trail keeps both, newest first.
  long long count = 0;
  auto trail = w.svc->actions(w.staff, w.bob.id, {20, 0}, count);
  ASSERT_EQ(count, 2);
  EXPECT_EQ(trail[0].action, ActionType::lift);
  EXPECT_EQ(trail[1].action, ActionType::remove_content);
  auto told = w.notices.of_type("moderation_action");
  ASSERT_EQ(told.size(), 2u);
  EXPECT_EQ(told[0].user_id, w.bob.id);
  EXPECT_EQ(told[0].data_json.find(w.alice.id), std::string::npos);  // never who reported
}

TEST(ModerationActions, SuspendRefusesLoginAndEndsSessionsUntilLifted) {
  World w;
  EXPECT_FALSE(w.svc->login_refusal(w.bob.id));
  EXPECT_EQ(error_code_of([&] { w.act(ActionType::suspend, w.bob.id); }), ErrorCode::validation);  // no period
  w.act(ActionType::suspend, w.bob.id, std::nullopt, 3600);
  EXPECT_EQ(w.ended, std::vector<std::string>{w.bob.id});
  ASSERT_TRUE(w.svc->login_refusal(w.bob.id));
  EXPECT_NE(w.svc->login_refusal(w.bob.id)->find("suspended until"), std::string::npos);
  EXPECT_EQ(w.svc->standing_of(w.bob.id).state, StandingState::suspended);
  EXPECT_EQ(w.svc->user_ids_in(StandingState::suspended), std::vector<std::string>{w.bob.id});
  w.act(ActionType::lift, w.bob.id);
  EXPECT_FALSE(w.svc->login_refusal(w.bob.id));
  EXPECT_EQ(w.svc->standing_of(w.bob.id).state, StandingState::good);
}

TEST(ModerationActions, BanIsForGood) {
  World w;
  w.act(ActionType::ban, w.bob.id);
  EXPECT_EQ(w.svc->standing_of(w.bob.id).state, StandingState::banned);
  EXPECT_NE(w.svc->login_refusal(w.bob.id)->find("banned"), std::string::npos);
  EXPECT_EQ(w.ended.size(), 1u);
}

TEST(ModerationActions, MuteSilencesChatAndMessagesOnly) {
  World w;
  w.act(ActionType::mute, w.bob.id, std::nullopt, 600);
  EXPECT_EQ(error_code_of([&] { w.svc->screen(w.bob.id, ContentType::party_message, "hi", "content"); }),
            ErrorCode::forbidden);
  EXPECT_EQ(error_code_of([&] { w.svc->screen(w.bob.id, ContentType::direct_message, "hi", "body"); }),
            ErrorCode::forbidden);
  EXPECT_NO_THROW(w.svc->screen(w.bob.id, ContentType::video_comment, "hi", "content"));
  EXPECT_NO_THROW(w.svc->screen(w.alice.id, ContentType::party_message, "hi", "content"));
  EXPECT_TRUE(w.ended.empty());  // a mute keeps the sessions
}

TEST(ModerationActions, NobodyActsOnThemselvesAndOnlySuperusersOnStaff) {
  World w;
  auto other_staff = w.tdb.add_user("other_staff", true);
  w.users_staff.insert(other_staff.id);
  EXPECT_EQ(error_code_of([&] { w.act(ActionType::warn, w.staff.id); }), ErrorCode::forbidden);
  EXPECT_EQ(error_code_of([&] { w.act(ActionType::ban, other_staff.id); }), ErrorCode::forbidden);
  auto root = w.tdb.add_user("root", true);
  root.is_superuser = true;
  ActionInput in;
  in.action = ActionType::warn;
  in.user_id = other_staff.id;
  in.reason = "r";
  EXPECT_NO_THROW(w.svc->act(root, in));
  EXPECT_EQ(error_code_of([&] { w.svc->act(w.alice, in); }), ErrorCode::forbidden);  // users do not act
}

TEST(ModerationActions, BulkReportsEachIdOnItsOwn) {
  World w;
  BulkInput in{{w.alice.id, w.staff.id, w.bob.id}, BulkAction::suspend, "spam wave", 3600};
  auto results = w.svc->bulk(w.staff, in);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_FALSE(results[0].error);
  ASSERT_TRUE(results[1].error);  // themselves
  EXPECT_EQ(results[1].error->code(), ErrorCode::forbidden);
  EXPECT_FALSE(results[2].error);
  EXPECT_EQ(w.svc->user_ids_in(StandingState::suspended).size(), 2u);
}

TEST(ModerationStanding, TheUserSeesTheirOwnTrailWithoutTheStaffName) {
  World w;
  w.act(ActionType::warn, w.bob.id);
  auto v = w.svc->my_standing(w.bob, {20, 0});
  EXPECT_EQ(v.standing.warnings, 1);
  ASSERT_EQ(v.count, 1);
  EXPECT_EQ(v.actions[0].action, ActionType::warn);
  EXPECT_EQ(w.svc->my_standing(w.alice, {20, 0}).count, 0);
}

// ---------------------------------------------------------------- flags

TEST(ModerationFlags, WordListFlagsOrBlocksByConfiguration) {
  Settings flagging;
  flagging.words = WordFilter({"spoiler"});
  World w(std::move(flagging));
  EXPECT_NO_THROW(w.svc->screen(w.bob.id, ContentType::video_comment, "sp0ilerrr ahead", "content"));
  auto c = w.comment_by(w.bob, "sp0ilerrr ahead");
  w.svc->posted(w.bob.id, ContentType::video_comment, c, "sp0ilerrr ahead");
  long long n = 0;
  auto q = w.svc->queue(w.staff, std::nullopt, {}, n);
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].row.flags, 1);
  EXPECT_EQ(q[0].flags[0].signal, FlagSignal::word_list);
  EXPECT_EQ(q[0].flags[0].detail, "spoiler");

  Settings blocking;
  blocking.words = WordFilter({"spoiler"});
  blocking.block = true;
  World b(std::move(blocking));
  EXPECT_EQ(error_code_of([&] { b.svc->screen(b.bob.id, ContentType::video, "S.P.O.I.L.E.R", "title"); }),
            ErrorCode::validation);
}

TEST(ModerationFlags, TheSameTextNTimesAMinuteRaisesOneFlag) {
  Settings s;
  s.rate_limit = 3;
  World w(std::move(s));
  for (int i = 0; i < 6; ++i)
    w.svc->posted(w.bob.id, ContentType::party_message, new_uuid(), i % 2 ? "BUY NOW" : "buy now!!");
  auto flags = w.svc->flags(w.staff, FlagStatus::open, {20, 0});
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].signal, FlagSignal::rate);
  w.svc->posted(w.alice.id, ContentType::party_message, new_uuid(), "buy now");  // another user: own count
  EXPECT_EQ(w.svc->flags(w.staff, FlagStatus::open, {20, 0}).size(), 1u);
}

}  // namespace

namespace {

// A memory limiter behind a counter of the calls that would each be a Redis round trip.
struct CountingLimiter : wp::RateLimiter {
  wp::MemoryRateLimiter inner;
  int calls = 0;
  void hit(const std::string& k, std::int64_t w) override {
    ++calls;
    inner.hit(k, w);
  }
  std::optional<int> blocked_for(const std::string& k, int l, std::int64_t w) override {
    ++calls;
    return inner.blocked_for(k, l, w);
  }
  void reset(const std::string& k) override { inner.reset(k); }
  std::optional<int> acquire(const std::string& k, int l, std::int64_t w) override {
    ++calls;
    return inner.acquire(k, l, w);
  }
  std::optional<int> hit_then_blocked_for(const std::string& k, int l, std::int64_t w) override {
    ++calls;
    return inner.hit_then_blocked_for(k, l, w);
  }
};

TEST(ModerationFlags, ThePostedRepeatSignalIsOneLimiterCallUntilItFlags) {
  testkit::TempDatabase tdb;
  Store store{*tdb.db};
  CountingLimiter limiter;
  Settings s;
  s.rate_limit = 3;
  ModerationService svc(store, limiter, std::move(s));
  auto bob = tdb.add_user("bob");
  auto staff = tdb.add_user("staffer", true);
  svc.posted(bob.id, ContentType::direct_message, new_uuid(), "same text");
  svc.posted(bob.id, ContentType::direct_message, new_uuid(), "same text");
  EXPECT_EQ(limiter.calls, 2) << "one round trip per post: record and count together";
  EXPECT_TRUE(svc.flags(staff, FlagStatus::open, {20, 0}).empty());
  svc.posted(bob.id, ContentType::direct_message, new_uuid(), "same text");  // the third: a flag
  EXPECT_EQ(svc.flags(staff, FlagStatus::open, {20, 0}).size(), 1u);
  EXPECT_EQ(limiter.calls, 4) << "plus the once-a-minute flag guard";
}

}  // namespace

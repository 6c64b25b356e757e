// Search on a real SQLite database: the FTS5 tables follow their base tables
// through the migration's triggers, visibility, "did you mean", autocomplete
// and the query log.
#include <gtest/gtest.h>

#include "modules/search/service.hpp"
#include "support/temp_db.hpp"

using namespace wp;
using namespace wp::search;

namespace {

struct SearchFixture : ::testing::Test {
  testkit::TempDatabase tdb;
  Store store{*tdb.db};
  SearchService svc{store, Settings{}};
  Principal owner = tdb.add_user("owner");
  Principal stranger = tdb.add_user("stranger");

  std::string add_video(const std::string& title, bool is_public = true, const std::string& description = "",
                        std::int64_t created_at = 0) {
    auto id = new_uuid();
    long long now = created_at ? created_at : now_ms();
    int pub = is_public;
    std::string vis = is_public ? "public" : "private";
    tdb.db->with([&](soci::session& s) {
      s << "INSERT INTO videos (id, uploaded_by_id, title, description, source_type, status, is_public, visibility, "
           "created_at, updated_at) VALUES (:id, :u, :t, :d, 'external', 'ready', :p, :v, :c, :c2)",
          soci::use(id), soci::use(owner.id), soci::use(title), soci::use(description), soci::use(pub),
          soci::use(vis), soci::use(now), soci::use(now);
    });
    return id;
  }
  void exec(const std::string& sql, const std::string& id, const std::string& value = "") {
    tdb.db->with([&](soci::session& s) {
      if (value.empty())
        s << sql, soci::use(id);
      else
        s << sql, soci::use(value), soci::use(id);
    });
  }
  Answer find(const Principal& who, const std::string& text, SearchType type = SearchType::video) {
    Question q;
    q.text = text;
    q.type = type;
    return svc.search(SearchService::viewer_of(who), q, 20, 0, "");
  }
  static std::vector<std::string> ids(const Answer& a) {
    std::vector<std::string> out;
    for (auto& k : a.kinds)
      for (auto& h : k.hits) out.push_back(h.id);
    return out;
  }
};

}  // namespace

TEST_F(SearchFixture, TriggersKeepTheIndexInStepAfterUpdateAndDelete) {
  auto id = add_video("Cosmic cats", true, "A documentary about felines");
  EXPECT_EQ(ids(find(stranger, "cosmic")), std::vector<std::string>{id});
  EXPECT_EQ(ids(find(stranger, "felines")), std::vector<std::string>{id});
  exec("UPDATE videos SET title = :t WHERE id = :id", id, "Ocean dogs");
  EXPECT_TRUE(ids(find(stranger, "\"cosmic cats\"")).empty());
  EXPECT_EQ(ids(find(stranger, "ocean")), std::vector<std::string>{id});
  exec("DELETE FROM videos WHERE id = :id", id);
  EXPECT_TRUE(ids(find(stranger, "ocean")).empty());
  long long left = tdb.db->with([](soci::session& s) {
    long long n = 0;
    s << "SELECT COUNT(*) FROM search_videos_fts", soci::into(n);
    return n;
  });
  EXPECT_EQ(left, 0);
}

TEST_F(SearchFixture, APrivateVideoIsFoundByItsOwnerOnlyAndNotCounted) {
  auto id = add_video("Secret garden", false);
  auto a = find(stranger, "garden");
  EXPECT_EQ(a.total, 0);
  EXPECT_TRUE(a.did_you_mean.empty());
  EXPECT_EQ(ids(find(owner, "garden")), std::vector<std::string>{id});
  EXPECT_TRUE(ids(find(Principal{}, "garden")).empty());
}

TEST_F(SearchFixture, AccentsAndCaseFold) {
  auto id = add_video("Le fabuleux destin d'Amélie");
  EXPECT_EQ(ids(find(stranger, "AMELIE")), std::vector<std::string>{id});
  EXPECT_EQ(ids(find(stranger, "amélie")), std::vector<std::string>{id});
}

TEST_F(SearchFixture, HighlightsMarkTheMatchedWords) {
  add_video("Cosmic cats", true, "Cats <script> in space");
  auto a = find(stranger, "cats");
  ASSERT_EQ(a.kinds.at(0).hits.size(), 1u);
  auto& h = a.kinds[0].hits[0];
  EXPECT_NE(h.title_marked.find(std::string(kMarkOpen) + "cats" + kMarkClose), std::string::npos);
}

TEST_F(SearchFixture, ATypoGetsDidYouMeanWithItsResults) {
  auto id = add_video("Cosmic documentary");
  auto a = find(stranger, "documentray");
  EXPECT_EQ(a.did_you_mean, "documentary");
  EXPECT_EQ(ids(a), std::vector<std::string>{id});
}

TEST_F(SearchFixture, TheVocabularyFollowsWritesAfterItWasRead) {
  add_video("Cosmic documentary");
  EXPECT_EQ(find(stranger, "documentray").did_you_mean, "documentary");  // the vocabulary is read
  EXPECT_EQ(find(stranger, "marmalde").did_you_mean, "");
  auto id = add_video("Marmalade secrets");                               // a write moves its version
  auto a = find(stranger, "marmalde");
  EXPECT_EQ(a.did_you_mean, "marmalade");
  EXPECT_EQ(ids(a), std::vector<std::string>{id});
  exec("UPDATE videos SET title = :t WHERE id = :id", id, "Quince jelly");
  EXPECT_EQ(find(stranger, "quinse").did_you_mean, "quince");
  EXPECT_EQ(find(stranger, "marmalde").did_you_mean, "");                 // gone with the old title
}

TEST_F(SearchFixture, NoCorrectionFromWordsTheCallerMayNotSee) {
  add_video("Hidden treasure", false);
  auto a = find(stranger, "treasur");
  EXPECT_EQ(a.total, 0);
  EXPECT_EQ(a.did_you_mean, "");
}

TEST_F(SearchFixture, SuggestCompletesTitlePrefixes) {
  auto id = add_video("Starship voyages");
  add_video("Starfleet secrets", false);
  auto s = svc.suggest(SearchService::viewer_of(stranger), "stars");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].id, id);
  EXPECT_EQ(svc.suggest(SearchService::viewer_of(stranger), "voy").size(), 1u);  // any word of the title
  EXPECT_EQ(svc.suggest(SearchService::viewer_of(stranger), "s").size(), 0u);    // one letter is too short
}

TEST_F(SearchFixture, ClearingRecentSearchesDeletesThem) {
  add_video("Cosmic cats");
  find(owner, "cosmic");
  find(owner, "cats");
  find(stranger, "cats");
  EXPECT_EQ(svc.recent(owner).size(), 2u);
  EXPECT_EQ(svc.clear_recent(owner), 2);
  EXPECT_TRUE(svc.recent(owner).empty());
  EXPECT_EQ(svc.recent(stranger).size(), 1u);
}

TEST_F(SearchFixture, AClickCountsOnceAndOnlyOnAShownResultOfTheCallersQuery) {
  auto id = add_video("Cosmic cats");
  auto a = find(owner, "cosmic");
  auto me = SearchService::viewer_of(owner), them = SearchService::viewer_of(stranger);
  EXPECT_THROW(svc.click(them, "", a.query_id, SearchType::video, id), Error);
  EXPECT_THROW(svc.click(me, "", a.query_id, SearchType::video, new_uuid()), Error);
  svc.click(me, "", a.query_id, SearchType::video, id);
  EXPECT_THROW(svc.click(me, "", a.query_id, SearchType::video, id), Error);
  auto st = svc.stats(Principal{"x", "staff", true}, 7);
  EXPECT_EQ(st.clicked, 1);
}

// ---------------------------------------------------------------- saved searches

#include "modules/search/saved.hpp"
#include "support/recording_notifier.hpp"

namespace {
constexpr std::int64_t kHour = 3'600'000;
}

TEST_F(SearchFixture, ASavedSearchAlertFiresOnceADayAndOnlyForNewVisibleRows) {
  testkit::RecordingNotifier notices;
  SavedSearches saved(store, svc);
  saved.set_notifier(&notices);
  std::int64_t t = now_ms();
  add_video("Old comet footage", true, "", t - 10'000);  // there before the search was saved: not news
  SavedInput in;
  in.name = "Comets";
  in.question.text = "comet";
  in.question.type = SearchType::video;
  in.alert = true;
  auto row = saved.create(stranger, in);
  EXPECT_EQ(saved.run_alerts(t + 1000), 0);
  add_video("Comet secret", false, "", t + 2000);  // the owner's private video: not for the stranger
  EXPECT_EQ(saved.run_alerts(t + kHour), 0);
  add_video("Comet landing", true, "", t + kHour + 1000);
  EXPECT_EQ(saved.run_alerts(t + 2 * kHour), 1);
  auto sent = notices.of_type("saved_search_match");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].user_id, stranger.id);
  EXPECT_NE(sent[0].data_json.find(row.id), std::string::npos);
  add_video("Comet again", true, "", t + 2 * kHour + 1000);
  EXPECT_EQ(saved.run_alerts(t + 3 * kHour), 0);   // at most once a day
  EXPECT_EQ(saved.run_alerts(t + 27 * kHour), 1);  // a day later, the new row is told
  EXPECT_EQ(saved.run_alerts(t + 52 * kHour), 0);  // nothing new since
  EXPECT_EQ(notices.of_type("saved_search_match").size(), 2u);
}

TEST_F(SearchFixture, SavedSearchesAreTheirOwnersOnly) {
  SavedSearches saved(store, svc);
  SavedInput in;
  in.name = "Mine";
  in.question.text = "cats";
  auto row = saved.create(owner, in);
  EXPECT_THROW(saved.update(stranger, row.id, SavedPatch{std::string("Theirs"), std::nullopt}), Error);
  EXPECT_THROW(saved.remove(stranger, row.id), Error);
  EXPECT_TRUE(saved.list(stranger).empty());
  EXPECT_THROW(saved.create(owner, in), Error);  // the same name twice
  saved.remove(owner, row.id);
  EXPECT_TRUE(saved.list(owner).empty());
}

TEST_F(SearchFixture, CountingStopsAtTheCap) {
  tdb.db->tx([&](soci::session& s) {
    for (int i = 0; i < 1005; ++i) {
      std::string id = new_uuid(), title = "Common word " + std::to_string(i);
      long long now = now_ms();
      s << "INSERT INTO videos (id, uploaded_by_id, title, source_type, status, is_public, visibility, created_at, "
           "updated_at) VALUES (:id, :u, :t, 'external', 'ready', 1, 'public', :c, :c2)",
          soci::use(id), soci::use(owner.id), soci::use(title), soci::use(now), soci::use(now);
    }
  });
  auto a = find(stranger, "common");
  ASSERT_EQ(a.kinds.size(), 1u);
  EXPECT_EQ(a.kinds[0].count, kCountCap);
  EXPECT_TRUE(a.kinds[0].count_capped);
  EXPECT_EQ(a.kinds[0].hits.size(), 20u);
  auto few = find(stranger, "\"word 7\"");
  EXPECT_FALSE(few.kinds[0].count_capped);
}

namespace {
// Adds `n` public videos titled "<word> filler i", created in order after `t0`, in one transaction.
void add_many(testkit::TempDatabase& tdb, const std::string& owner_id, const std::string& word, int n,
              std::int64_t t0) {
  tdb.db->tx([&](soci::session& s) {
    for (int i = 0; i < n; ++i) {
      std::string id = new_uuid(), title = word + " filler " + std::to_string(i);
      long long at = t0 + i;
      s << "INSERT INTO videos (id, uploaded_by_id, title, description, source_type, status, is_public, visibility, "
           "created_at, updated_at) VALUES (:id, :u, :t, 'plain text', 'external', 'ready', 1, 'public', :c, :c2)",
          soci::use(id), soci::use(owner_id), soci::use(title), soci::use(at), soci::use(at);
    }
  });
}
}  // namespace

TEST_F(SearchFixture, RelevanceRanksEveryMatchOfAWordInFewerRowsThanTheWindow) {
  std::int64_t t0 = now_ms() - 1'000'000;
  auto best = add_video("Nebula nebula nebula", true, "", t0);  // the oldest, and the best match
  add_many(tdb, owner.id, "nebula", 50, t0 + 1);
  auto a = find(stranger, "nebula");
  ASSERT_FALSE(a.kinds.at(0).hits.empty());
  EXPECT_EQ(a.kinds[0].hits[0].id, best);
  EXPECT_EQ(a.kinds[0].count, 51);
  EXPECT_FALSE(a.kinds[0].count_capped);
}

TEST_F(SearchFixture, AWordInMoreRowsThanTheWindowRanksTheNewestOnly) {
  std::int64_t t0 = now_ms() - 1'000'000;
  auto oldest = add_video("Nebula nebula nebula", true, "", t0);
  add_many(tdb, owner.id, "nebula", kRankWindow, t0 + 1);
  auto a = find(stranger, "nebula");
  ASSERT_EQ(a.kinds.at(0).hits.size(), 20u);
  EXPECT_EQ(a.kinds[0].count, kCountCap);
  EXPECT_TRUE(a.kinds[0].count_capped);
  for (auto& h : a.kinds[0].hits) EXPECT_NE(h.id, oldest);  // outside the window: not ranked
  // the rows past the window still match a rarer query
  auto rare = find(stranger, "\"nebula nebula\"");
  EXPECT_EQ(ids(rare), std::vector<std::string>{oldest});
}

TEST_F(SearchFixture, AnOrderAsksTheWindowToo) {
  std::int64_t t0 = now_ms() - 1'000'000;
  add_many(tdb, owner.id, "nebula", 30, t0);
  Question q;
  q.text = "nebula";
  q.type = SearchType::video;
  q.order = SearchOrder::newest;
  auto a = svc.search(SearchService::viewer_of(stranger), q, 10, 0, "");
  ASSERT_EQ(a.kinds.at(0).hits.size(), 10u);
  for (std::size_t i = 1; i < a.kinds[0].hits.size(); ++i)
    EXPECT_GT(a.kinds[0].hits[i - 1].created_at, a.kinds[0].hits[i].created_at);
  EXPECT_EQ(a.kinds[0].hits[0].title, "nebula filler 29");
  EXPECT_NE(a.kinds[0].hits[0].title_marked.find(std::string(kMarkOpen) + "nebula" + kMarkClose), std::string::npos);
}

TEST_F(SearchFixture, APagePastTheLastStillCounts) {
  add_many(tdb, owner.id, "nebula", 30, now_ms() - 1'000'000);
  Question q;
  q.text = "nebula";
  q.type = SearchType::video;
  auto a = svc.search(SearchService::viewer_of(stranger), q, 20, 40, "");
  EXPECT_TRUE(a.kinds.at(0).hits.empty());
  EXPECT_EQ(a.kinds[0].count, 30);
  auto second = svc.search(SearchService::viewer_of(stranger), q, 20, 20, "");
  EXPECT_EQ(second.kinds.at(0).hits.size(), 10u);
  EXPECT_EQ(second.kinds[0].count, 30);
}

TEST_F(SearchFixture, SuggestReadsLongPrefixesAndFollowsTitleChanges) {
  auto id = add_video("Interstellar odyssey");
  auto me = SearchService::viewer_of(stranger);
  for (std::string prefix : {"in", "int", "inte", "inter", "inters", "interst", "interste", "interstel",
                             "interstellar", "odyssey inter"}) {
    auto s = svc.suggest(me, prefix);
    ASSERT_EQ(s.size(), 1u) << prefix;
    EXPECT_EQ(s[0].id, id) << prefix;
  }
  EXPECT_TRUE(svc.suggest(me, "interstellarx").empty());
  exec("UPDATE videos SET title = :t WHERE id = :id", id, "Galactic voyage");
  EXPECT_TRUE(svc.suggest(me, "interst").empty());
  EXPECT_EQ(svc.suggest(me, "galac").size(), 1u);
  exec("DELETE FROM videos WHERE id = :id", id);
  EXPECT_TRUE(svc.suggest(me, "galac").empty());
}

TEST_F(SearchFixture, SuggestGivesTheNewestFiveVisible) {
  std::int64_t t0 = now_ms() - 1'000'000;
  add_many(tdb, owner.id, "nebula", 8, t0);
  add_video("Nebula hidden", false, "", t0 + 100);
  auto s = svc.suggest(SearchService::viewer_of(stranger), "neb");
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s[0].text, "nebula filler 7");
  EXPECT_EQ(s[4].text, "nebula filler 3");
}

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

  std::string add_video(const std::string& title, bool is_public = true, const std::string& description = "") {
    auto id = new_uuid();
    long long now = now_ms();
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

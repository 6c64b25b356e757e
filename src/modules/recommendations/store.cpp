#include "modules/recommendations/store.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <map>

#include "core/ids.hpp"
#include "db/affected.hpp"
#include "db/columns.hpp"
#include "modules/recommendations/sql.hpp"

namespace wp::recommendations {

using soci::into;
using soci::use;

namespace {

std::vector<std::pair<std::string, std::string>> pairs(soci::session& s, const char* text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string a, b;
  soci::statement st = (s.prepare << text, into(a), into(b));
  if (st.execute(true)) {
    do out.emplace_back(a, b);
    while (st.fetch());
  }
  return out;
}

std::vector<LiveParty> live_parties(soci::session& s) {
  std::vector<LiveParty> out;
  std::map<std::string, std::size_t> at;
  LiveParty p;
  std::string video, group;
  soci::indicator video_ind = soci::i_ok, group_ind = soci::i_ok;
  soci::statement st = (s.prepare << sql::kLiveParties, into(p.id), into(p.title), into(p.host_id),
                        into(video, video_ind), into(group, group_ind));
  if (st.execute(true)) {
    do {
      LiveParty row = p;
      if (video_ind == soci::i_ok) row.video_id = video;
      if (group_ind == soci::i_ok) row.group_id = group;
      at[row.id] = out.size();
      out.push_back(row);
    } while (st.fetch());
  }
  for (auto& [party, user] : pairs(s, sql::kLiveMembers))
    if (auto it = at.find(party); it != at.end()) out[it->second].members.push_back(user);
  return out;
}

}  // namespace

Snapshot Store::snapshot(int min_watch_seconds, std::int64_t views_since) {
  return db_.with([&](soci::session& s) {
    Snapshot out;
    {
      Interaction i;
      soci::statement st = (s.prepare << sql::kInteractions, into(i.user_id), into(i.video_id), into(i.weight),
                            use(min_watch_seconds));
      if (st.execute(true)) {
        do out.interactions.push_back(i);
        while (st.fetch());
      }
    }
    {
      VideoInfo v;
      long long since = views_since, views = 0;
      soci::statement st = (s.prepare << sql::kCandidates, into(v.id), into(v.title), into(v.uploader_id),
                            into(views), use(since));
      if (st.execute(true)) {
        do {
          v.recent_views = views;
          out.candidates.push_back(v);
        } while (st.fetch());
      }
    }
    out.friendships = pairs(s, sql::kFriendships);
    out.blocks = pairs(s, sql::kBlocks);
    out.memberships = pairs(s, sql::kGroupMemberships);
    out.live = live_parties(s);
    return out;
  });
}

std::vector<std::string> Store::due_users(std::int64_t stale_before, int limit) {
  return db_.with([&](soci::session& s) {
    long long stale = stale_before;
    std::string id;
    std::vector<std::string> out;
    soci::statement st = (s.prepare << sql::kDueUsers, into(id), use(stale), use(limit));
    if (st.execute(true)) {
      do out.push_back(id);
      while (st.fetch());
    }
    return out;
  });
}

void Store::replace(const std::string& user_id, const std::vector<Pick>& picks, std::int64_t now) {
  db_.tx([&](soci::session& s) {
    long long t = now;
    for (auto& p : picks) {
      std::string id = new_uuid(), type(to_string(p.type));
      s << sql::kUpsert, use(id), use(user_id), use(type), use(p.object_id), use(p.score), use(p.reason), use(t);
    }
    s << sql::kDropOlder, use(user_id), use(t);
  });
}

// The write (a transaction, which on SQLite takes the database's write lock)
// only when the batch read has rows not marked yet: a batch shown once is read
// again by every later call (the mobile home asks at each app start).
std::vector<RecommendationRow> Store::latest(const std::string& user_id, std::int64_t now) {
  auto rows = db_.with([&](soci::session& s) {
    return db::select_rows(s, sql::kRow, sql::kLatest, db::uses(user_id, user_id, user_id, user_id, user_id, user_id));
  });
  if (std::none_of(rows.begin(), rows.end(), [](const RecommendationRow& r) { return !r.shown_at; })) return rows;
  long long t = now;
  db_.with([&](soci::session& s) { s << sql::kMarkShown, use(t), use(user_id), use(user_id); });
  return rows;
}

bool Store::click(const std::string& user_id, const std::string& id, std::int64_t now) {
  return db_.with([&](soci::session& s) {
    long long t = now;
    soci::statement st = (s.prepare << sql::kClick, use(t), use(id), use(user_id));
    return db::execute_counting(st) > 0;
  });
}

}  // namespace wp::recommendations

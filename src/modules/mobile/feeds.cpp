// What the sync carries from other modules (the friends feed, read through
// wp::Relations; profile, conversations, notifications and watch history,
// read through the FeedSource of each) and the lists this module keeps
// itself (downloads).
#include <boost/json.hpp>

#include <set>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "modules/mobile/service.hpp"

namespace wp::mobile {

namespace json = boost::json;

namespace {

Change friend_upsert(const std::string& friend_id, std::int64_t now) {
  return {DataType::friends, friend_id, false, json::serialize(json::object{{"user_id", friend_id}, {"since", now}})};
}

}  // namespace

// Reads the truth rather than trusting the event's order: whatever order the
// recordings run in, the last one runs after the last change and records it.
void MobileService::friendship_changed(const std::string& a, const std::string& b) {
  if (!relations_) return;
  bool friends = relations_->are_friends(a, b);
  auto now = now_ms();
  for (auto [me, other] : {std::pair{a, b}, std::pair{b, a}}) {
    bool recorded = false;
    for (const auto& r : store_.live_records(me, DataType::friends)) recorded = recorded || r.record_id == other;
    if (friends && !recorded) store_.record(me, {friend_upsert(other, now)}, now);
    if (!friends && recorded) store_.record(me, {{DataType::friends, other, true, "{}"}}, now);
  }
}

// A sync from the beginning first makes the log agree with the graph
// (friendships made before this module, or a recording that was dropped).
void MobileService::reconcile_friends(const std::string& user_id) {
  if (!relations_) return;
  auto truth = relations_->friends_of(user_id);
  std::set<std::string> want(truth.begin(), truth.end()), have;
  for (const auto& r : store_.live_records(user_id, DataType::friends)) have.insert(r.record_id);
  auto now = now_ms();
  std::vector<Change> changes;
  for (const auto& id : want)
    if (!have.count(id)) changes.push_back(friend_upsert(id, now));
  for (const auto& id : have)
    if (!want.count(id)) changes.push_back({DataType::friends, id, true, "{}"});
  store_.record(user_id, changes, now);
}

// ---- feeds of other modules

void MobileService::record_changed(DataType type, const std::string& user_id, const std::string& record_id) {
  auto feed = feeds_.find(type);
  if (feed == feeds_.end() || !feed->second.one || !store_.has_devices(user_id)) return;
  auto observed_at = now_ms();  // before asking: a later recording of an older answer is refused
  auto now = feed->second.one(user_id, record_id);
  store_.record_observed(user_id, {{type, record_id, !now, now.value_or("{}")}}, observed_at);
}

void MobileService::reconcile(DataType type, const std::string& user_id) {
  auto feed = feeds_.find(type);
  if (feed == feeds_.end() || !feed->second.all) return;
  auto observed_at = now_ms();
  auto truth = feed->second.all(user_id);
  std::vector<Change> changes;
  std::set<std::string> recorded;
  for (const auto& r : store_.live_records(user_id, type)) {
    recorded.insert(r.record_id);
    auto t = truth.find(r.record_id);
    if (t == truth.end())
      changes.push_back({type, r.record_id, true, "{}"});
    else if (t->second != r.payload)
      changes.push_back({type, r.record_id, false, t->second});
  }
  for (const auto& [id, payload] : truth)
    if (!recorded.count(id)) changes.push_back({type, id, false, payload});
  store_.record_observed(user_id, changes, observed_at);
}

// ---- end feeds

std::vector<ChangeRow> MobileService::downloads(const Principal& user) {
  return store_.live_records(user.id, DataType::downloads);
}

void MobileService::add_download(const Principal& user, const std::string& video_id, const std::string& quality) {
  if (!is_uuid(video_id)) throw_not_found("No such video.");
  auto now = now_ms();
  store_.record(user.id,
                {{DataType::downloads, video_id, false,
                  json::serialize(json::object{{"video_id", video_id}, {"quality", quality}, {"added_at", now}})}},
                now);
}

void MobileService::remove_download(const Principal& user, const std::string& video_id) {
  bool listed = false;
  for (const auto& r : store_.live_records(user.id, DataType::downloads)) listed = listed || r.record_id == video_id;
  if (!listed) throw_not_found("This video is not in your downloads.");
  store_.record(user.id, {{DataType::downloads, video_id, true, "{}"}}, now_ms());
}

std::vector<ChangeRow> MobileService::settings(const Principal& user) {
  return store_.live_records(user.id, DataType::settings);
}

}  // namespace wp::mobile

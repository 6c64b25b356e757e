#include "modules/mobile/merge.hpp"

#include <boost/json.hpp>

#include <set>

namespace wp::mobile {

namespace json = boost::json;

namespace {

double position_in(const std::optional<ChangeRow>& row) {
  if (!row || row->deleted) return -1;
  boost::system::error_code ec;
  auto v = json::parse(row->payload, ec);
  if (ec || !v.is_object()) return -1;
  auto* p = v.as_object().if_contains("position_s");
  return p && p->is_number() ? p->to_number<double>() : -1;
}

// Several pushes of one key in a batch: the last one is the one received last.
std::vector<Change> settings_changes(const PushBatch& b, std::int64_t now) {
  std::map<std::string, const SettingPush*> last;
  for (const auto& s : b.settings) last[s.key] = &s;
  std::vector<Change> out;
  for (const auto& [key, s] : last) {
    Change c{DataType::settings, key, !s->value_json, "{}"};
    if (s->value_json)
      c.payload = json::serialize(json::object{{"key", key}, {"value", json::parse(*s->value_json)}, {"updated_at", now}});
    out.push_back(std::move(c));
  }
  return out;
}

struct Counts {
  long long applied = 0, kept = 0, refused = 0;
  void count(Applied a) { ++(a == Applied::changed ? applied : a == Applied::unchanged ? kept : refused); }
};

// With the videos module wired its watch time decides, and the watch history
// feed records it; without, the log keeps the furthest position itself.
Counts progress_changes(const PushBatch& b, const RecordReader& current, std::int64_t now, const Outcomes& outcomes,
                        std::vector<Change>& out) {
  Counts n;
  for (const auto& [video, p] : furthest_positions(b)) {
    if (auto o = outcomes.find(progress_key(video)); o != outcomes.end()) {
      n.count(o->second);
      continue;
    }
    if (position_in(current(DataType::watch_history, video)) >= p.position_s) {
      ++n.kept;
      continue;
    }
    out.push_back({DataType::watch_history, video, false,
                   json::serialize(json::object{{"video_id", video},
                                                {"position_s", p.position_s},
                                                {"duration_s", p.duration_s},
                                                {"updated_at", now}})});
    ++n.applied;
  }
  return n;
}

// The union: a mark the log has not seen is recorded; one its module refused is not.
Counts mark_changes(const PushBatch& b, const RecordReader& current, std::int64_t now, const Outcomes& outcomes,
                    std::vector<Change>& out) {
  Counts n;
  std::set<std::string> seen;
  for (const auto& m : b.read_marks) {
    auto id = mark_record_id(m);
    if (!seen.insert(id).second) continue;
    auto o = outcomes.find(id);
    if (o != outcomes.end() && o->second == Applied::refused) {
      ++n.refused;
      continue;
    }
    auto row = current(DataType::read_marks, id);
    bool known = row && !row->deleted;
    if (!known) {
      json::object payload{{"kind", m.kind}, {"id", m.id}, {"read_at", now}};
      if (!m.message_id.empty()) payload["message_id"] = m.message_id;
      out.push_back({DataType::read_marks, id, false, json::serialize(payload)});
    }
    n.count(o != outcomes.end() ? o->second : known ? Applied::unchanged : Applied::changed);
  }
  return n;
}

}  // namespace

std::string progress_key(const std::string& video_id) { return "watch:" + video_id; }

std::string mark_record_id(const ReadMarkPush& m) {
  return m.kind + ":" + m.id + (m.message_id.empty() ? "" : ":" + m.message_id);
}

std::map<std::string, ProgressPush> furthest_positions(const PushBatch& b) {
  std::map<std::string, ProgressPush> best;
  for (const auto& p : b.watch_progress) {
    auto [it, fresh] = best.try_emplace(p.video_id, p);
    if (!fresh && p.position_s > it->second.position_s) it->second = p;
  }
  return best;
}

BatchPlan plan_batch(const PushBatch& b, const RecordReader& current, std::int64_t now, const Outcomes& outcomes) {
  BatchPlan plan;
  plan.changes = settings_changes(b, now);
  auto settings_applied = static_cast<long long>(plan.changes.size());
  auto progress = progress_changes(b, current, now, outcomes, plan.changes);
  auto marks = mark_changes(b, current, now, outcomes, plan.changes);
  plan.result_json = json::serialize(json::object{
      {"batch_id", b.batch_id},
      {"settings", json::object{{"applied", settings_applied}}},
      {"watch_progress", json::object{{"applied", progress.applied}, {"kept", progress.kept}, {"refused", progress.refused}}},
      {"read_marks",
       json::object{{"applied", marks.applied}, {"already_read", marks.kept}, {"refused", marks.refused}}},
  });
  return plan;
}

}  // namespace wp::mobile

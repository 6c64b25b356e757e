#include "modules/mobile/merge.hpp"

#include <boost/json.hpp>

#include <map>

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

}  // namespace

BatchPlan plan_batch(const PushBatch& b, const RecordReader& current, std::int64_t now) {
  BatchPlan plan;
  plan.changes = settings_changes(b, now);
  long long settings_applied = static_cast<long long>(plan.changes.size());

  std::map<std::string, ProgressPush> best;  // the batch's own maximum per video first
  for (const auto& p : b.watch_progress) {
    auto [it, fresh] = best.try_emplace(p.video_id, p);
    if (!fresh && p.position_s > it->second.position_s) it->second = p;
  }
  long long progress_applied = 0, progress_kept = 0;
  for (const auto& [video, p] : best) {
    if (position_in(current(DataType::watch_history, video)) >= p.position_s) {
      ++progress_kept;
      continue;
    }
    plan.changes.push_back({DataType::watch_history, video, false,
                            json::serialize(json::object{{"video_id", video},
                                                         {"position_s", p.position_s},
                                                         {"duration_s", p.duration_s},
                                                         {"updated_at", now}})});
    ++progress_applied;
  }

  long long marks_applied = 0, marks_known = 0;
  std::map<std::string, bool> seen;
  for (const auto& m : b.read_marks) {
    auto id = m.kind + ":" + m.id;
    if (seen[id]) continue;
    seen[id] = true;
    auto row = current(DataType::read_marks, id);
    if (row && !row->deleted) {
      ++marks_known;
      continue;
    }
    plan.changes.push_back({DataType::read_marks, id, false,
                            json::serialize(json::object{{"kind", m.kind}, {"id", m.id}, {"read_at", now}})});
    ++marks_applied;
  }

  plan.result_json = json::serialize(json::object{
      {"batch_id", b.batch_id},
      {"settings", json::object{{"applied", settings_applied}}},
      {"watch_progress", json::object{{"applied", progress_applied}, {"kept", progress_kept}}},
      {"read_marks", json::object{{"applied", marks_applied}, {"already_read", marks_known}}},
  });
  return plan;
}

}  // namespace wp::mobile

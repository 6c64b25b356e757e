#include "modules/analytics/presence.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace wp::analytics {

namespace {

// A member's presence closed by staleness: not a +1 or -1 but "none left".
constexpr int kReset = 0;

// From `at` on, `count` members are present.
struct Step {
  std::int64_t at = 0;
  std::int64_t count = 0;
};

// The events with a reset added wherever a member's presence went stale.
std::vector<PresenceEvent> with_stale_resets(const std::vector<PresenceEvent>& sorted, std::int64_t now) {
  std::map<std::string, std::vector<const PresenceEvent*>> by_user;
  for (auto& e : sorted) by_user[e.user_id].push_back(&e);
  std::vector<PresenceEvent> out;
  out.reserve(sorted.size());
  for (auto& [user, events] : by_user) {
    int count = 0;
    std::int64_t last = 0;
    for (auto* e : events) {
      if (count > 0 && e->at - last > kPresenceStaleMs) {
        out.push_back({last + kPresenceStaleMs, user, kReset});
        count = 0;
      }
      count = std::max(0, count + e->delta);
      last = e->at;
      out.push_back(*e);
    }
    if (count > 0 && now - last > kPresenceStaleMs) out.push_back({last + kPresenceStaleMs, user, kReset});
  }
  std::stable_sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.at < b.at; });
  return out;
}

struct Sweep {
  std::vector<Step> steps;
  std::set<std::string> members;
  std::map<std::string, std::int64_t> gone_at;  // when each member's presence last ended
  std::map<std::string, int> sockets;           // per member, at the end
};

// The count of distinct members present after each instant with events.
Sweep sweep(const std::vector<PresenceEvent>& events) {
  Sweep s;
  std::int64_t present = 0;
  for (std::size_t i = 0; i < events.size();) {
    const auto at = events[i].at;
    for (; i < events.size() && events[i].at == at; ++i) {
      auto& e = events[i];
      auto& n = s.sockets[e.user_id];
      const bool was = n > 0;
      if (e.delta > 0) s.members.insert(e.user_id);
      n = e.delta == kReset ? 0 : std::max(0, n + e.delta);
      if (was && n == 0) {
        --present;
        s.gone_at[e.user_id] = at;
      } else if (!was && n > 0) {
        ++present;
      }
    }
    if (s.steps.empty() || s.steps.back().count != present) s.steps.push_back({at, present});
  }
  return s;
}

// Walks the segments [at, next) of constant count up to `end`.
template <class Fn>
void for_each_segment(const std::vector<Step>& steps, std::int64_t end, Fn fn) {
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto to = i + 1 < steps.size() ? steps[i + 1].at : std::max(end, steps[i].at);
    fn(steps[i].at, to, steps[i].count);
  }
}

std::vector<PresenceBucket> buckets_of(const std::vector<Step>& steps, std::int64_t end, Granularity g) {
  const auto size = bucket_ms(g);
  std::map<std::int64_t, PresenceBucket> by_start;
  for (auto& st : steps) by_start[bucket_floor(st.at, g)].bucket_start = bucket_floor(st.at, g);
  for_each_segment(steps, end, [&](std::int64_t from, std::int64_t to, std::int64_t count) {
    if (count == 0) return;
    for (auto b = bucket_floor(from, g); b < to; b += size) {
      const auto len = std::min(to, b + size) - std::max(from, b);
      if (len <= 0) continue;
      auto& pb = by_start[b];
      pb.bucket_start = b;
      pb.peak = std::max(pb.peak, count);
      pb.member_ms += count * len;
      pb.live_ms += len;
    }
  });
  std::vector<PresenceBucket> out;
  std::size_t i = 0;
  for (auto& [start, pb] : by_start) {
    while (i + 1 < steps.size() && steps[i + 1].at < start + size) ++i;
    pb.at_end = steps[i].at < start + size ? steps[i].count : 0;
    out.push_back(pb);
  }
  return out;
}

std::vector<std::int64_t> curve_of(const std::vector<Step>& steps, std::int64_t start, std::int64_t end,
                                   std::int64_t& slot_ms) {
  const auto duration = end - start;
  slot_ms = std::max<std::int64_t>(60'000, (duration + kCurvePoints - 1) / kCurvePoints);
  std::vector<std::int64_t> curve(static_cast<std::size_t>(std::max<std::int64_t>(1, (duration + slot_ms - 1) / slot_ms)), 0);
  for_each_segment(steps, end, [&](std::int64_t from, std::int64_t to, std::int64_t count) {
    if (to <= from) return;
    for (auto k = (from - start) / slot_ms; k <= (to - 1 - start) / slot_ms; ++k)
      curve[static_cast<std::size_t>(k)] = std::max(curve[static_cast<std::size_t>(k)], count);
  });
  return curve;
}

}  // namespace

PartyPresence party_presence(std::vector<PresenceEvent> events, std::int64_t now) {
  std::stable_sort(events.begin(), events.end(), [](auto& a, auto& b) { return a.at < b.at; });
  auto s = sweep(with_stale_resets(events, now));
  PartyPresence p;
  if (s.members.empty()) return p;
  // From the first connection: a disconnection before it (its connection older than what was read) is no presence.
  auto first = std::find_if(s.steps.begin(), s.steps.end(), [](auto& st) { return st.count > 0; });
  s.steps.erase(s.steps.begin(), first);
  if (s.steps.empty()) return p;
  p.started_at = s.steps.front().at;
  p.present_now = s.steps.back().count;
  p.live = p.present_now > 0;
  p.ended_at = p.live ? std::max(now, s.steps.back().at) : s.steps.back().at;
  p.members = static_cast<std::int64_t>(s.members.size());
  for_each_segment(s.steps, p.ended_at, [&](std::int64_t from, std::int64_t to, std::int64_t count) {
    if (to <= from) return;
    p.peak = std::max(p.peak, count);
    p.member_ms += count * (to - from);
    if (count > 0) p.live_ms += to - from;
  });
  if (p.peak == 0)
    for (auto& st : s.steps) p.peak = std::max(p.peak, st.count);
  std::int64_t stayed = 0;
  for (auto& m : s.members) {
    const bool present = s.sockets[m] > 0;
    auto gone = s.gone_at.find(m);
    if (present || (gone != s.gone_at.end() && gone->second >= p.ended_at - kStayedToEndMs)) ++stayed;
  }
  p.left_early = p.members - stayed;
  p.curve = curve_of(s.steps, p.started_at, p.ended_at, p.slot_ms);
  p.hours = buckets_of(s.steps, p.ended_at, Granularity::hour);
  p.days = buckets_of(s.steps, p.ended_at, Granularity::day);
  return p;
}

}  // namespace wp::analytics

#include "modules/notifications/quiet_hours.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <vector>

#include "core/validators.hpp"

namespace wp::notifications {

namespace {

// A zone as TZif describes it: transition instants and the offset after each.
struct Zone {
  std::vector<std::int64_t> at_s;
  std::vector<int> offset_after;
  int initial_offset = 0;
};

std::int64_t be(const std::string& d, std::size_t pos, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(d[pos + i]);
  if (bytes == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
  return static_cast<std::int64_t>(v);
}

// Reads the 64-bit block of a version 2+ file, or the 32-bit one of version 1.
Zone parse_tzif(const std::string& d) {
  Zone z;
  if (d.size() < 44 || d.compare(0, 4, "TZif") != 0) return z;
  auto counts = [&](std::size_t h) {
    return std::array<std::int64_t, 6>{be(d, h + 20, 4), be(d, h + 24, 4), be(d, h + 28, 4),
                                       be(d, h + 32, 4), be(d, h + 36, 4), be(d, h + 40, 4)};
  };
  std::size_t header = 0;
  int time_bytes = 4;
  auto c = counts(0);  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
  if (d[4] >= '2') {
    std::size_t v1 = 44 + c[3] * 5 + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
    if (d.size() < v1 + 44) return z;
    header = v1;
    time_bytes = 8;
    c = counts(header);
  }
  std::size_t times = header + 44, idx = times + c[3] * time_bytes, types = idx + c[3];
  if (d.size() < types + c[4] * 6 || c[4] == 0) return z;
  auto offset_of = [&](std::size_t type) { return static_cast<int>(be(d, types + type * 6, 4)); };
  z.initial_offset = offset_of(0);
  for (std::int64_t i = 0; i < c[3]; ++i) {
    auto type = static_cast<unsigned char>(d[idx + i]);
    if (type >= c[4]) break;
    z.at_s.push_back(be(d, times + i * time_bytes, time_bytes));
    z.offset_after.push_back(offset_of(type));
  }
  return z;
}

const Zone& zone_named(const std::string& name) {
  static std::mutex mu;
  static std::map<std::string, Zone> cache;
  std::lock_guard lock(mu);
  auto it = cache.find(name);
  if (it != cache.end()) return it->second;
  Zone z;
  if (!validators::iana_timezone(name)) {
    std::ifstream in("/usr/share/zoneinfo/" + name, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    z = parse_tzif(data);
  }
  return cache.emplace(name, std::move(z)).first->second;
}

}  // namespace

int utc_offset_s(const std::string& zone, std::int64_t at_ms) {
  if (zone.empty()) return 0;
  const auto& z = zone_named(zone);
  std::int64_t at = at_ms / 1000;
  auto it = std::upper_bound(z.at_s.begin(), z.at_s.end(), at);
  if (it == z.at_s.begin()) return z.initial_offset;
  return z.offset_after[static_cast<std::size_t>(it - z.at_s.begin() - 1)];
}

std::optional<std::int64_t> quiet_until(std::int64_t now_ms, const std::string& zone, int start_min, int end_min) {
  if (start_min == end_min) return std::nullopt;
  constexpr std::int64_t kDayMs = 24 * 3600 * 1000;
  std::int64_t local = now_ms + std::int64_t{utc_offset_s(zone, now_ms)} * 1000;
  std::int64_t into_day = ((local % kDayMs) + kDayMs) % kDayMs;
  std::int64_t start = std::int64_t{start_min} * 60000, end = std::int64_t{end_min} * 60000;
  bool quiet = start < end ? (into_day >= start && into_day < end) : (into_day >= start || into_day < end);
  if (!quiet) return std::nullopt;
  std::int64_t wait = end - into_day;
  if (wait <= 0) wait += kDayMs;
  // A change of offset inside the span (a DST switch at night) is not followed: the
  // span ends at most an hour early or late that night.
  return now_ms + wait;
}

}  // namespace wp::notifications

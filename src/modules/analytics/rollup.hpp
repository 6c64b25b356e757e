#pragma once
// The rollups' buckets and windows, pure. A run recomputes every bucket
// that may have changed since the watermark (minus the late window) from the
// raw events and replaces it whole: a re-run changes nothing, and an event
// that arrives late (within the window) is counted once, in its bucket.
#include <cstdint>
#include <optional>
#include <vector>

#include "core/enum_names.hpp"

namespace wp::analytics {

enum class Granularity { hour, day };
inline constexpr Granularity kGranularities[] = {Granularity::hour, Granularity::day};

std::int64_t bucket_ms(Granularity g);
std::int64_t bucket_floor(std::int64_t t, Granularity g);

// [from, to): whole buckets, from the one holding `since` to the one holding `now` included.
struct BucketRange {
  std::int64_t from = 0, to = 0;
};
BucketRange buckets_to_recompute(std::int64_t since, std::int64_t now, Granularity g);

// Where a run starts: the watermark minus the late window, or the first event
// when there is no watermark yet; nullopt when there is nothing to do.
std::optional<std::int64_t> rollup_since(std::optional<std::int64_t> watermark,
                                         std::optional<std::int64_t> first_event, std::int64_t late_ms);

}  // namespace wp::analytics

WP_ENUM_NAMES(wp::analytics::Granularity, {wp::analytics::Granularity::hour, "hour"},
              {wp::analytics::Granularity::day, "day"});

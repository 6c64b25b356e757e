#include "modules/analytics/rollup.hpp"

namespace wp::analytics {

std::int64_t bucket_ms(Granularity g) { return g == Granularity::hour ? 3'600'000 : 86'400'000; }

std::int64_t bucket_floor(std::int64_t t, Granularity g) {
  const auto size = bucket_ms(g);
  auto q = t / size;
  if (t % size != 0 && t < 0) --q;
  return q * size;
}

BucketRange buckets_to_recompute(std::int64_t since, std::int64_t now, Granularity g) {
  return {bucket_floor(since, g), bucket_floor(now, g) + bucket_ms(g)};
}

std::optional<std::int64_t> rollup_since(std::optional<std::int64_t> watermark,
                                         std::optional<std::int64_t> first_event, std::int64_t late_ms) {
  if (watermark) return *watermark - late_ms;
  return first_event;
}

}  // namespace wp::analytics

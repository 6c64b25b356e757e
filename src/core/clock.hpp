#pragma once
// Times are stored as milliseconds since the Unix epoch (UTC) and shown to
// clients as RFC 3339 with milliseconds.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wp {

inline constexpr std::int64_t kDayMs = 86'400'000;

std::int64_t now_ms();
// Fractional milliseconds, for the realtime wire where sub-ms precision matters.
double now_ms_precise();
std::string to_rfc3339(std::int64_t epoch_ms);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff](Z|+hh:mm|-hh:mm)"; nullopt when invalid.
std::optional<std::int64_t> parse_rfc3339(std::string_view s);

}  // namespace wp

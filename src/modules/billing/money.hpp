#pragma once
// Money is integers in minor units with an ISO 4217 currency. Pure; tested directly.
#include <cstdint>
#include <string>

namespace wp::billing {

// Digits after the decimal point (JPY: 0, EUR: 2, KWD: 3).
int minor_digits(const std::string& currency);
// "4.99 EUR", "-1,000 JPY" (no thousands separator: "1000 JPY").
std::string format_amount(std::int64_t minor, const std::string& currency);
// The tax inside a tax-inclusive total at a rate in basis points, rounded half up.
std::int64_t tax_included(std::int64_t total, int rate_bp);
// UTC calendar year of a time in ms.
int year_of(std::int64_t epoch_ms);

}  // namespace wp::billing

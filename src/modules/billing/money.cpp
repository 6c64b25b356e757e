#include "modules/billing/money.hpp"

#include <ctime>

namespace wp::billing {

int minor_digits(const std::string& currency) {
  static constexpr const char* kZero[] = {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA",
                                          "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"};
  static constexpr const char* kThree[] = {"BHD", "JOD", "KWD", "OMR", "TND"};
  for (auto c : kZero)
    if (currency == c) return 0;
  for (auto c : kThree)
    if (currency == c) return 3;
  return 2;
}

std::string format_amount(std::int64_t minor, const std::string& currency) {
  int digits = minor_digits(currency);
  bool negative = minor < 0;
  std::uint64_t v = negative ? 0 - static_cast<std::uint64_t>(minor) : static_cast<std::uint64_t>(minor);
  std::uint64_t scale = 1;
  for (int i = 0; i < digits; ++i) scale *= 10;
  std::string out = (negative ? "-" : "") + std::to_string(v / scale);
  if (digits > 0) {
    std::string frac = std::to_string(v % scale);
    out += "." + std::string(static_cast<std::size_t>(digits) - frac.size(), '0') + frac;
  }
  return out + " " + currency;
}

std::int64_t tax_included(std::int64_t total, int rate_bp) {
  if (rate_bp <= 0 || total <= 0) return 0;
  std::int64_t denominator = 10000 + rate_bp;
  return (total * rate_bp + denominator / 2) / denominator;
}

int year_of(std::int64_t epoch_ms) {
  std::time_t t = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm.tm_year + 1900;
}

}  // namespace wp::billing

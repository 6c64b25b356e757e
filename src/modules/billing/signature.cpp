#include "modules/billing/signature.hpp"

#include <charconv>
#include <optional>
#include <vector>

#include "core/crypto.hpp"

namespace wp::billing {

namespace {

std::string hex(const std::string& raw) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(raw.size() * 2);
  for (unsigned char c : raw) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string sign_payload(const std::string& secret, std::int64_t t, std::string_view payload) {
  std::string signed_text = std::to_string(t);
  signed_text += '.';
  signed_text.append(payload);
  return hex(crypto::hmac_sha256(secret, signed_text));
}

SignatureCheck verify_signature(std::string_view header, std::string_view payload, const std::string& secret,
                                std::int64_t now_s, int tolerance_s) {
  if (secret.empty()) return SignatureCheck::mismatch;
  std::optional<std::int64_t> t;
  std::vector<std::string_view> v1;
  while (!header.empty()) {
    auto comma = header.find(',');
    auto item = trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    auto eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    auto key = item.substr(0, eq), value = item.substr(eq + 1);
    if (key == "t") {
      std::int64_t parsed = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
      if (ec != std::errc{} || p != value.data() + value.size()) return SignatureCheck::malformed;
      t = parsed;
    } else if (key == "v1") {
      v1.push_back(value);
    }
  }
  if (!t || v1.empty()) return SignatureCheck::malformed;
  if (*t < now_s - tolerance_s || *t > now_s + tolerance_s) return SignatureCheck::stale;
  auto expected = sign_payload(secret, *t, payload);
  bool match = false;
  // Every candidate is compared, so the time taken does not tell which one matched.
  for (auto candidate : v1) match = crypto::constant_time_equal(expected, candidate) || match;
  return match ? SignatureCheck::valid : SignatureCheck::mismatch;
}

}  // namespace wp::billing

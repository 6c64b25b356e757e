#include "core/validators.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string_view>

#include "core/clock.hpp"

namespace wp::validators {

std::string lower(std::string v) {
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  return v;
}

std::string upper(std::string v) {
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::toupper(c); });
  return v;
}

std::string normalize_email(const std::string& v) {
  auto b = v.find_first_not_of(" \t");
  auto e = v.find_last_not_of(" \t");
  std::string s = b == std::string::npos ? "" : v.substr(b, e - b + 1);
  auto at = s.rfind('@');
  if (at == std::string::npos) return s;
  return s.substr(0, at + 1) + lower(s.substr(at + 1));
}

std::optional<std::string> email(const std::string& v) {
  auto at = v.find('@');
  if (v.size() > 254 || at == std::string::npos || at == 0 || v.find('@', at + 1) != std::string::npos ||
      at > 64)
    return "Enter a valid email address.";
  std::string domain = v.substr(at + 1);
  if (domain.size() < 3 || domain.find('.') == std::string::npos || domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string::npos)
    return "Enter a valid email address.";
  for (unsigned char c : v)
    if (c <= ' ' || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' || c == ';' || c == '"' || c == '\\')
      return "Enter a valid email address.";
  return std::nullopt;
}

std::optional<std::string> username(const std::string& v) {
  if (v.size() < 3 || v.size() > 30) return "Must be 3 to 30 characters.";
  for (unsigned char c : v)
    if (!std::isalnum(c) && c != '_' && c != '.' && c != '-')
      return "Only letters, digits, and _ . - are allowed.";
  return std::nullopt;
}

std::optional<std::string> iana_timezone(const std::string& v) {
  static const char* kInvalid = "Enter a valid IANA time zone name, such as Europe/Paris.";
  if (v.empty() || v.size() > 64 || v.front() == '/' || v.find("..") != std::string::npos) return kInvalid;
  for (unsigned char c : v)
    if (!std::isalnum(c) && c != '/' && c != '_' && c != '-' && c != '+') return kInvalid;
  std::error_code ec;
  auto path = std::filesystem::path("/usr/share/zoneinfo") / v;
  if (!std::filesystem::is_regular_file(path, ec)) return kInvalid;
  return std::nullopt;
}

std::optional<std::string> country_code(const std::string& v) {
  // ISO 3166-1 alpha-2, officially assigned codes.
  static constexpr std::string_view kCodes =
      "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY "
      "BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK "
      "FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR "
      "IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK "
      "ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM "
      "PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF "
      "TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";
  if (v.size() != 2 || !std::isupper(static_cast<unsigned char>(v[0])) ||
      !std::isupper(static_cast<unsigned char>(v[1])) || kCodes.find(v) == std::string_view::npos ||
      kCodes.find(v) % 3 != 0)
    return "Enter an ISO 3166-1 alpha-2 country code, such as FR.";
  return std::nullopt;
}

std::optional<std::string> past_date(const std::string& v) {
  auto t = parse_rfc3339(v + "T00:00:00Z");
  if (v.size() != 10 || !t) return "Enter a date as YYYY-MM-DD.";
  if (*t >= now_ms()) return "The date must be in the past.";
  if (*t < *parse_rfc3339("1900-01-01T00:00:00Z")) return "The date must be after 1900-01-01.";
  return std::nullopt;
}

std::optional<std::string> e164_phone(const std::string& v) {
  if (v.size() < 9 || v.size() > 16 || v[0] != '+' || v[1] == '0' ||
      !std::all_of(v.begin() + 1, v.end(), [](unsigned char c) { return std::isdigit(c); }))
    return "Enter a phone number in international format, such as +33612345678.";
  return std::nullopt;
}

}  // namespace wp::validators

#pragma once
// Format checks shared by modules. Each returns the problem, or nullopt.
#include <optional>
#include <string>

namespace wp::validators {

std::optional<std::string> email(const std::string& v);
std::optional<std::string> username(const std::string& v);
std::optional<std::string> iana_timezone(const std::string& v);
std::optional<std::string> country_code(const std::string& v);  // ISO 3166-1 alpha-2
std::optional<std::string> past_date(const std::string& v);      // YYYY-MM-DD, after 1900, before today
std::optional<std::string> e164_phone(const std::string& v);

// Lower-cases the domain and trims spaces; the key for uniqueness is all lower case.
std::string normalize_email(const std::string& v);
std::string lower(std::string v);
std::string upper(std::string v);

}  // namespace wp::validators

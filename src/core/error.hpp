#pragma once
// The one error type of the server. Services throw it; http/error_response
// turns it into a status and the JSON envelope. Nothing else maps errors.
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace wp {

enum class ErrorCode {
  validation,           // 400
  authentication,       // 401
  forbidden,            // 403
  plan_limit,           // 403: beyond what the user's plan allows (core/plans.hpp); errors.limit names it
  not_found,            // 404
  method_not_allowed,   // 405
  conflict,             // 409
  call_full,            // 409: a voice chat at its mesh limit with no SFU (parties)
  payload_too_large,    // 413
  header_too_large,     // 431
  unsupported_media,    // 415
  rate_limited,         // 429
  unavailable,          // 503
  not_implemented,      // 501
  internal,             // 500
};

using FieldErrors = std::map<std::string, std::vector<std::string>>;

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string message, FieldErrors fields = {})
      : std::runtime_error(std::move(message)), code_(code), fields_(std::move(fields)) {}

  ErrorCode code() const { return code_; }
  const FieldErrors& fields() const { return fields_; }
  std::optional<int> retry_after() const { return retry_after_; }
  Error& with_retry_after(int seconds) {
    retry_after_ = seconds;
    return *this;
  }
  // A value the client acts on, beyond the message (the envelope's "details").
  const std::map<std::string, std::string>& details() const { return details_; }
  Error& with_detail(std::string key, std::string value) {
    details_[std::move(key)] = std::move(value);
    return *this;
  }

 private:
  ErrorCode code_;
  FieldErrors fields_;
  std::optional<int> retry_after_;
  std::map<std::string, std::string> details_;
};

int http_status(ErrorCode code);
std::string_view error_code_name(ErrorCode code);
// Every envelope error_code, for the OpenAPI document.
std::vector<std::string_view> error_code_names();

// Shorthands for the common cases, so call sites read as the rule they enforce.
[[noreturn]] void throw_not_found(std::string what = "Not found.");
[[noreturn]] void throw_forbidden(std::string why = "You do not have permission to perform this action.");
[[noreturn]] void throw_conflict(std::string why);
[[noreturn]] void throw_validation(std::string field, std::string why);

}  // namespace wp

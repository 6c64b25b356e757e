#include "core/error.hpp"

namespace wp {

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::validation: return 400;
    case ErrorCode::authentication: return 401;
    case ErrorCode::forbidden: return 403;
    case ErrorCode::not_found: return 404;
    case ErrorCode::method_not_allowed: return 405;
    case ErrorCode::conflict: return 409;
    case ErrorCode::payload_too_large: return 413;
    case ErrorCode::header_too_large: return 431;
    case ErrorCode::unsupported_media: return 415;
    case ErrorCode::rate_limited: return 429;
    case ErrorCode::unavailable: return 503;
    case ErrorCode::internal: return 500;
  }
  return 500;
}

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::validation: return "VALIDATION_ERROR";
    case ErrorCode::authentication: return "AUTHENTICATION_REQUIRED";
    case ErrorCode::forbidden: return "ACCESS_FORBIDDEN";
    case ErrorCode::not_found: return "RESOURCE_NOT_FOUND";
    case ErrorCode::method_not_allowed: return "METHOD_NOT_ALLOWED";
    case ErrorCode::conflict: return "CONFLICT";
    case ErrorCode::payload_too_large: return "PAYLOAD_TOO_LARGE";
    case ErrorCode::header_too_large: return "REQUEST_HEADER_FIELDS_TOO_LARGE";
    case ErrorCode::unsupported_media: return "UNSUPPORTED_MEDIA_TYPE";
    case ErrorCode::rate_limited: return "RATE_LIMITED";
    case ErrorCode::unavailable: return "SERVICE_UNAVAILABLE";
    case ErrorCode::internal: return "INTERNAL_ERROR";
  }
  return "INTERNAL_ERROR";
}

void throw_not_found(std::string what) { throw Error(ErrorCode::not_found, std::move(what)); }
void throw_forbidden(std::string why) { throw Error(ErrorCode::forbidden, std::move(why)); }
void throw_conflict(std::string why) { throw Error(ErrorCode::conflict, std::move(why)); }
void throw_validation(std::string field, std::string why) {
  FieldErrors f;
  f[field].push_back(why);
  throw Error(ErrorCode::validation, "Invalid input.", std::move(f));
}

}  // namespace wp

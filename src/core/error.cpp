#include "core/error.hpp"

namespace wp {

namespace {

// Every code once: its status and its name in the envelope.
struct Kind {
  ErrorCode code;
  int status;
  std::string_view name;
};
constexpr Kind kKinds[] = {
    {ErrorCode::validation, 400, "VALIDATION_ERROR"},
    {ErrorCode::authentication, 401, "AUTHENTICATION_REQUIRED"},
    {ErrorCode::forbidden, 403, "ACCESS_FORBIDDEN"},
    {ErrorCode::plan_limit, 403, "PLAN_LIMIT"},
    {ErrorCode::not_found, 404, "RESOURCE_NOT_FOUND"},
    {ErrorCode::method_not_allowed, 405, "METHOD_NOT_ALLOWED"},
    {ErrorCode::conflict, 409, "CONFLICT"},
    {ErrorCode::call_full, 409, "CALL_FULL"},
    {ErrorCode::payload_too_large, 413, "PAYLOAD_TOO_LARGE"},
    {ErrorCode::header_too_large, 431, "REQUEST_HEADER_FIELDS_TOO_LARGE"},
    {ErrorCode::unsupported_media, 415, "UNSUPPORTED_MEDIA_TYPE"},
    {ErrorCode::rate_limited, 429, "RATE_LIMITED"},
    {ErrorCode::unavailable, 503, "SERVICE_UNAVAILABLE"},
    {ErrorCode::not_implemented, 501, "NOT_IMPLEMENTED"},
    {ErrorCode::internal, 500, "INTERNAL_ERROR"},
};

const Kind& kind(ErrorCode code) {
  for (auto& k : kKinds)
    if (k.code == code) return k;
  return kKinds[std::size(kKinds) - 1];
}

}  // namespace

int http_status(ErrorCode code) { return kind(code).status; }

std::string_view error_code_name(ErrorCode code) { return kind(code).name; }

std::vector<std::string_view> error_code_names() {
  std::vector<std::string_view> names;
  for (auto& k : kKinds) names.push_back(k.name);
  return names;
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

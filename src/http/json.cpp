#include "http/json.hpp"

#include "core/clock.hpp"
#include "core/json_input.hpp"

namespace wp::http {

Response json_response(const boost::json::value& body, int status) {
  Response r;
  r.status = status;
  r.body = boost::json::serialize(body);
  return r;
}

Response success_response(boost::json::object extra, int status) {
  extra["success"] = true;
  return json_response(extra, status);
}

boost::json::value time_or_null(const std::optional<std::int64_t>& epoch_ms) {
  return epoch_ms ? boost::json::value(to_rfc3339(*epoch_ms)) : boost::json::value(nullptr);
}

Response error_response(const Error& error, const std::string& request_id) {
  boost::json::object env;
  env["success"] = false;
  env["error_code"] = error_code_name(error.code());
  env["message"] = error.what();
  boost::json::object fields;
  for (auto& [name, msgs] : error.fields()) {
    boost::json::array a;
    for (auto& m : msgs) a.emplace_back(m);
    fields[name] = std::move(a);
  }
  env["errors"] = std::move(fields);
  if (!error.details().empty()) {
    boost::json::object details;
    for (auto& [key, value] : error.details()) details[key] = value;
    env["details"] = std::move(details);
  }
  env["request_id"] = request_id;
  Response r = json_response(env, http_status(error.code()));
  if (auto ra = error.retry_after()) r.set_header("Retry-After", std::to_string(*ra));
  return r;
}

boost::json::object parse_object_body(const Request& req) {
  if (auto ct = req.header("Content-Type")) {
    std::string base = ct->substr(0, ct->find(';'));
    while (!base.empty() && base.back() == ' ') base.pop_back();
    if (!iequals(base, "application/json"))
      throw Error(ErrorCode::unsupported_media, "Content-Type must be application/json.");
  }
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return {};
  auto v = parse_client_json(req.body);
  if (!v.is_object()) throw Error(ErrorCode::validation, "The body must be a JSON object.");
  return std::move(v.as_object());
}

}  // namespace wp::http

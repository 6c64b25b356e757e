#pragma once
// JSON in and out of handlers, and the error envelope.
#include <cstdint>
#include <optional>

#include <boost/json.hpp>

#include "core/error.hpp"
#include "http/message.hpp"

namespace wp::http {

Response json_response(const boost::json::value& body, int status = 200);
// {"success": true, ...extra}
Response success_response(boost::json::object extra = {}, int status = 200);
// The one place an Error becomes a status and the DESIGN.md envelope.
Response error_response(const Error& error, const std::string& request_id);

// An RFC 3339 time, or null when there is none.
boost::json::value time_or_null(const std::optional<std::int64_t>& epoch_ms);

// The body as a JSON object: 415 for a non-JSON content type, 400 for bad JSON.
// An empty body reads as {}.
boost::json::object parse_object_body(const Request& req);

}  // namespace wp::http

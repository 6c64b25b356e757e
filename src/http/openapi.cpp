#include "http/openapi.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

#include "http/json.hpp"

namespace wp::http {

namespace json = boost::json;

namespace {

json::value schema_or(const std::string& text, json::value fallback) {
  if (text.empty()) return fallback;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return ec ? fallback : v;
}

std::string operation_id(const Route& r) {
  std::string id;
  for (char c : r.method) id.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  for (char c : r.pattern) id.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  while (!id.empty() && id.back() == '_') id.pop_back();
  return id;
}

json::object error_ref(const char* description) {
  return {{"description", description},
          {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

}  // namespace

std::string openapi_document(const Router& router, const std::string& version) {
  json::object paths;
  for (auto& r : router.routes()) {
    std::string path = r.pattern;
    // {name:path} is a template variable named name in OpenAPI.
    if (auto p = path.find(":path}"); p != std::string::npos) path.erase(p, 5);
    json::object op;
    op["operationId"] = operation_id(r);
    op["summary"] = r.summary;
    if (!r.tag.empty()) op["tags"] = json::array{json::value(r.tag)};
    op["x-access"] = r.access == Access::anonymous ? "anonymous" : r.access == Access::user ? "user" : "staff";
    if (r.access == Access::anonymous)
      op["security"] = json::array{};
    else
      op["security"] = json::array{json::object{{"bearerAuth", json::array{}}}, json::object{{"cookieAuth", json::array{}}}};
    json::array params;
    for (std::size_t i = 0; i < path.size(); ++i) {
      if (path[i] != '{') continue;
      auto end = path.find('}', i);
      std::string name = path.substr(i + 1, end - i - 1);
      json::object schema{{"type", "string"}};
      if (name == "id" || name.ends_with("_id")) schema["format"] = "uuid";
      params.push_back(json::object{{"name", name}, {"in", "path"}, {"required", true}, {"schema", schema}});
    }
    if (!params.empty()) op["parameters"] = std::move(params);
    if (r.method == "POST" || r.method == "PUT" || r.method == "PATCH") {
      op["requestBody"] = json::object{
          {"content", {{"application/json", {{"schema", schema_or(r.request_schema, json::object{{"type", "object"}})}}}}}};
    }
    json::object responses;
    responses["2XX"] = json::object{
        {"description", "Success"},
        {"content", {{"application/json", {{"schema", schema_or(r.response_schema, json::object{{"type", "object"}})}}}}}};
    responses["400"] = error_ref("Invalid input");
    if (r.access != Access::anonymous) responses["401"] = error_ref("Not authenticated");
    if (r.access == Access::staff) responses["403"] = error_ref("Not staff");
    responses["default"] = error_ref("Error envelope");
    op["responses"] = std::move(responses);
    std::string method;
    for (char c : r.method) method.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (!paths.contains(path)) paths[path] = json::object{};
    paths[path].as_object()[method] = std::move(op);
  }

  json::array error_codes;
  for (auto name : error_code_names()) error_codes.emplace_back(name);
  json::object error_schema{
      {"type", "object"},
      {"required", json::array{"success", "error_code", "message", "errors", "request_id"}},
      {"properties",
       {{"success", {{"type", "boolean"}, {"const", false}}},
        {"error_code",
         {{"type", "string"},
          {"enum", error_codes}}},
        {"message", {{"type", "string"}}},
        {"errors", {{"type", "object"}, {"additionalProperties", {{"type", "array"}, {"items", {{"type", "string"}}}}}}},
        {"request_id", {{"type", "string"}}}}}};

  json::object doc{
      {"openapi", "3.1.0"},
      {"info", {{"title", "watchparty API"}, {"version", version}}},
      {"paths", std::move(paths)},
      {"components",
       {{"schemas", {{"Error", std::move(error_schema)}}},
        {"securitySchemes",
         {{"bearerAuth", {{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT"}}},
          {"cookieAuth", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "wp_access"}}}}}}}};
  return json::serialize(doc);
}

}  // namespace wp::http

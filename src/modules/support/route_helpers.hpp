#pragma once
// Reading the support routes' inputs (both route files use them).
#include <boost/json.hpp>

#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "core/enum_names.hpp"
#include "core/fields.hpp"
#include "core/ids.hpp"
#include "core/validators.hpp"
#include "http/message.hpp"

namespace wp::support {

// A vocabulary field of the body; an unknown value is an error on f listing the allowed ones.
template <class E>
std::optional<E> enum_field(Fields& f, const boost::json::object& body, const char* name) {
  auto v = body.if_contains(name);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_string()) {
    f.add_error(name, "Must be one of " + enum_choices<E>() + ".");
    return std::nullopt;
  }
  auto e = parse_enum<E>(std::string_view(v->as_string()));
  if (!e) f.add_error(name, "Must be one of " + enum_choices<E>() + ".");
  return e;
}

// ?name= as one of E's values (400 listing them).
template <class E>
std::optional<E> enum_query(const http::Request& req, const char* name) {
  auto text = req.query(name);
  if (!text || text->empty()) return std::nullopt;
  return require_enum<E>(name, *text);
}

// ?name= as a whole number in [lo, hi], or a 400.
inline std::optional<int> int_query(const http::Request& req, const char* name, int lo, int hi) {
  auto text = req.query(name);
  if (!text || text->empty()) return std::nullopt;
  int v = 0;
  auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc{} || p != text->data() + text->size() || v < lo || v > hi)
    throw_validation(name, "Must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) + ".");
  return v;
}

// An optional id field: absent, or a UUID (lower case); errors go to f.
inline std::optional<std::string> id_field(Fields& f, const char* name) {
  auto v = f.optional_string(name, 36);
  if (v && !is_uuid(*v)) {
    f.add_error(name, "Must be an id (UUID).");
    return std::nullopt;
  }
  if (v) *v = validators::lower(*v);
  return v;
}

}  // namespace wp::support

#pragma once
// JSON from clients (request bodies, socket messages), parsed with limits.
// Shape is checked before any memory is spent on a document (depth, number of
// values, length of each string), and the document then lives in an arena of
// its own that is released whole with it: a hostile body of half a million
// tiny elements is refused for nothing instead of costing tens of megabytes.
#include <boost/json/value.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace wp {

struct JsonLimits {
  std::size_t max_depth = 32;        // nesting of arrays and objects
  std::size_t max_values = 10'000;   // every value, keys not counted
  std::size_t max_string = 65'536;   // bytes of one string or key
};

// The default for bodies and socket messages.
inline constexpr JsonLimits kClientJsonLimits{};

// Throws wp::Error (validation, 400) naming the limit or the syntax error.
// The value (and every copy that keeps its storage) holds the arena.
boost::json::value parse_client_json(std::string_view text, const JsonLimits& limits = kClientJsonLimits);
// The same for socket messages, which answer an error message rather than throw.
std::optional<boost::json::value> try_parse_client_json(std::string_view text,
                                                        const JsonLimits& limits = kClientJsonLimits);

// A JSON object this server wrote as text (stored settings and payloads, its own realtime
// messages); {} when the text is not one.
boost::json::object stored_object(std::string_view text);

// One top-level field of a client's object, as scan_client_object reads it.
// Of a key given twice the last counts, as in a parsed document.
struct JsonField {
  enum class Kind { absent, string, number, boolean, other };
  std::string_view key;  // in: the field's name
  Kind kind = Kind::absent;
  std::string text;    // Kind::string: the value, unescaped
  double number = 0;   // Kind::number: as value::to_number<double>
  bool boolean = false;
};

// The few top-level fields a socket message is read by, in one pass that
// builds no document, under the same limits as try_parse_client_json. False
// for what that refuses and for any document other than an object.
bool scan_client_object(std::string_view text, std::span<JsonField> fields,
                        const JsonLimits& limits = kClientJsonLimits);

}  // namespace wp

#include "core/json_input.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <array>
#include <string>

#include "core/error.hpp"

namespace wp {

namespace {

// Counts what a document would hold, building nothing.
struct ShapeCheck {
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);
  using ec_t = boost::system::error_code;
  using sv = boost::json::string_view;

  const JsonLimits& limits;
  std::size_t depth = 0;
  std::size_t values = 0;
  const char* refused = nullptr;

  bool refuse(const char* why, ec_t& ec) {
    refused = why;
    ec = boost::json::error::exception;
    return false;
  }
  bool value(ec_t& ec) { return ++values > limits.max_values ? refuse("too many values", ec) : true; }
  bool open(ec_t& ec) {
    if (++depth > limits.max_depth) return refuse("nested too deeply", ec);
    return value(ec);
  }
  bool text(std::size_t total, ec_t& ec) { return total > limits.max_string ? refuse("a string is too long", ec) : true; }

  bool on_document_begin(ec_t&) { return true; }
  bool on_document_end(ec_t&) { return true; }
  bool on_array_begin(ec_t& ec) { return open(ec); }
  bool on_array_end(std::size_t, ec_t&) { return --depth, true; }
  bool on_object_begin(ec_t& ec) { return open(ec); }
  bool on_object_end(std::size_t, ec_t&) { return --depth, true; }
  bool on_string_part(sv, std::size_t n, ec_t& ec) { return text(n, ec); }
  bool on_string(sv, std::size_t n, ec_t& ec) { return text(n, ec) && value(ec); }
  bool on_key_part(sv, std::size_t n, ec_t& ec) { return text(n, ec); }
  bool on_key(sv, std::size_t n, ec_t& ec) { return text(n, ec); }
  bool on_number_part(sv, ec_t&) { return true; }
  bool on_int64(std::int64_t, sv, ec_t& ec) { return value(ec); }
  bool on_uint64(std::uint64_t, sv, ec_t& ec) { return value(ec); }
  bool on_double(double, sv, ec_t& ec) { return value(ec); }
  bool on_bool(bool, ec_t& ec) { return value(ec); }
  bool on_null(ec_t& ec) { return value(ec); }
  bool on_comment_part(sv, ec_t&) { return true; }
  bool on_comment(sv, ec_t&) { return true; }
};

// ShapeCheck that also keeps the wanted top-level fields of an object.
// Depth 1 is the top-level object's inside: its keys, and its values' first events.
struct FieldScan : ShapeCheck {
  std::span<JsonField> fields;
  JsonField* current = nullptr;  // the wanted field whose value comes next
  std::array<char, 32> key{};    // the key so far; longer ones are no field's
  std::size_t key_size = 0;

  // Any value but a string (objects and arrays: their first event).
  bool other(JsonField::Kind kind, ec_t& ec) {
    if (depth == 0) return refuse("not an object", ec);
    if (depth == 1 && current) {
      current->kind = kind;
      current->text.clear();
      current = nullptr;
    }
    return true;
  }
  void key_text(sv s, std::size_t n) {
    if (n > key.size()) {
      key_size = key.size() + 1;
    } else {
      std::copy(s.begin(), s.end(), key.begin() + (n - s.size()));
      key_size = n;
    }
  }
  void string_text(sv s, std::size_t n) {
    if (depth != 1 || !current) return;
    if (n == s.size()) current->text.clear();
    current->text.append(s.data(), s.size());
  }

  bool on_object_begin(ec_t& ec) {
    return (depth == 0 || other(JsonField::Kind::other, ec)) && ShapeCheck::on_object_begin(ec);
  }
  bool on_array_begin(ec_t& ec) { return other(JsonField::Kind::other, ec) && ShapeCheck::on_array_begin(ec); }
  bool on_key_part(sv s, std::size_t n, ec_t& ec) {
    if (depth == 1) key_text(s, n);
    return ShapeCheck::on_key_part(s, n, ec);
  }
  bool on_key(sv s, std::size_t n, ec_t& ec) {
    if (depth == 1) {
      key_text(s, n);
      current = nullptr;
      if (key_size <= key.size()) {
        std::string_view k(key.data(), key_size);
        for (auto& f : fields)
          if (f.key == k) current = &f;
      }
    }
    return ShapeCheck::on_key(s, n, ec);
  }
  bool on_string_part(sv s, std::size_t n, ec_t& ec) {
    if (depth == 0) return refuse("not an object", ec);
    string_text(s, n);
    return ShapeCheck::on_string_part(s, n, ec);
  }
  bool on_string(sv s, std::size_t n, ec_t& ec) {
    if (depth == 0) return refuse("not an object", ec);
    string_text(s, n);
    if (depth == 1 && current) {
      current->kind = JsonField::Kind::string;
      current = nullptr;
    }
    return ShapeCheck::on_string(s, n, ec);
  }
  bool number(double d, ec_t& ec) {
    JsonField* f = depth == 1 ? current : nullptr;
    if (!other(JsonField::Kind::number, ec)) return false;
    if (f) f->number = d;
    return value(ec);
  }
  bool on_int64(std::int64_t i, sv, ec_t& ec) { return number(static_cast<double>(i), ec); }
  bool on_uint64(std::uint64_t u, sv, ec_t& ec) { return number(static_cast<double>(u), ec); }
  bool on_double(double d, sv, ec_t& ec) { return number(d, ec); }
  bool on_bool(bool b, ec_t& ec) {
    JsonField* f = depth == 1 ? current : nullptr;
    if (!other(JsonField::Kind::boolean, ec)) return false;
    if (f) f->boolean = b;
    return value(ec);
  }
  bool on_null(ec_t& ec) { return other(JsonField::Kind::other, ec) && value(ec); }
};

// The document, or why it is refused.
boost::json::value parse_checked(std::string_view text, const JsonLimits& limits, std::string& why) {
  boost::json::parse_options opts;
  opts.max_depth = limits.max_depth + 1;  // the check decides; this only keeps the builder in step
  boost::json::basic_parser<ShapeCheck> check(opts, ShapeCheck{limits});
  boost::system::error_code ec;
  auto used = check.write_some(false, text.data(), text.size(), ec);
  if (check.handler().refused) {
    why = check.handler().refused;
  } else if (ec) {
    why = ec.message();
  } else if (used != text.size()) {
    why = "extra data after the document";
  }
  if (!why.empty()) return nullptr;
  auto arena = boost::json::make_shared_resource<boost::json::monotonic_resource>();
  auto v = boost::json::parse(boost::json::string_view(text.data(), text.size()), ec, std::move(arena), opts);
  if (ec) why = ec.message();
  return v;
}

}  // namespace

boost::json::value parse_client_json(std::string_view text, const JsonLimits& limits) {
  std::string why;
  auto v = parse_checked(text, limits, why);
  if (!why.empty()) throw Error(ErrorCode::validation, "Malformed JSON: " + why + ".");
  return v;
}

bool scan_client_object(std::string_view text, std::span<JsonField> fields, const JsonLimits& limits) {
  boost::json::parse_options opts;
  opts.max_depth = limits.max_depth + 1;  // as parse_checked: the shape check decides
  FieldScan scan{ShapeCheck{limits}};
  scan.fields = fields;
  boost::json::basic_parser<FieldScan> p(opts, std::move(scan));
  boost::system::error_code ec;
  auto used = p.write_some(false, text.data(), text.size(), ec);
  return !ec && used == text.size();
}

std::optional<boost::json::value> try_parse_client_json(std::string_view text, const JsonLimits& limits) {
  std::string why;
  auto v = parse_checked(text, limits, why);
  if (!why.empty()) return std::nullopt;
  return v;
}

boost::json::object stored_object(std::string_view text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  return !ec && v.is_object() ? std::move(v.as_object()) : boost::json::object{};
}

}  // namespace wp

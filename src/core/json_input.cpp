#include "core/json_input.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>

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

std::optional<boost::json::value> try_parse_client_json(std::string_view text, const JsonLimits& limits) {
  std::string why;
  auto v = parse_checked(text, limits, why);
  if (!why.empty()) return std::nullopt;
  return v;
}

}  // namespace wp

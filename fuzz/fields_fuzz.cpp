// libFuzzer target: a JSON body through the limited parser into Fields (every
// kind of field a route reads) and the DTO parsers that take a client's JSON:
// party settings (the PATCH merge and its reading back), the quiet-hours time.
// Only wp::Error (400) may leave them; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/fields.hpp"
#include "core/json_input.hpp"
#include "modules/notifications/dto.hpp"
#include "modules/parties/dto.hpp"

namespace {

void read_fields(const boost::json::object& body) {
  wp::Fields f(body);
  (void)f.required_string("title", 1, 200);
  (void)f.optional_string("description", 2000);
  (void)f.optional_bool("is_public");
  (void)f.optional_int("limit", 1, 100);
  (void)f.optional_number("position", 0, 1e9);
  (void)f.required_bool("accept");
  (void)f.required_number("rate", 0.25, 4);
  (void)f.optional_object("settings");
  try {
    f.done();
  } catch (const wp::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)wp::notifications::parse_minutes(text);
  auto value = wp::try_parse_client_json(text);
  if (!value || !value->is_object()) return 0;
  const auto& body = value->as_object();
  read_fields(body);
  auto merged = wp::parties::merge_settings("{}", body);
  (void)wp::parties::settings_json(wp::parties::parse_settings(merged));
  return 0;
}

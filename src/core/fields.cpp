#include "core/fields.hpp"

#include "core/ids.hpp"
#include "core/validators.hpp"

namespace wp {

namespace {

// No text may hold NUL: PostgreSQL stores none (libpq cut a text value there without a word,
// and JSONB refused it, a 500), and SQLite would keep what PostgreSQL cannot. A JSON string
// carries it as \u0000.
constexpr const char* kNoNul = "Must not contain the NUL character (\\u0000).";

bool has_nul(const boost::json::value& v);

bool has_nul(const boost::json::object& o) {
  for (const auto& [key, e] : o)
    if (key.find('\0') != boost::json::string_view::npos || has_nul(e)) return true;
  return false;
}

bool has_nul(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::string: return v.get_string().find('\0') != boost::json::string::npos;
    case boost::json::kind::array:
      for (const auto& e : v.get_array())
        if (has_nul(e)) return true;
      return false;
    case boost::json::kind::object: return has_nul(v.get_object());
    default: return false;
  }
}

}  // namespace

namespace {
// Length in code points, so limits mean characters to the user, not bytes.
std::size_t utf8_length(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}
}  // namespace

const boost::json::value* Fields::get(const std::string& name) const {
  auto it = body_.find(name);
  if (it == body_.end() || it->value().is_null()) return nullptr;
  return &it->value();
}

void Fields::add_error(const std::string& name, std::string message) { errors_[name].push_back(std::move(message)); }

std::string Fields::required_string(const std::string& name, std::size_t min_len, std::size_t max_len) {
  auto v = get(name);
  if (!v) {
    add_error(name, "This field is required.");
    return {};
  }
  auto s = optional_string(name, max_len);
  if (s && utf8_length(*s) < min_len) {
    add_error(name, min_len <= 1 ? "This field may not be blank."
                                 : "Ensure this field has at least " + std::to_string(min_len) + " characters.");
  }
  return s.value_or("");
}

std::optional<std::string> Fields::optional_string(const std::string& name, std::size_t max_len) {
  auto v = get(name);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    add_error(name, "Must be a string.");
    return std::nullopt;
  }
  std::string s(v->as_string());
  if (s.find('\0') != std::string::npos) {
    add_error(name, kNoNul);
    return std::nullopt;
  }
  if (utf8_length(s) > max_len) {
    add_error(name, "Ensure this field has no more than " + std::to_string(max_len) + " characters.");
    return std::nullopt;
  }
  return s;
}

std::optional<bool> Fields::optional_bool(const std::string& name) {
  auto v = get(name);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    add_error(name, "Must be true or false.");
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<std::int64_t> Fields::optional_int(const std::string& name, std::int64_t lo, std::int64_t hi) {
  auto v = get(name);
  if (!v) return std::nullopt;
  std::int64_t n;
  if (v->is_int64()) {
    n = v->as_int64();
  } else if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    n = static_cast<std::int64_t>(v->as_uint64());
  } else {
    add_error(name, "Must be an integer.");
    return std::nullopt;
  }
  if (n < lo || n > hi) {
    add_error(name, "Must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ".");
    return std::nullopt;
  }
  return n;
}

std::optional<double> Fields::optional_number(const std::string& name, double lo, double hi) {
  auto v = get(name);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    add_error(name, "Must be a number.");
    return std::nullopt;
  }
  double d = v->to_number<double>();
  if (!(d >= lo && d <= hi)) {
    add_error(name, "Must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ".");
    return std::nullopt;
  }
  return d;
}

std::optional<bool> Fields::required_bool(const std::string& name) {
  if (!get(name)) {
    add_error(name, "This field is required.");
    return std::nullopt;
  }
  return optional_bool(name);
}

std::optional<double> Fields::required_number(const std::string& name, double lo, double hi) {
  if (!get(name)) {
    add_error(name, "This field is required.");
    return std::nullopt;
  }
  return optional_number(name, lo, hi);
}

std::optional<boost::json::object> Fields::optional_object(const std::string& name) {
  auto v = get(name);
  if (!v) return std::nullopt;
  if (!v->is_object()) {
    add_error(name, "Must be an object.");
    return std::nullopt;
  }
  if (has_nul(v->as_object())) {
    add_error(name, kNoNul);
    return std::nullopt;
  }
  return v->as_object();
}

void Fields::merge(const FieldErrors& more) {
  for (auto& [name, msgs] : more)
    if (!errors_.count(name)) errors_[name] = msgs;
}

void Fields::done() const {
  if (!errors_.empty()) throw Error(ErrorCode::validation, "Invalid input.", errors_);
}

std::vector<std::string> Fields::optional_id_list(const std::string& name, std::size_t max) {
  std::vector<std::string> out;
  auto v = get(name);
  if (!v) return out;
  if (!v->is_array() || v->as_array().size() > max) {
    add_error(name, "Must be a list of at most " + std::to_string(max) + " ids.");
    return out;
  }
  for (auto& id : v->as_array()) {
    if (!id.is_string() || !is_uuid(id.as_string())) {
      add_error(name, "Each entry must be an id (UUID).");
      return {};
    }
    out.push_back(validators::lower(std::string(id.as_string())));
  }
  return out;
}

}  // namespace wp

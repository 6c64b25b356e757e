#include "modules/admin/export.hpp"

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "http/json.hpp"

namespace wp::admin {

namespace json = boost::json;

namespace {

json::value field_value(const ExportUser& u, ExportField f) {
  switch (f) {
    case ExportField::id: return json::value(u.id);
    case ExportField::username: return json::value(u.username);
    case ExportField::email: return json::value(u.email);
    case ExportField::first_name: return json::value(u.first_name);
    case ExportField::last_name: return json::value(u.last_name);
    case ExportField::is_active: return json::value(u.is_active);
    case ExportField::is_staff: return json::value(u.is_staff);
    case ExportField::is_superuser: return json::value(u.is_superuser);
    case ExportField::email_verified: return json::value(u.email_verified);
    case ExportField::date_joined: return json::value(to_rfc3339(u.date_joined));
    case ExportField::last_login: return http::time_or_null(u.last_login);
  }
  return nullptr;
}

std::string text_of(const json::value& v) {
  if (v.is_null()) return "";
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  if (v.is_string()) return std::string(v.as_string());
  return json::serialize(v);
}

}  // namespace

std::string csv_cell(const std::string& text) {
  std::string t = text;
  if (!t.empty() && (t[0] == '=' || t[0] == '+' || t[0] == '-' || t[0] == '@')) t.insert(t.begin(), '\'');
  if (t.find_first_of(",\"\r\n") == std::string::npos) return t;
  std::string out = "\"";
  for (char c : t) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_header(const std::vector<ExportField>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + std::string(to_string(fields[i]));
  return out + "\r\n";
}

std::string csv_line(const ExportUser& u, const std::vector<ExportField>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csv_cell(text_of(field_value(u, fields[i])));
  return out + "\r\n";
}

std::string jsonl_line(const ExportUser& u, const std::vector<ExportField>& fields) {
  json::object o;
  for (auto f : fields) o[to_string(f)] = field_value(u, f);
  return json::serialize(o) + "\n";
}

UserExport::UserExport(UsersPage page, ExportRequest request, int batch, std::function<void(long long)> on_done)
    : page_(std::move(page)), request_(std::move(request)), batch_(batch), on_done_(std::move(on_done)) {}

std::optional<std::string> UserExport::next() {
  if (done_) return std::nullopt;
  std::string out;
  if (!header_sent_) {
    header_sent_ = true;
    if (request_.format == ExportFormat::csv) return csv_header(request_.fields);
  }
  auto users = page_(after_, batch_, request_.is_active);
  if (users.empty()) {
    done_ = true;
    if (on_done_) on_done_(rows_);
    return std::nullopt;
  }
  after_ = users.back().id;
  rows_ += static_cast<long long>(users.size());
  for (auto& u : users)
    out += request_.format == ExportFormat::csv ? csv_line(u, request_.fields) : jsonl_line(u, request_.fields);
  return out;
}

}  // namespace wp::admin

#include "modules/notifications/templates.hpp"

#include <mutex>
#include <sstream>

#include "core/error.hpp"

namespace wp::notifications {

namespace json = boost::json;

namespace {

std::string value_text(const json::value* v) {
  if (!v) return "";
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_int64()) return std::to_string(v->as_int64());
  if (v->is_uint64()) return std::to_string(v->as_uint64());
  if (v->is_double()) return json::serialize(*v);
  return "";
}

std::string trim(std::string s) {
  auto a = s.find_first_not_of(" \t\r");
  auto b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

TypeTemplate parse_type_template(const std::string& text) {
  auto lines = keyed_lines(text);
  return {lines["title"], lines["title_grouped"], lines["message"], lines["url"]};
}

}  // namespace

std::map<std::string, std::string> keyed_lines(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon != std::string::npos) out[trim(line.substr(0, colon))] = trim(line.substr(colon + 1));
  }
  return out;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string render(std::string_view tmpl, const json::object& vars, Escape escape) {
  std::string out;
  std::size_t pos = 0;
  while (pos < tmpl.size()) {
    auto open = tmpl.find("{{", pos);
    if (open == std::string_view::npos) break;
    auto close = tmpl.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    out.append(tmpl.substr(pos, open - pos));
    std::string_view name = tmpl.substr(open + 2, close - open - 2);
    bool raw = !name.empty() && name.front() == '&';
    if (raw) name.remove_prefix(1);
    auto text = value_text(vars.if_contains(name));
    out += (escape == Escape::html && !raw) ? html_escape(text) : text;
    pos = close + 2;
  }
  out.append(tmpl.substr(pos));
  return out;
}

const std::string& template_file(const std::string& path) {
  auto& all = embedded_templates();
  auto it = all.find(path);
  if (it == all.end()) throw Error(ErrorCode::internal, "no notification template " + path);
  return it->second;
}

const TypeTemplate& type_template(Type type) {
  static std::once_flag once;
  static std::map<Type, TypeTemplate> parsed;
  std::call_once(once, [] {
    for (auto& [value, name] : enum_names<Type>.items)
      parsed[value] = parse_type_template(template_file("types/" + std::string(name) + ".txt"));
  });
  return parsed.at(type);
}

Rendered render_notice(Type type, const json::object& data, int count) {
  const auto& t = type_template(type);
  json::object vars = data;
  vars["count"] = count;
  vars["others"] = count - 1;
  const auto& title = (count > 1 && !t.title_grouped.empty()) ? t.title_grouped : t.title;
  return {render(title, vars, Escape::text), render(t.message, vars, Escape::text), render(t.url, vars, Escape::text)};
}

}  // namespace wp::notifications

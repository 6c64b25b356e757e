#pragma once
// The text of notices and mails comes from the files under templates/
// (compiled in, like the migrations). A template is text with {{name}}
// slots filled from a JSON object: strings as they are, numbers as digits,
// anything else (or a missing name) as nothing. In HTML mode every value is
// escaped; {{&name}} inserts a value that is already HTML (a list rendered
// from escaped items). Nothing is ever concatenated into markup in code.
#include <boost/json.hpp>

#include <map>
#include <string>
#include <string_view>

#include "modules/notifications/model.hpp"

namespace wp::notifications {

// Generated from templates/ at build time (cmake/embed_templates.cmake).
const std::map<std::string, std::string>& embedded_templates();

enum class Escape { text, html };

std::string render(std::string_view tmpl, const boost::json::object& vars, Escape escape);
std::string html_escape(std::string_view text);

// A template file by its path under templates/ ("email/digest.html"); throws when absent.
const std::string& template_file(const std::string& path);

// "key: value" lines of a template file, as a map (email/subjects.txt).
std::map<std::string, std::string> keyed_lines(const std::string& text);

// templates/types/<type>.txt: "key: template" lines (title, title_grouped, message, url).
struct TypeTemplate {
  std::string title, title_grouped, message, url;
};
const TypeTemplate& type_template(Type type);

// The words of a notice of `type`, rendered from its data (plus count and
// others = count - 1 for a group).
struct Rendered {
  std::string title, message, url;
};
Rendered render_notice(Type type, const boost::json::object& data, int count);

}  // namespace wp::notifications

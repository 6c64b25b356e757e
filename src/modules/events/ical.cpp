#include "modules/events/ical.hpp"

#include <ctime>

namespace wp::events::ical {

namespace {

constexpr std::size_t kMaxOctets = 75;

bool continuation_byte(unsigned char c) { return (c & 0xC0) == 0x80; }

// A parameter value (3.2): quoted, since names may hold ':' ';' ','; DQUOTE
// and control characters cannot appear in it at all.
std::string param_value(std::string_view v) {
  std::string out = "\"";
  for (unsigned char c : v)
    if (c != '"' && c >= 0x20 && c != 0x7F) out.push_back(static_cast<char>(c));
  return out + "\"";
}

void line(std::string& out, std::string_view text) { out += fold(text); }

void text_line(std::string& out, std::string_view name, std::string_view value) {
  if (!value.empty()) line(out, std::string(name) + ":" + escape_text(value));
}

}  // namespace

std::string escape_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ';': out += "\\;"; break;
      case ',': out += "\\,"; break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        out += "\\n";
        break;
      case '\n': out += "\\n"; break;
      default:
        // Other control characters are not allowed in TEXT (3.3.11): dropped.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') out.push_back(c);
    }
  }
  return out;
}

std::string fold(std::string_view text) {
  std::string out;
  std::size_t room = kMaxOctets, used = 0;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = 1;
    while (i + len < text.size() && continuation_byte(static_cast<unsigned char>(text[i + len]))) ++len;
    if (used + len > room) {
      out += "\r\n ";
      room = kMaxOctets - 1;  // the leading space counts
      used = 0;
    }
    out.append(text.substr(i, len));
    used += len;
    i += len;
  }
  return out + "\r\n";
}

std::string utc_time(std::int64_t epoch_ms) {
  std::time_t secs = static_cast<std::time_t>(epoch_ms / 1000 - (epoch_ms % 1000 < 0 ? 1 : 0));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string calendar(const std::vector<VEvent>& events, std::string_view name) {
  std::string out;
  line(out, "BEGIN:VCALENDAR");
  line(out, "VERSION:2.0");
  line(out, "PRODID:-//watchparty//events//EN");
  line(out, "CALSCALE:GREGORIAN");
  line(out, "METHOD:PUBLISH");
  if (!name.empty()) text_line(out, "X-WR-CALNAME", name);
  for (auto& e : events) {
    line(out, "BEGIN:VEVENT");
    line(out, "UID:" + e.uid);
    line(out, "DTSTAMP:" + utc_time(e.stamp));
    line(out, "DTSTART:" + utc_time(e.start));
    line(out, "DTEND:" + utc_time(e.end));
    line(out, "SEQUENCE:" + std::to_string(e.sequence));
    text_line(out, "SUMMARY", e.summary);
    text_line(out, "DESCRIPTION", e.description);
    text_line(out, "LOCATION", e.location);
    if (!e.url.empty()) line(out, "URL:" + e.url);
    if (!e.organizer_uri.empty())
      line(out, "ORGANIZER;CN=" + param_value(e.organizer_name) + ":" + e.organizer_uri);
    if (!e.status.empty()) line(out, "STATUS:" + e.status);
    if (!e.rrule.empty()) line(out, "RRULE:" + e.rrule);
    line(out, "END:VEVENT");
  }
  line(out, "END:VCALENDAR");
  return out;
}

}  // namespace wp::events::ical

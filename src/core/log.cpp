#include "core/log.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <chrono>
#include <cstdio>

namespace wp::log {

namespace {

thread_local std::string t_request_id;
// Set only while access() logs: the sink formats on the calling thread.
thread_local const Access* t_access = nullptr;

class RequestIdFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&, spdlog::memory_buf_t& dest) override {
    const auto& id = t_request_id.empty() ? dash_ : t_request_id;
    dest.append(id.data(), id.data() + id.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<RequestIdFlag>(); }

 private:
  std::string dash_ = "-";
};

void append_json_string(spdlog::memory_buf_t& dest, std::string_view s) {
  dest.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': dest.append(std::string_view("\\\"")); break;
      case '\\': dest.append(std::string_view("\\\\")); break;
      case '\n': dest.append(std::string_view("\\n")); break;
      case '\r': dest.append(std::string_view("\\r")); break;
      case '\t': dest.append(std::string_view("\\t")); break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          dest.append(std::string_view(buf));
        } else {
          dest.push_back(static_cast<char>(c));
        }
    }
  }
  dest.push_back('"');
}

void append_json_field(spdlog::memory_buf_t& dest, std::string_view key, std::string_view value) {
  dest.push_back(',');
  append_json_string(dest, key);
  dest.push_back(':');
  append_json_string(dest, value);
}

void append_json_number(spdlog::memory_buf_t& dest, std::string_view key, std::string_view number) {
  dest.push_back(',');
  append_json_string(dest, key);
  dest.push_back(':');
  dest.append(number);
}

void append_access_fields(spdlog::memory_buf_t& dest, const Access& a) {
  append_json_field(dest, "method", a.method);
  append_json_field(dest, "target", a.target);
  append_json_field(dest, "route", a.route);
  append_json_number(dest, "status", std::to_string(a.status));
  append_json_number(dest, "bytes", std::to_string(a.bytes));
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.3f", a.duration_ms);
  append_json_number(dest, "duration_ms", ms);
  append_json_field(dest, "remote_ip", a.remote_ip);
  if (!a.event.empty()) append_json_field(dest, "event", a.event);
}

// One JSON object per line: {"ts_ms","level","request_id","msg"}, plus the
// access fields on access lines.
class JsonFormatter : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    using namespace std::chrono;
    auto ms = duration_cast<milliseconds>(msg.time.time_since_epoch()).count();
    dest.append(std::string_view("{\"ts_ms\":"));
    dest.append(std::to_string(ms));
    dest.append(std::string_view(",\"level\":"));
    auto level = spdlog::level::to_string_view(msg.level);
    append_json_string(dest, std::string_view(level.data(), level.size()));
    dest.append(std::string_view(",\"request_id\":"));
    append_json_string(dest, t_request_id);
    dest.append(std::string_view(",\"msg\":"));
    append_json_string(dest, std::string_view(msg.payload.data(), msg.payload.size()));
    if (t_access) append_access_fields(dest, *t_access);
    dest.append(std::string_view("}\n"));
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

}  // namespace

void setup(const std::string& level, const std::string& format) {
  auto logger = std::make_shared<spdlog::logger>("watchparty", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  if (format == "json") {
    logger->set_formatter(std::make_unique<JsonFormatter>());
  } else {
    auto f = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    f->add_flag<RequestIdFlag>('*').set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ [%*] %v");
    logger->set_formatter(std::move(f));
  }
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

void set_level(const std::string& level) { spdlog::default_logger()->set_level(spdlog::level::from_str(level)); }

const std::string& current_request_id() { return t_request_id; }

RequestScope::RequestScope(const std::string& request_id) : previous_(std::move(t_request_id)) {
  t_request_id = request_id;
}

RequestScope::~RequestScope() { t_request_id = std::move(previous_); }

void access(const Access& a) {
  auto dash = [](std::string_view v) { return v.empty() ? std::string_view("-") : v; };
  t_access = &a;
  if (a.event.empty())
    spdlog::info("{} {} {} {} {}B {:.2f}ms {}", dash(a.remote_ip), dash(a.method), dash(a.target), a.status, a.bytes,
                 a.duration_ms, a.route);
  else
    spdlog::info("{} {} {} {} {} {}B {:.2f}ms {}", dash(a.remote_ip), dash(a.method), dash(a.target), a.event, a.status,
                 a.bytes, a.duration_ms, a.route);
  t_access = nullptr;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decoded and lower-cased, so that "%74oken" or "TOKEN" are still caught.
std::string normalized_name(std::string_view raw) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '%' && i + 2 < raw.size() && hex_value(raw[i + 1]) >= 0 &&
        hex_value(raw[i + 2]) >= 0) {
      c = static_cast<char>(hex_value(raw[i + 1]) * 16 + hex_value(raw[i + 2]));
      i += 2;
    } else if (c == '+') {
      c = ' ';
    }
    out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  return out;
}

bool is_secret_param(const std::string& name) {
  static const std::string_view names[] = {"token", "code", "access_token", "refresh_token", "password"};
  for (auto n : names)
    if (name == n) return true;
  return false;
}

}  // namespace

std::string redact_target(std::string_view target) {
  auto q = target.find('?');
  if (q == std::string_view::npos) return std::string(target);
  std::string out(target.substr(0, q + 1));
  std::string_view query = target.substr(q + 1);
  bool first = true;
  while (true) {
    auto amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    if (!first) out.push_back('&');
    first = false;
    auto eq = part.find('=');
    if (eq != std::string_view::npos && is_secret_param(normalized_name(part.substr(0, eq)))) {
      out.append(part.substr(0, eq + 1));
      out.append("***");
    } else {
      out.append(part);
    }
    if (amp == std::string_view::npos) break;
    query = query.substr(amp + 1);
  }
  return out;
}

std::string redact_sql_error(const std::string& what) {
  auto pos = what.find(" with :");
  return pos == std::string::npos ? what : what.substr(0, pos) + " (values redacted)";
}

}  // namespace wp::log

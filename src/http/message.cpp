#include "http/message.hpp"

#include <boost/url/parse_query.hpp>

#include <cctype>
#include <stdexcept>

namespace wp::http {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::optional<std::string> Request::header(std::string_view name) const {
  for (auto& [k, v] : headers)
    if (iequals(k, name)) return v;
  return std::nullopt;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  for (auto& [k, v] : headers) {
    if (!iequals(k, "Cookie")) continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      auto semi = rest.find(';');
      auto item = rest.substr(0, semi);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      auto eq = item.find('=');
      if (eq != std::string_view::npos && item.substr(0, eq) == name) return std::string(item.substr(eq + 1));
      if (semi == std::string_view::npos) break;
      rest.remove_prefix(semi + 1);
    }
  }
  return std::nullopt;
}

std::optional<std::string> Request::query(std::string_view name) const {
  auto params = boost::urls::parse_query(query_string);
  if (!params) return std::nullopt;
  boost::urls::encoding_opts opt;
  opt.space_as_plus = true;
  for (auto p : *params) {
    if (p.key.decode(opt) == name) return p.has_value ? p.value.decode(opt) : std::string();
  }
  return std::nullopt;
}

const std::string& Request::param(const std::string& name) const {
  auto it = params.find(name);
  if (it == params.end()) throw std::logic_error("route has no parameter " + name);
  return it->second;
}

const Principal& Request::current_user() const {
  if (!user) throw std::logic_error("route " + route + " reads the user but does not require one");
  return *user;
}

void Response::set_header(std::string name, std::string value) {
  for (auto& [k, v] : headers) {
    if (iequals(k, name)) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string> Response::header(std::string_view name) const {
  for (auto& [k, v] : headers)
    if (iequals(k, name)) return v;
  return std::nullopt;
}

}  // namespace wp::http

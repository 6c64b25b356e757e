#include "http/accept_encoding.hpp"

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "core/strings.hpp"
#include "core/validators.hpp"

namespace wp::http {

namespace {

std::string trimmed(std::string s) {
  s.erase(0, s.find_first_not_of(" \t"));
  s.erase(s.find_last_not_of(" \t") + 1);
  return s;
}

// The q among the parameters of one Accept-Encoding item ("level=1;q=0.5" -> 0.5); 1 without one.
double quality(const std::string& params) {
  std::size_t start = 0;
  while (start <= params.size()) {
    auto end = std::min(params.find(';', start), params.size());
    auto p = params.substr(start, end - start);
    auto eq = p.find('=');
    if (eq != std::string::npos && validators::lower(trimmed(p.substr(0, eq))) == "q") {
      auto value = trimmed(p.substr(eq + 1));
      char* stop = nullptr;
      double q = std::strtod(value.c_str(), &stop);
      return stop == value.c_str() ? 0.0 : q;
    }
    start = end + 1;
  }
  return 1.0;
}

}  // namespace

bool accepts_gzip(const std::string& accept_encoding) {
  std::optional<double> named;
  std::optional<double> any;
  for (const auto& item : split_list(accept_encoding)) {
    auto semi = item.find(';');
    auto coding = validators::lower(trimmed(item.substr(0, semi)));
    double q = semi == std::string::npos ? 1.0 : quality(item.substr(semi + 1));
    if (coding == "gzip" || coding == "x-gzip") named = std::max(named.value_or(0.0), q);
    else if (coding == "*") any = q;
  }
  if (named) return *named > 0;
  return any && *any > 0;
}

}  // namespace wp::http

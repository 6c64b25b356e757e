// libFuzzer target: a request line's method and target, through what the
// session does with them (boost::urls origin form, percent-decoded path,
// query parameters) into the router's match over a table shaped like ours
// (UUID params, other params, {name:path}, trailing-slash redirects, 405).
// Input: the method, a space, the target.
#include <boost/url/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/router.hpp"

namespace {

const wp::http::Router& router() {
  static const wp::http::Router r = [] {
    wp::http::Router r;
    for (auto [method, pattern] : std::initializer_list<std::pair<const char*, const char*>>{
             {"GET", "/api/health/"},
             {"POST", "/api/auth/login/"},
             {"GET", "/api/videos/"},
             {"POST", "/api/videos/"},
             {"GET", "/api/videos/{id}/"},
             {"PATCH", "/api/videos/{id}/"},
             {"DELETE", "/api/videos/{id}/"},
             {"GET", "/api/videos/{id}/stream/{name:path}"},
             {"PATCH", "/api/videos/uploads/{id}/"},
             {"GET", "/api/parties/code/{room_code}/"},
             {"POST", "/api/parties/{party_id}/chat/"},
             {"GET", "/api/users/{username}/"},
             {"GET", "/ws/parties/{id}/"},
         })
      r.add(wp::http::Route{.method = method, .pattern = pattern});
    r.set_fallback(wp::http::Route{.method = "GET", .pattern = "/{path:path}"});
    return r;
  }();
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto space = text.find(' ');
  if (space == std::string_view::npos) return 0;
  std::string method(text.substr(0, space));
  auto url = boost::urls::parse_origin_form(text.substr(space + 1));
  if (!url) return 0;
  std::string path = url->path();
  for (auto param : url->params()) (void)param.value.size();
  auto m = router().match(method, path);
  if (m.kind == wp::http::RouteMatch::found && m.route == nullptr) __builtin_trap();
  bool trailing = false;
  (void)wp::http::split_path(path, trailing);
  // The parameters are copies inside the match: readable after the path is gone.
  path.assign(path.size(), '#');
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < m.params.size(); ++i) bytes += m.params.name(i).size() + m.params.value(i).size();
  if (m.kind != wp::http::RouteMatch::found && bytes != 0) __builtin_trap();
  return 0;
}

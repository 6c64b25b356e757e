#include "http/pagination.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <charconv>

#include "core/error.hpp"
#include "http/json.hpp"

namespace wp::http {

namespace {
std::optional<int> positive(const std::optional<std::string>& v, const char* name, FieldErrors& errors) {
  if (!v) return std::nullopt;
  int n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc{} || p != v->data() + v->size() || n < 1) {
    errors[name].push_back("Must be a positive integer.");
    return std::nullopt;
  }
  return n;
}

std::string link(const Request& req, int page) {
  boost::urls::url u;
  u.set_path(req.path);
  if (!req.query_string.empty()) u.set_encoded_query(req.query_string);
  u.params().set("page", std::to_string(page));
  return std::string(u.buffer());
}
}  // namespace

Page parse_page(const Request& req, int default_size) {
  FieldErrors errors;
  Page p;
  p.size = default_size;
  if (auto n = positive(req.query("page"), "page", errors)) p.page = *n;
  if (auto n = positive(req.query("page_size"), "page_size", errors)) p.size = std::min(*n, kMaxPageSize);
  if (!errors.empty()) throw Error(ErrorCode::validation, "Invalid pagination.", errors);
  return p;
}

Response paginated(const Request& req, const Page& page, long long count, boost::json::array results) {
  boost::json::object body;
  body["count"] = count;
  body["next"] = static_cast<long long>(page.page) * page.size < count ? boost::json::value(link(req, page.page + 1))
                                                                      : boost::json::value(nullptr);
  body["previous"] = page.page > 1 ? boost::json::value(link(req, page.page - 1)) : boost::json::value(nullptr);
  body["results"] = std::move(results);
  return json_response(body);
}

}  // namespace wp::http

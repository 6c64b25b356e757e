#include "core/http_post.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <memory>

namespace wp {

namespace {

struct Collected {
  std::size_t max_body = 0;
  std::string body;
  std::string retry_after;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* self) {
  auto* c = static_cast<Collected*>(self);
  std::size_t len = size * n;
  c->body.append(data, std::min(len, c->max_body - std::min(c->max_body, c->body.size())));
  return len;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* self) {
  auto* c = static_cast<Collected*>(self);
  std::string line(data, size * n);
  constexpr std::string_view name = "retry-after:";
  if (line.size() > name.size()) {
    std::string head = line.substr(0, name.size());
    std::transform(head.begin(), head.end(), head.begin(), [](unsigned char ch) { return std::tolower(ch); });
    if (head == name) {
      std::string v = line.substr(name.size());
      auto first = v.find_first_not_of(" \t"), last = v.find_last_not_of(" \t\r\n");
      c->retry_after = first == std::string::npos ? "" : v.substr(first, last - first + 1);
    }
  }
  return size * n;
}

}  // namespace

std::optional<int> parse_retry_after(const std::string& value, std::int64_t now_s) {
  if (value.empty()) return std::nullopt;
  int seconds = 0;
  auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc{} && p == value.data() + value.size()) return std::max(seconds, 0);
  time_t at = curl_getdate(value.c_str(), nullptr);
  if (at < 0) return std::nullopt;
  return static_cast<int>(std::max<std::int64_t>(static_cast<std::int64_t>(at) - now_s, 0));
}

HttpAnswer http_post(const HttpPost& request, std::int64_t now_s) {
  HttpAnswer answer;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    answer.error = "libcurl could not start";
    return answer;
  }
  curl_slist* headers = nullptr;
  for (auto& h : request.headers) headers = curl_slist_append(headers, h.c_str());
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  Collected got{.max_body = request.max_body};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, request.timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, std::min(request.timeout_ms, 5000L));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &got);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &got);
  CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) {
    answer.error = curl_easy_strerror(rc);
    return answer;
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  answer.status = static_cast<int>(status);
  answer.body = std::move(got.body);
  answer.retry_after_s = parse_retry_after(got.retry_after, now_s);
  return answer;
}

}  // namespace wp

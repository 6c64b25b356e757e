#include "modules/push/fcm.hpp"

#include <boost/json.hpp>
#include <curl/curl.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/http_post.hpp"
#include "modules/push/jwt.hpp"

namespace wp::push {

namespace json = boost::json;

namespace {

constexpr const char* kScope = "https://www.googleapis.com/auth/firebase.messaging";
constexpr std::int64_t kRefreshBeforeMs = 120 * 1000;  // a token this close to its expiry is renewed

std::string field(const json::object& o, const char* name) {
  auto* v = o.if_contains(name);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}

std::string form_escape(const std::string& v) {
  char* e = curl_easy_escape(nullptr, v.data(), static_cast<int>(v.size()));
  std::string out = e ? e : "";
  curl_free(e);
  return out;
}

// The error status FCM names in its answer ("UNREGISTERED", "NOT_FOUND", ...), or "".
std::string fcm_error_code(const std::string& body) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) return "";
  auto* err = v.as_object().if_contains("error");
  if (!err || !err->is_object()) return "";
  if (auto* details = err->as_object().if_contains("details"); details && details->is_array())
    for (auto& d : details->as_array())
      if (d.is_object())
        if (auto code = field(d.as_object(), "errorCode"); !code.empty()) return code;
  return field(err->as_object(), "status");
}

}  // namespace

ServiceAccount load_service_account(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read the FCM service account file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  auto v = json::parse(ss.str(), ec);
  if (ec || !v.is_object()) throw std::runtime_error("the FCM service account file " + path + " is not JSON");
  auto& o = v.as_object();
  ServiceAccount a{field(o, "project_id"), field(o, "client_email"), field(o, "private_key"),
                   field(o, "private_key_id"), field(o, "token_uri")};
  for (auto [name, value] : {std::pair{"project_id", &a.project_id}, std::pair{"client_email", &a.client_email},
                             std::pair{"private_key", &a.private_key}})
    if (value->empty()) throw std::runtime_error("the FCM service account file " + path + " has no " + name);
  return a;
}

std::string fcm_message(const DeviceTokenRow& device, const PushRow& push, int ttl_s) {
  // FCM data values are strings only.
  json::object data{{"push_id", push.id}, {"notification_id", push.notification_id}, {"type", push.type},
                    {"url", push.url}, {"data", push.data}};
  bool high = push.urgency == Urgency::high;
  json::object message{
      {"token", device.token},
      {"notification", json::object{{"title", push.title}, {"body", push.body}}},
      {"data", data},
      {"android", json::object{{"ttl", std::to_string(ttl_s) + "s"}, {"priority", high ? "HIGH" : "NORMAL"}}},
      {"apns", json::object{{"headers", json::object{{"apns-priority", high ? "10" : "5"}}}}}};
  return json::serialize(json::object{{"message", message}});
}

FcmClient::FcmClient(ServiceAccount account, FcmSettings settings)
    : account_(std::move(account)), settings_(std::move(settings)) {
  token_url_ = !settings_.token_url.empty() ? settings_.token_url
               : !account_.token_uri.empty() ? account_.token_uri
                                             : "https://oauth2.googleapis.com/token";
  while (!settings_.base_url.empty() && settings_.base_url.back() == '/') settings_.base_url.pop_back();
}

std::optional<std::string> FcmClient::access_token(std::int64_t now_ms, SendResult& failure) {
  {
    std::lock_guard lock(mu_);
    if (!token_.empty() && now_ms < token_expires_ms_ - kRefreshBeforeMs) return token_;
  }
  std::int64_t now_s = now_ms / 1000;
  json::object claims{{"iss", account_.client_email}, {"scope", kScope},   {"aud", token_url_},
                      {"iat", now_s},                 {"exp", now_s + 3600}};
  HttpPost post;
  post.url = token_url_;
  post.timeout_ms = settings_.timeout_ms;
  post.headers = {"Content-Type: application/x-www-form-urlencoded"};
  try {
    post.body = "grant_type=" + form_escape("urn:ietf:params:oauth:grant-type:jwt-bearer") +
                "&assertion=" + form_escape(rs256_jwt(claims, account_.private_key, account_.private_key_id));
  } catch (const std::invalid_argument& e) {
    failure.http_status = 401;  // not retried: the key itself is unusable
    failure.error = std::string("the service account's key: ") + e.what();
    return std::nullopt;
  }
  auto answer = http_post(post, now_s);
  boost::system::error_code ec;
  auto v = answer.status == 200 ? json::parse(answer.body, ec) : json::value();
  if (answer.status != 200 || ec || !v.is_object() || field(v.as_object(), "access_token").empty()) {
    // The token endpoint's trouble is the send's trouble: its status decides the retry.
    failure.http_status = answer.status == 200 ? 502 : answer.status;
    failure.retry_after_s = answer.retry_after_s;
    failure.error = "OAuth2 token endpoint: " + (answer.status == 0 ? answer.error : answer.body.substr(0, 200));
    return std::nullopt;
  }
  auto& o = v.as_object();
  std::int64_t expires_in = 3600;
  if (auto* e = o.if_contains("expires_in"); e && e->is_int64()) expires_in = e->as_int64();
  std::lock_guard lock(mu_);
  token_ = field(o, "access_token");
  token_expires_ms_ = now_ms + expires_in * 1000;
  return token_;
}

void FcmClient::forget_token(const std::string& token) {
  std::lock_guard lock(mu_);
  if (token_ == token) token_.clear();
}

SendResult FcmClient::send(const DeviceTokenRow& device, const PushRow& push, int ttl_s, std::int64_t now_ms) {
  SendResult result;
  auto token = access_token(now_ms, result);
  if (!token) return result;
  HttpPost post;
  post.url = settings_.base_url + "/v1/projects/" + account_.project_id + "/messages:send";
  post.timeout_ms = settings_.timeout_ms;
  post.headers = {"Authorization: Bearer " + *token, "Content-Type: application/json; charset=utf-8"};
  post.body = fcm_message(device, push, std::max(ttl_s, 0));
  auto answer = http_post(post, now_ms / 1000);
  result.http_status = answer.status;
  result.retry_after_s = answer.retry_after_s;
  if (answer.status == 0) {
    result.error = answer.error;
    return result;
  }
  if (answer.status >= 300) {
    std::string code = fcm_error_code(answer.body);
    result.error = code.empty() ? answer.body.substr(0, 300) : code;
    result.unregistered = code == "UNREGISTERED" || answer.status == 404;
    if (answer.status == 401) {
      // A revoked or expired token: the next attempt asks for a new one.
      forget_token(*token);
      result.transient = true;
    }
  }
  return result;
}

}  // namespace wp::push

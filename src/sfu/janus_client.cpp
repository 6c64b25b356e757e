#include "sfu/janus_client.hpp"

#include <ctime>

namespace wp::sfu {

namespace json = boost::json;

namespace {

bool session_lost(const JanusError& e) { return e.code == kJanusNoSuchSession || e.code == kJanusNoSuchHandle; }

}  // namespace

HttpPoster curl_poster() {
  return [](const HttpPost& request) { return http_post(request, static_cast<std::int64_t>(std::time(nullptr))); };
}

JanusClient::JanusClient(JanusSettings settings, HttpPoster post)
    : settings_(std::move(settings)), post_(std::move(post)) {}

json::object JanusClient::post(const std::string& url, const json::object& request) {
  HttpPost p{.url = url,
             .headers = {"Content-Type: application/json"},
             .body = json::serialize(request),
             .timeout_ms = settings_.timeout_ms,
             .max_body = 4 * 1024 * 1024};  // list_tokens names every member of every call
  auto answer = post_(p);
  return read_answer(answer.status, answer.body, answer.error);
}

JanusClient::Session JanusClient::open_session() {
  Session s;
  s.id = read_id(post(settings_.url, janus_request("create", settings_.auth)));
  auto session_url = settings_.url + "/" + std::to_string(s.id);
  try {
    s.audio = read_id(post(session_url, attach_request(SfuKind::audio, settings_.auth)));
    s.video = read_id(post(session_url, attach_request(SfuKind::video, settings_.auth)));
  } catch (const std::runtime_error&) {
    try {
      post(session_url, janus_request("destroy", settings_.auth));
    } catch (const std::runtime_error&) {
      // Janus drops the session by itself after its timeout.
    }
    throw;
  }
  return s;
}

JanusClient::Session JanusClient::session() {
  {
    std::lock_guard lock(mu_);
    if (current_.id != 0) return current_;
  }
  // Made outside the lock; when two threads race, the first one installed wins
  // and the other's session is left to Janus's timeout.
  auto made = open_session();
  std::lock_guard lock(mu_);
  if (current_.id == 0) {
    current_ = made;
    ++sessions_made_;
  }
  return current_;
}

void JanusClient::forget(std::uint64_t session_id) {
  std::lock_guard lock(mu_);
  if (current_.id == session_id) current_ = Session{};
}

json::object JanusClient::plugin_request(SfuKind kind, json::object body) {
  for (int attempt = 0;; ++attempt) {
    auto s = session();
    auto url = settings_.url + "/" + std::to_string(s.id) + "/" + std::to_string(kind == SfuKind::audio ? s.audio : s.video);
    try {
      return read_plugin_data(post(url, message_request(body, settings_.auth)), kind);
    } catch (const JanusError& e) {
      if (!session_lost(e) || attempt > 0) throw;
      forget(s.id);  // Janus restarted or timed the session out: once more on a new one
    }
  }
}

json::object JanusClient::admin(std::string_view verb, json::object fields) {
  return post(settings_.admin_url, admin_request(verb, settings_.auth, std::move(fields)));
}

void JanusClient::keepalive() {
  auto s = session();
  try {
    post(settings_.url + "/" + std::to_string(s.id), janus_request("keepalive", settings_.auth));
  } catch (const JanusError& e) {
    if (!session_lost(e)) throw;
    forget(s.id);
    session();
  }
}

}  // namespace wp::sfu

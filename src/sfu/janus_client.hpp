#pragma once
// The server's own connection to Janus over HTTP: one Janus session with a
// handle on each plugin, made on first use and made again when Janus has
// forgotten it (a restart, or the session timeout after a quiet spell), and
// the admin API. Blocking (libcurl through core/http_post): call it on the
// blocking pool. Thread-safe; no lock is held across a request.
#include <boost/json.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "core/http_post.hpp"
#include "sfu/janus_api.hpp"

namespace wp::sfu {

struct JanusSettings {
  std::string url;        // Janus API, e.g. http://127.0.0.1:8088/janus
  std::string admin_url;  // admin API, e.g. http://127.0.0.1:7088/admin
  JanusAuth auth;
  long timeout_ms = 5000;
};

// How a request travels; tests put a fake Janus here.
using HttpPoster = std::function<HttpAnswer(const HttpPost&)>;
HttpPoster curl_poster();

class JanusClient {
 public:
  explicit JanusClient(JanusSettings settings, HttpPoster post = curl_poster());

  // A synchronous plugin request on the server's handle of that plugin:
  // plugindata.data of the answer. JanusError for the plugin's error_code.
  boost::json::object plugin_request(SfuKind kind, boost::json::object body);
  // An admin API request: the whole answer. JanusError for an error.
  boost::json::object admin(std::string_view verb, boost::json::object fields = {});
  // Tells Janus the session is in use (it forgets a session after its
  // session_timeout, 60 s by default, without requests). Makes the session
  // when there is none yet.
  void keepalive();
  // How many sessions were made so far: a new one means Janus lost the
  // previous one (a restart, most likely) or this is the first.
  std::uint64_t sessions_made() const { return sessions_made_.load(); }

 private:
  struct Session {
    std::uint64_t id = 0;
    std::uint64_t audio = 0;  // AudioBridge handle
    std::uint64_t video = 0;  // VideoRoom handle
  };

  boost::json::object post(const std::string& url, const boost::json::object& request);
  Session session();
  Session open_session();
  void forget(std::uint64_t session_id);

  JanusSettings settings_;
  HttpPoster post_;
  std::mutex mu_;
  Session current_;  // guarded by mu_; id 0: none
  std::atomic<std::uint64_t> sessions_made_{0};
};

}  // namespace wp::sfu

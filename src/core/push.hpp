#pragma once
// The push channel as the notifications module sees it: one message for all
// of a user's registered browsers (Web Push) and devices (FCM). The push
// module implements it with an outbox: enqueue() only records, the worker
// sends, retries and records every attempt. May run SQL: call it on the
// blocking pool.
#include <cstdint>
#include <string>

namespace wp {

struct PushMessage {
  std::string user_id;
  std::string notification_id;  // the in-app row it mirrors ("" for none)
  std::string type;             // notification type
  std::string title;
  std::string body;
  std::string url;              // the page a click opens, relative to the site ("/parties/<id>")
  std::string data_json = "{}"; // JSON object passed through to the client
  int ttl_s = 86400;            // RFC 8030 TTL
  std::string urgency = "normal";  // RFC 8030: very-low, low, normal, high
  std::int64_t not_before_ms = 0;  // held until then (quiet hours); 0 = now
};

class PushSender {
 public:
  virtual ~PushSender() = default;
  virtual void enqueue(const PushMessage& message) = 0;
};

}  // namespace wp

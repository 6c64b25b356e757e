#pragma once
// FCM HTTP v1: a service account's RS256 JWT exchanged for an OAuth2 access
// token (RFC 7523), cached until shortly before it expires, and one send
// per device token to <base>/v1/projects/<project>/messages:send.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "modules/push/model.hpp"
#include "modules/push/policy.hpp"

namespace wp::push {

struct ServiceAccount {
  std::string project_id;
  std::string client_email;
  std::string private_key;  // PEM
  std::string private_key_id;
  std::string token_uri;
};

// Reads the service account JSON Google issues; throws std::runtime_error naming what is missing.
ServiceAccount load_service_account(const std::string& path);

struct FcmSettings {
  std::string base_url = "https://fcm.googleapis.com";
  std::string token_url;  // "": the service account's token_uri
  long timeout_ms = 10000;
};

// The FCM message JSON for one device token.
std::string fcm_message(const DeviceTokenRow& device, const PushRow& push, int ttl_s);

class FcmClient {
 public:
  FcmClient(ServiceAccount account, FcmSettings settings);
  SendResult send(const DeviceTokenRow& device, const PushRow& push, int ttl_s, std::int64_t now_ms);

 private:
  // A valid access token, from the cache or a new grant; nullopt with why.
  std::optional<std::string> access_token(std::int64_t now_ms, SendResult& failure);
  void forget_token(const std::string& token);

  ServiceAccount account_;
  FcmSettings settings_;
  std::string token_url_;
  std::mutex mu_;  // guards the cache only; never held across a request
  std::string token_;
  std::int64_t token_expires_ms_ = 0;
};

}  // namespace wp::push

#include "modules/push/setup.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "modules/push/vapid.hpp"

namespace wp::push {

std::unique_ptr<PushService> make_service(Store& store, const Config& config) {
  // An FCM send may first fetch a token: two requests must end inside the lease.
  if (config.push_lease_s <= 2 * config.push_timeout_s)
    throw std::runtime_error("setting 'push_lease_s' (" + std::to_string(config.push_lease_s) +
                             ") must be more than twice 'push_timeout_s' (" + std::to_string(config.push_timeout_s) +
                             ")");
  WebPushSettings web;
  web.vapid = load_vapid_key(config.vapid_private_key, config.data_dir);
  web.subject = config.vapid_subject.empty() ? "mailto:" + config.mail_from : config.vapid_subject;
  web.timeout_ms = config.push_timeout_s * 1000L;
  std::unique_ptr<FcmClient> fcm;
  if (!config.fcm_service_account_file.empty()) {
    auto account = load_service_account(config.fcm_service_account_file);
    spdlog::info("FCM sends for project {} as {}", account.project_id, account.client_email);
    fcm = std::make_unique<FcmClient>(std::move(account),
                                      FcmSettings{config.fcm_base_url, config.fcm_token_url, web.timeout_ms});
  }
  PushSettings settings;
  settings.allow_http_endpoints = config.push_allow_http;
  settings.endpoint_hosts = config.push_endpoint_hosts;
  settings.retry.max_attempts = config.push_max_attempts;
  settings.retry.base_ms = config.push_retry_base_ms;
  settings.lease_ms = config.push_lease_s * 1000L;
  settings.retention_ms = config.push_retention_days * 86400LL * 1000;
  return std::make_unique<PushService>(store, std::move(web), std::move(fcm), settings);
}

}  // namespace wp::push

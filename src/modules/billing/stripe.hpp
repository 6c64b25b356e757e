#pragma once
// PaymentProvider over Stripe's HTTP API (form-encoded POSTs, JSON answers),
// through core/http_post (libcurl). The base URL is a setting
// (stripe_api_url), so tests aim it at a local fake.
#include "modules/billing/provider.hpp"

namespace wp::billing {

class StripeProvider : public PaymentProvider {
 public:
  StripeProvider(std::string api_url, std::string secret_key)
      : api_url_(std::move(api_url)), secret_key_(std::move(secret_key)) {}

  bool configured() const override { return !secret_key_.empty(); }
  std::string create_customer(const std::string& user_id, const std::string& username) override;
  CheckoutSession create_checkout(const CheckoutRequest& request) override;
  std::string portal_url(const std::string& customer_id, const std::string& return_url) override;
  void cancel_at_period_end(const std::string& subscription_id) override;

 private:
  // POSTs to <api_url><path>; the answer's JSON object, or 503 naming what failed.
  std::string post(const std::string& path, const std::vector<std::pair<std::string, std::string>>& fields,
                   const std::string& idempotency_key = "");

  std::string api_url_;
  std::string secret_key_;
};

}  // namespace wp::billing

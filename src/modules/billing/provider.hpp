#pragma once
// The payment provider, as the billing service sees it. stripe.cpp speaks
// Stripe's HTTP API; tests point its base URL at a fake of their own.
// Every call is blocking HTTP: call it on the blocking pool. A provider that
// cannot be reached or refuses throws wp::Error (unavailable, 503).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "modules/billing/model.hpp"

namespace wp::billing {

struct CheckoutRequest {
  CheckoutKind kind = CheckoutKind::subscription;  // subscription or one-time payment mode
  std::string customer_id;
  std::string user_id;
  std::string item;  // plan or coin pack id (metadata, so the webhook knows what was bought)
  std::string name;  // shown on the provider's page
  std::int64_t amount = 0;
  std::string currency;
  std::string interval;        // subscription: day, week, month, year
  std::string provider_price;  // subscription: a price id at the provider instead of amount/interval
  std::string success_url, cancel_url;
};

struct CheckoutSession {
  std::string id;
  std::string url;
};

class PaymentProvider {
 public:
  virtual ~PaymentProvider() = default;
  virtual bool configured() const = 0;
  // Returns the provider's customer id.
  virtual std::string create_customer(const std::string& user_id, const std::string& username) = 0;
  virtual CheckoutSession create_checkout(const CheckoutRequest& request) = 0;
  // The billing portal's URL for the customer.
  virtual std::string portal_url(const std::string& customer_id, const std::string& return_url) = 0;
  virtual void cancel_at_period_end(const std::string& subscription_id) = 0;
};

// application/x-www-form-urlencoded, as Stripe takes its parameters ("a[b][0]" keys).
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace wp::billing

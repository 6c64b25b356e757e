#include "modules/billing/stripe.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <cctype>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/http_post.hpp"
#include "core/json_input.hpp"

namespace wp::billing {

namespace json = boost::json;
using Form = std::vector<std::pair<std::string, std::string>>;

namespace {

[[noreturn]] void unavailable(const std::string& what) {
  spdlog::warn("payment provider: {}", what);
  throw Error(ErrorCode::unavailable, "The payment provider is unavailable; try again later.");
}

std::string field(const json::object& o, const char* name) {
  auto it = o.find(name);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

json::object object_of(const std::string& body, const std::string& path) {
  auto v = try_parse_client_json(body);
  if (!v || !v->is_object()) unavailable(path + ": the answer is not a JSON object");
  return std::move(v->as_object());
}

}  // namespace

std::string form_encode(const Form& fields) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  auto add = [&](const std::string& s) {
    for (unsigned char c : s) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
        out.push_back(static_cast<char>(c));
      } else {
        out.push_back('%');
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
      }
    }
  };
  for (auto& [k, v] : fields) {
    if (!out.empty()) out.push_back('&');
    add(k);
    out.push_back('=');
    add(v);
  }
  return out;
}

std::string StripeProvider::post(const std::string& path, const Form& fields, const std::string& idempotency_key) {
  if (!configured()) throw Error(ErrorCode::unavailable, "Payments are not configured on this server.");
  HttpPost req;
  req.url = api_url_ + path;
  req.headers = {"Authorization: Bearer " + secret_key_, "Content-Type: application/x-www-form-urlencoded"};
  if (!idempotency_key.empty()) req.headers.push_back("Idempotency-Key: " + idempotency_key);
  req.body = form_encode(fields);
  auto answer = http_post(req, now_ms() / 1000);
  if (answer.status == 0) unavailable(path + ": " + answer.error);
  if (answer.status < 200 || answer.status >= 300)
    unavailable(path + ": HTTP " + std::to_string(answer.status) + ": " + answer.body.substr(0, 300));
  return answer.body;
}

std::string StripeProvider::create_customer(const std::string& user_id, const std::string& username) {
  auto body = post("/v1/customers", {{"name", username}, {"metadata[user_id]", user_id}}, "customer-" + user_id);
  auto id = field(object_of(body, "/v1/customers"), "id");
  if (id.empty()) unavailable("/v1/customers: no id in the answer");
  return id;
}

CheckoutSession StripeProvider::create_checkout(const CheckoutRequest& r) {
  bool subscription = r.kind == CheckoutKind::subscription;
  Form f{{"mode", subscription ? "subscription" : "payment"},
         {"customer", r.customer_id},
         {"client_reference_id", r.user_id},
         {"success_url", r.success_url},
         {"cancel_url", r.cancel_url},
         {"line_items[0][quantity]", "1"},
         {"metadata[user_id]", r.user_id},
         {"metadata[kind]", std::string(to_string(r.kind))},
         {"metadata[item]", r.item},
         {"billing_address_collection", "required"}};
  if (subscription && !r.provider_price.empty()) {
    f.emplace_back("line_items[0][price]", r.provider_price);
  } else {
    f.emplace_back("line_items[0][price_data][currency]", r.currency);
    f.emplace_back("line_items[0][price_data][unit_amount]", std::to_string(r.amount));
    f.emplace_back("line_items[0][price_data][product_data][name]", r.name);
    if (subscription) f.emplace_back("line_items[0][price_data][recurring][interval]", r.interval);
  }
  if (subscription) {
    f.emplace_back("subscription_data[metadata][user_id]", r.user_id);
    f.emplace_back("subscription_data[metadata][plan]", r.item);
  } else {
    f.emplace_back("payment_intent_data[metadata][user_id]", r.user_id);
  }
  auto o = object_of(post("/v1/checkout/sessions", f), "/v1/checkout/sessions");
  CheckoutSession s{field(o, "id"), field(o, "url")};
  if (s.id.empty() || s.url.empty()) unavailable("/v1/checkout/sessions: no id or url in the answer");
  return s;
}

std::string StripeProvider::portal_url(const std::string& customer_id, const std::string& return_url) {
  auto o = object_of(post("/v1/billing_portal/sessions", {{"customer", customer_id}, {"return_url", return_url}}),
                     "/v1/billing_portal/sessions");
  auto url = field(o, "url");
  if (url.empty()) unavailable("/v1/billing_portal/sessions: no url in the answer");
  return url;
}

void StripeProvider::cancel_at_period_end(const std::string& subscription_id) {
  post("/v1/subscriptions/" + subscription_id, {{"cancel_at_period_end", "true"}});
}

}  // namespace wp::billing

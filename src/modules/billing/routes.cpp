// Plans, checkouts, the portal, the provider's webhook, payments, invoices and credit notes (docs/api.md, "Billing").
#include "modules/billing/routes.hpp"

#include "core/clock.hpp"
#include "core/fields.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "http/pagination.hpp"
#include "modules/billing/dto.hpp"
#include "modules/billing/invoice_pdf.hpp"

namespace wp::billing {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

// This server's origin as the browser sees it (the provider sends the browser back there).
std::string site_of(const Request& req) {
  auto host = req.header("Host").value_or("localhost");
  auto proto = req.header("X-Forwarded-Proto").value_or("http");
  return (proto == "https" ? "https://" : "http://") + host;
}

bool all_of_query(const Request& req) {
  auto a = req.query("all");
  return a && (*a == "true" || *a == "1");
}

Response list_plans(BillingService& svc, Request&) {
  json::array plans, packs;
  for (auto& p : svc.catalog().plans()) plans.push_back(plan_json(p));
  if (svc.sells_coins())
    for (auto& c : svc.catalog().coin_packs()) packs.push_back(coin_pack_json(c));
  return http::json_response(json::object{{"plans", std::move(plans)}, {"coin_packs", std::move(packs)}});
}

Response my_plan(BillingService& svc, Request& req) {
  auto c = svc.current(req.current_user());
  json::object out{{"plan", plan_json(*c.plan)},
                   {"subscription", c.subscription ? json::value(subscription_json(*c.subscription)) : nullptr},
                   {"grace_until", http::time_or_null(c.grace_until)}};
  return http::json_response(out);
}

std::string required_id(const Request& req, const char* name) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto id = f.required_string(name, 1, 100);
  f.done();
  return id;
}

Response checkout(BillingService& svc, Request& req) {
  auto s = svc.checkout_plan(req.current_user(), required_id(req, "plan"), site_of(req));
  return http::json_response(json::object{{"session_id", s.id}, {"url", s.url}}, 201);
}

Response checkout_coins(BillingService& svc, Request& req) {
  auto s = svc.checkout_coins(req.current_user(), required_id(req, "pack"), site_of(req));
  return http::json_response(json::object{{"session_id", s.id}, {"url", s.url}}, 201);
}

Response portal(BillingService& svc, Request& req) {
  return http::json_response(json::object{{"url", svc.portal(req.current_user(), site_of(req))}});
}

Response cancel(BillingService& svc, Request& req) {
  return http::json_response(subscription_json(svc.cancel(req.current_user())));
}

Response webhook(BillingService& svc, Request& req) {
  auto outcome = svc.webhook(req.header("Stripe-Signature").value_or(""), req.body);
  const char* said = outcome == EventOutcome::handled ? "handled" : outcome == EventOutcome::duplicate ? "duplicate" : "ignored";
  return http::json_response(json::object{{"received", true}, {"outcome", said}});
}

Response list_payments(BillingService& svc, Request& req) {
  auto page = http::parse_page(req);
  long long count = 0;
  auto rows = svc.payments(req.current_user(), all_of_query(req), page.size, page.offset(), count);
  json::array out;
  for (auto& p : rows) out.push_back(payment_json(p));
  return http::paginated(req, page, count, std::move(out));
}

Response list_invoices(BillingService& svc, Request& req) {
  auto page = http::parse_page(req);
  long long count = 0;
  auto rows = svc.invoices(req.current_user(), all_of_query(req), page.size, page.offset(), count);
  json::array out;
  for (auto& i : rows) out.push_back(invoice_json(i));
  return http::paginated(req, page, count, std::move(out));
}

Response get_invoice(BillingService& svc, Request& req) {
  return http::json_response(invoice_json(svc.invoice(req.current_user(), req.param("id"))));
}

// A billing document as a PDF the browser shows; never cached by a proxy.
Response pdf_response(std::string body, const std::string& filename) {
  Response r;
  r.content_type = "application/pdf";
  r.body = std::move(body);
  r.set_header("Content-Disposition", "inline; filename=\"" + filename + "\"");
  r.set_header("Cache-Control", "private, no-store");
  return r;
}

Response invoice_pdf(BillingService& svc, Request& req) {
  auto inv = svc.invoice(req.current_user(), req.param("id"));
  return pdf_response(render_invoice_pdf(inv), "invoice-" + inv.number + ".pdf");
}

Response list_credit_notes(BillingService& svc, Request& req) {
  auto page = http::parse_page(req);
  long long count = 0;
  auto rows = svc.credit_notes(req.current_user(), all_of_query(req), page.size, page.offset(), count);
  json::array out;
  for (auto& c : rows) out.push_back(credit_note_json(c));
  return http::paginated(req, page, count, std::move(out));
}

Response get_credit_note(BillingService& svc, Request& req) {
  return http::json_response(credit_note_json(svc.credit_note(req.current_user(), req.param("id"))));
}

Response credit_note_pdf(BillingService& svc, Request& req) {
  auto cn = svc.credit_note(req.current_user(), req.param("id"));
  return pdf_response(render_credit_note_pdf(cn), "credit-note-" + cn.number + ".pdf");
}

constexpr const char* kPlanBody =
    R"({"type":"object","required":["plan"],"properties":{"plan":{"type":"string"}}})";
constexpr const char* kPackBody =
    R"({"type":"object","required":["pack"],"properties":{"pack":{"type":"string"}}})";
constexpr const char* kCheckoutAnswer =
    R"({"type":"object","properties":{"session_id":{"type":"string"},"url":{"type":"string","format":"uri"}}})";

}  // namespace

Settings settings_from(const Config& c) {
  Settings s;
  s.api_url = c.stripe_api_url;
  s.secret_key = c.stripe_secret_key;
  s.webhook_secret = c.stripe_webhook_secret;
  s.webhook_tolerance_s = c.stripe_webhook_tolerance_s;
  s.grace_period_ms = std::int64_t{c.billing_grace_period_s} * 1000;
  s.public_url = c.public_url;
  return s;
}

Catalog catalog_from(const Config& c) { return c.billing_file.empty() ? Catalog() : Catalog::from_file(c.billing_file); }

void add_routes(http::Router& router, BillingService& svc) {
  const auto A = Access::anonymous, U = Access::user;
  http::ModuleRoutes routes(router, svc, "billing");
  routes.add("GET", "/api/billing/plans/", "The plans (price per interval, limits) and the coin packs on sale", A,
             list_plans);
  routes.add("GET", "/api/billing/subscription/", "My plan, its limits and my subscription (grace_until when past due)",
             U, my_plan);
  routes.add("POST", "/api/billing/checkout/", "Start a Checkout Session for a plan; answers its URL", U, checkout,
             {.request_schema = kPlanBody, .response_schema = kCheckoutAnswer});
  routes.add("POST", "/api/billing/coins/checkout/", "Start a one-time Checkout Session for a coin pack", U,
             checkout_coins, {.request_schema = kPackBody, .response_schema = kCheckoutAnswer});
  routes.add("POST", "/api/billing/portal/", "A billing portal session's URL (payment method, invoices, plan)", U,
             portal);
  routes.add("POST", "/api/billing/subscription/cancel/", "Cancel my subscription at the end of its period", U,
             cancel);
  routes.add("POST", "/api/billing/webhook/", "The payment provider's events (Stripe-Signature verified)", A, webhook,
             {.max_body = 1024 * 1024});
  routes.add("GET", "/api/billing/payments/", "My charges and refunds (staff: ?all=true for everyone's)", U,
             list_payments);
  routes.add("GET", "/api/billing/invoices/", "My invoices (staff: ?all=true for everyone's)", U, list_invoices);
  routes.add("GET", "/api/billing/invoices/{id}/", "An invoice (its owner or staff)", U, get_invoice);
  routes.add("GET", "/api/billing/invoices/{id}/pdf/", "An invoice as a PDF (its owner or staff)", U, invoice_pdf);
  routes.add("GET", "/api/billing/credit-notes/", "My credit notes (refunds of my invoices; staff: ?all=true)", U,
             list_credit_notes);
  routes.add("GET", "/api/billing/credit-notes/{id}/", "A credit note (its owner or staff)", U, get_credit_note);
  routes.add("GET", "/api/billing/credit-notes/{id}/pdf/", "A credit note as a PDF (its owner or staff)", U,
             credit_note_pdf);
}

}  // namespace wp::billing

// BillingService: the provider's webhook events. Each is handled once (its id
// is recorded in the transaction that applies it); subscription events apply
// only when newer than what the row holds, and a canceled subscription never
// comes back; notices go out after the transaction commits.
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <cctype>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/json_input.hpp"
#include "core/validators.hpp"
#include "modules/billing/dto.hpp"
#include "modules/billing/money.hpp"
#include "modules/billing/service.hpp"
#include "modules/billing/signature.hpp"

namespace wp::billing {

namespace json = boost::json;

struct BillingService::Effects {
  std::vector<Notice> notices;
};

namespace {

const json::object kEmpty;

std::string str(const json::object& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

std::int64_t num(const json::object& o, const char* key, std::int64_t fallback = 0) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_int64() ? it->value().as_int64() : fallback;
}

std::optional<std::int64_t> seconds_as_ms(const json::object& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_int64()) return std::nullopt;
  return it->value().as_int64() * 1000;
}

const json::object& obj(const json::object& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_object() ? it->value().as_object() : kEmpty;
}

using validators::upper;

// Stripe's statuses beyond the five we keep fold into the nearest.
SubscriptionStatus status_of(const std::string& s) {
  if (auto v = parse_enum<SubscriptionStatus>(s)) return *v;
  if (s == "unpaid") return SubscriptionStatus::past_due;
  if (s == "incomplete_expired") return SubscriptionStatus::canceled;
  return SubscriptionStatus::incomplete;  // paused and anything new
}

// An object's id field may be a string or an expanded object.
std::string id_of(const json::object& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end()) return {};
  if (it->value().is_string()) return std::string(it->value().as_string());
  if (it->value().is_object()) return str(it->value().as_object(), "id");
  return {};
}

}  // namespace

EventOutcome BillingService::webhook(const std::string& signature_header, const std::string& payload) {
  auto now = now_ms();
  switch (verify_signature(signature_header, payload, settings_.webhook_secret, now / 1000,
                           settings_.webhook_tolerance_s)) {
    case SignatureCheck::valid: break;
    case SignatureCheck::stale: throw_validation("Stripe-Signature", "The timestamp is outside the tolerance.");
    case SignatureCheck::malformed: throw_validation("Stripe-Signature", "Missing or malformed.");
    case SignatureCheck::mismatch: throw_validation("Stripe-Signature", "No signature matches.");
  }
  auto parsed = parse_client_json(payload, JsonLimits{.max_depth = 32, .max_values = 100000});
  if (!parsed.is_object()) throw_validation("body", "An event object is required.");
  const auto& event = parsed.as_object();
  auto id = str(event, "id"), type = str(event, "type");
  const auto& object = obj(obj(event, "data"), "object");
  if (id.empty() || type.empty() || object.empty()) throw_validation("body", "An event needs id, type and data.object.");
  // The provider's time of the event orders the changes of one object.
  std::int64_t version = num(event, "created", now / 1000) * 1000;

  // A paid coin pack is credited before the event is recorded: the wallet is
  // idempotent on the payment, so a retry after a failure here credits once.
  if (type == "checkout.session.completed" && str(object, "mode") == "payment" &&
      str(object, "payment_status") == "paid") {
    auto checkout = store_.checkout(str(object, "id"));
    if (checkout && checkout->kind == CheckoutKind::coins) {
      auto pack = catalog_.coin_pack(checkout->item);
      if (!coin_sink_) throw Error(ErrorCode::unavailable, "Coins cannot be credited now; retry later.");
      if (pack) coin_sink_->credit_purchase(checkout->user_id, pack->coins, "checkout:" + checkout->session_id);
    }
  }

  Effects fx;
  bool first = store_.once(id, type, now, [&](EventTx& tx) {
    if (type == "customer.subscription.created" || type == "customer.subscription.updated")
      on_subscription(tx, object, version, false, fx);
    else if (type == "customer.subscription.deleted")
      on_subscription(tx, object, version, true, fx);
    else if (type == "invoice.paid")
      on_invoice_paid(tx, object, now, fx);
    else if (type == "invoice.payment_failed")
      on_payment_failed(tx, object, version, fx);
    else if (type == "checkout.session.completed")
      on_checkout_completed(tx, object, now, fx);
    else if (type == "charge.refunded")
      on_refund(tx, object, now, fx);
  });
  if (!first) return EventOutcome::duplicate;
  after(fx);
  return EventOutcome::handled;
}

void BillingService::after(const Effects& fx) {
  for (auto& n : fx.notices) notify_quietly(notifier_, n);
}

void BillingService::on_subscription(EventTx& tx, const json::object& sub, std::int64_t version, bool deleted,
                                     Effects& fx) {
  auto provider_id = str(sub, "id");
  auto existing = tx.subscription_for_update(provider_id);
  if (existing) {
    if (existing->status == SubscriptionStatus::canceled) return;  // ended for good: a late update changes nothing
    if (version < existing->provider_version) return;             // older than what we hold
  }
  const auto& meta = obj(sub, "metadata");
  std::string user_id = existing ? existing->user_id : str(meta, "user_id");
  if (user_id.empty()) user_id = tx.user_of_customer(id_of(sub, "customer")).value_or("");
  if (user_id.empty()) {
    spdlog::warn("billing: subscription {} of an unknown customer, ignored", provider_id);
    return;
  }
  std::string plan = str(meta, "plan");
  if (plan.empty() || !catalog_.plan(plan)) plan = existing ? existing->plan : "";
  auto* p = catalog_.plan(plan);
  if (!p) {
    spdlog::warn("billing: subscription {} names no plan of the billing file, ignored", provider_id);
    return;
  }
  auto now = now_ms();
  SubscriptionRow r = existing.value_or(SubscriptionRow{});
  bool fresh = !existing;
  if (fresh) {
    r.id = new_uuid();
    r.user_id = user_id;
    r.provider_subscription_id = provider_id;
    r.created_at = now;
  }
  auto before = r.status;
  r.plan = plan;
  r.status = deleted ? SubscriptionStatus::canceled : status_of(str(sub, "status"));
  r.start_date = seconds_as_ms(sub, "start_date").value_or(fresh ? version : r.start_date);
  r.current_period_start = seconds_as_ms(sub, "current_period_start");
  r.current_period_end = seconds_as_ms(sub, "current_period_end");
  r.end_date = seconds_as_ms(sub, "ended_at");
  if (deleted && !r.end_date) r.end_date = version;
  r.auto_renew = !deleted && !(sub.contains("cancel_at_period_end") && sub.at("cancel_at_period_end").is_bool() &&
                               sub.at("cancel_at_period_end").as_bool());
  r.features = limits_json(p->limits);
  if (r.status != SubscriptionStatus::past_due) r.past_due_since.reset();
  else if (!r.past_due_since) r.past_due_since = version;
  r.provider_version = version;
  r.updated_at = now;
  if (fresh) tx.insert_subscription(r);
  else tx.update_subscription(r);
  if (fresh || before != r.status) {
    json::object data{{"plan", p->name}, {"status", std::string(to_string(r.status))}, {"subscription_id", r.id}};
    fx.notices.push_back({r.user_id, "subscription", json::serialize(data), "", "", "subscription:" + provider_id + ":" +
                                                                                    std::string(to_string(r.status))});
  }
}

void BillingService::issue_invoice(EventTx& tx, const PaymentRow& payment, const std::vector<InvoiceLine>& lines,
                                   const std::string& country, std::int64_t now) {
  if (payment.amount <= 0) return;  // nothing was paid: a trial's zero invoice
  InvoiceRow inv;
  inv.id = new_uuid();
  inv.year = year_of(now);
  inv.user_id = payment.user_id;
  inv.payment_id = payment.id;
  inv.seller = seller_json(catalog_.seller());
  auto buyer = tx.buyer(payment.user_id).value_or(Buyer{});
  inv.buyer = json::serialize(json::object{
      {"name", buyer.name}, {"username", buyer.username}, {"email", buyer.email}, {"country", upper(country)}});
  inv.lines = lines_json(lines);
  inv.currency = payment.currency;
  inv.total = payment.amount;
  inv.tax_rate_bp = country.empty() ? 0 : catalog_.tax_rate_bp(country);
  inv.tax = tax_included(inv.total, inv.tax_rate_bp);
  inv.subtotal = inv.total - inv.tax;
  inv.issued_at = now;
  tx.insert_invoice(inv);
}

void BillingService::on_invoice_paid(EventTx& tx, const json::object& invoice, std::int64_t now, Effects& fx) {
  auto provider_sub = id_of(invoice, "subscription");
  auto sub = provider_sub.empty() ? std::nullopt : tx.subscription_for_update(provider_sub);
  std::string user_id = sub ? sub->user_id : tx.user_of_customer(id_of(invoice, "customer")).value_or("");
  if (user_id.empty()) {
    spdlog::warn("billing: invoice {} of an unknown customer, ignored", str(invoice, "id"));
    return;
  }
  PaymentRow p;
  p.id = new_uuid();
  p.user_id = user_id;
  if (sub) p.subscription_id = sub->id;
  p.amount = num(invoice, "amount_paid");
  p.currency = upper(str(invoice, "currency"));
  p.transaction_id = str(invoice, "id");
  p.description = sub ? "Subscription: " + sub->plan : "Invoice";
  p.metadata = json::serialize(json::object{{"provider_invoice", p.transaction_id}});
  p.created_at = now;
  if (!tx.insert_payment(p)) return;  // recorded under another event already
  std::vector<InvoiceLine> lines;
  if (auto l = obj(invoice, "lines").find("data"); l != obj(invoice, "lines").end() && l->value().is_array())
    for (auto& v : l->value().as_array())
      if (v.is_object())
        lines.push_back({str(v.as_object(), "description"), num(v.as_object(), "quantity", 1),
                         num(v.as_object(), "amount")});
  if (lines.empty()) lines.push_back({p.description, 1, p.amount});
  issue_invoice(tx, p, lines, str(obj(invoice, "customer_address"), "country"), now);
  // A payment that succeeds after failures ends the grace period.
  if (sub && sub->status == SubscriptionStatus::past_due) {
    sub->status = SubscriptionStatus::active;
    sub->past_due_since.reset();
    sub->updated_at = now;
    tx.update_subscription(*sub);
  }
  json::object data{{"amount", format_amount(p.amount, p.currency)}, {"currency", p.currency}, {"status", "paid"},
                    {"payment_id", p.id}};
  fx.notices.push_back({user_id, "payment", json::serialize(data), "", "", "payment:" + p.transaction_id});
}

void BillingService::on_payment_failed(EventTx& tx, const json::object& invoice, std::int64_t version, Effects& fx) {
  auto provider_sub = id_of(invoice, "subscription");
  auto sub = provider_sub.empty() ? std::nullopt : tx.subscription_for_update(provider_sub);
  std::string user_id = sub ? sub->user_id : tx.user_of_customer(id_of(invoice, "customer")).value_or("");
  if (user_id.empty()) return;
  auto now = now_ms();
  PaymentRow p;
  p.id = new_uuid();
  p.user_id = user_id;
  if (sub) p.subscription_id = sub->id;
  p.status = PaymentStatus::failed;
  p.amount = num(invoice, "amount_due");
  p.currency = upper(str(invoice, "currency"));
  p.transaction_id = str(invoice, "id");
  p.description = "Failed payment";
  p.metadata = json::serialize(json::object{{"attempt_count", num(invoice, "attempt_count", 1)}});
  p.created_at = now;
  tx.insert_payment(p);
  std::int64_t grace_until = now + settings_.grace_period_ms;
  if (sub && (sub->status == SubscriptionStatus::active || sub->status == SubscriptionStatus::trialing)) {
    sub->status = SubscriptionStatus::past_due;
    sub->past_due_since = version;
    sub->updated_at = now;
    tx.update_subscription(*sub);
  }
  if (sub && sub->past_due_since) grace_until = *sub->past_due_since + settings_.grace_period_ms;
  json::object data{{"amount", format_amount(p.amount, p.currency)},
                    {"plan", sub ? sub->plan : std::string()},
                    {"grace_until", to_rfc3339(grace_until)},
                    {"payment_id", p.id}};
  fx.notices.push_back({user_id, "payment_failed", json::serialize(data), "", "", "payment_failed:" + p.id});
}

void BillingService::on_checkout_completed(EventTx& tx, const json::object& session, std::int64_t now, Effects& fx) {
  auto session_id = str(session, "id");
  auto checkout = tx.checkout(session_id);
  if (!checkout) {
    spdlog::warn("billing: checkout session {} was not started here, ignored", session_id);
    return;
  }
  tx.complete_checkout(session_id, now);
  if (checkout->kind != CheckoutKind::coins || str(session, "payment_status") != "paid") return;
  auto pack = catalog_.coin_pack(checkout->item);
  PaymentRow p;
  p.id = new_uuid();
  p.user_id = checkout->user_id;
  p.amount = num(session, "amount_total");
  p.currency = upper(str(session, "currency"));
  auto intent = id_of(session, "payment_intent");
  p.transaction_id = intent.empty() ? session_id : intent;
  p.description = pack ? pack->name : "Coins";
  p.metadata = json::serialize(
      json::object{{"checkout_session", session_id}, {"coin_pack", checkout->item}, {"coins", pack ? pack->coins : 0}});
  p.created_at = now;
  if (!tx.insert_payment(p)) return;
  issue_invoice(tx, p, {{p.description, 1, p.amount}},
                str(obj(obj(session, "customer_details"), "address"), "country"), now);
  json::object data{{"amount", format_amount(p.amount, p.currency)}, {"currency", p.currency}, {"status", "paid"},
                    {"payment_id", p.id}};
  fx.notices.push_back({p.user_id, "payment", json::serialize(data), "", "", "payment:" + p.transaction_id});
}

void BillingService::on_refund(EventTx& tx, const json::object& charge, std::int64_t now, Effects& fx) {
  // The charge is known by the invoice it paid (subscriptions) or its payment intent (coin packs).
  auto original = tx.charge_of_transaction(id_of(charge, "invoice"));
  if (!original) original = tx.charge_of_transaction(id_of(charge, "payment_intent"));
  if (!original) {
    spdlog::warn("billing: refund of charge {} that is not ours, ignored", str(charge, "id"));
    return;
  }
  PaymentRow r;
  r.id = new_uuid();
  r.user_id = original->user_id;
  r.subscription_id = original->subscription_id;
  r.kind = PaymentKind::refund;
  r.currency = upper(str(charge, "currency"));
  // Each refund of a charge is its own row: the newest refund's id and amount.
  const auto& refunds = obj(charge, "refunds");
  auto data = refunds.find("data");
  std::string reason;
  if (data != refunds.end() && data->value().is_array() && !data->value().as_array().empty() &&
      data->value().as_array().front().is_object()) {
    const auto& latest = data->value().as_array().front().as_object();
    r.transaction_id = str(latest, "id");
    r.amount = num(latest, "amount");
    reason = str(latest, "reason");
  } else {
    r.amount = num(charge, "amount_refunded");
    r.transaction_id = str(charge, "id") + ":" + std::to_string(r.amount);
  }
  r.description = "Refund: " + original->description;
  r.metadata = json::serialize(json::object{{"charge", str(charge, "id")}, {"refunds_payment", original->id}});
  r.created_at = now;
  if (!tx.insert_payment(r)) return;
  issue_credit_note(tx, r, *original, reason, now);
  json::object notice{{"amount", format_amount(r.amount, r.currency)}, {"currency", r.currency},
                      {"status", "refunded"}, {"payment_id", r.id}};
  fx.notices.push_back({r.user_id, "payment", json::serialize(notice), "", "", "refund:" + r.transaction_id});
}

}  // namespace wp::billing

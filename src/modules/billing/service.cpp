// BillingService: plans and their limits, checkouts, the portal, cancel.
#include "modules/billing/service.hpp"

#include "core/clock.hpp"
#include "core/error.hpp"

namespace wp::billing {

namespace {

// A subscription that gives its plan now: active or trialing, or past_due within the grace period.
bool counts(const SubscriptionRow& s, std::int64_t now, std::int64_t grace_ms) {
  if (s.status == SubscriptionStatus::active || s.status == SubscriptionStatus::trialing) return true;
  if (s.status != SubscriptionStatus::past_due) return false;
  return !s.past_due_since || *s.past_due_since + grace_ms > now;
}

// A subscription the user must manage in the portal rather than buy again.
bool live(const SubscriptionRow& s) {
  return s.status == SubscriptionStatus::active || s.status == SubscriptionStatus::trialing ||
         s.status == SubscriptionStatus::past_due;
}

}  // namespace

CurrentPlan BillingService::current_of(const std::string& user_id) {
  CurrentPlan out;
  out.plan = &catalog_.free_plan();
  if (user_id.empty()) return out;
  auto subs = store_.subscriptions_of(user_id);
  auto now = now_ms();
  for (auto& s : subs) {
    if (!counts(s, now, settings_.grace_period_ms)) continue;
    // A plan taken out of the billing file since: its subscribers fall back to free.
    if (auto p = catalog_.plan(s.plan)) out.plan = p;
    out.subscription = s;
    if (s.status == SubscriptionStatus::past_due && s.past_due_since)
      out.grace_until = *s.past_due_since + settings_.grace_period_ms;
    return out;
  }
  if (!subs.empty()) out.subscription = subs.front();
  return out;
}

PlanLimits BillingService::limits_of(const std::string& user_id) { return current_of(user_id).plan->limits; }

std::map<std::string, std::string> BillingService::paying_users() {
  std::map<std::string, std::string> out;
  const auto now = now_ms();
  const auto& free = catalog_.free_plan().id;
  // Rows come by user, the newest first: a user's first counting row is their plan, as in current_of.
  std::string decided;
  for (auto& s : store_.live_subscriptions()) {
    if (s.user_id == decided || !counts(s, now, settings_.grace_period_ms)) continue;
    decided = s.user_id;
    auto p = catalog_.plan(s.plan);
    if (p && p->id != free) out.emplace(s.user_id, p->id);
  }
  return out;
}

CurrentPlan BillingService::current(const Principal& me) { return current_of(me.id); }

std::string BillingService::return_url(const std::string& site, const std::string& page) const {
  return (settings_.public_url.empty() ? site : settings_.public_url) + page;
}

std::string BillingService::customer_for(const Principal& me) {
  if (auto c = store_.customer_of(me.id)) return *c;
  auto created = provider_.create_customer(me.id, me.username);
  return store_.save_customer(me.id, created, now_ms());
}

CheckoutSession BillingService::checkout_plan(const Principal& me, const std::string& plan_id,
                                              const std::string& site) {
  auto plan = catalog_.plan(plan_id);
  if (!plan) throw_validation("plan", "No such plan.");
  if (plan->price == 0) throw_validation("plan", "This plan is free: it needs no checkout.");
  for (auto& s : store_.subscriptions_of(me.id))
    if (live(s)) throw_conflict("You have a subscription already: change or cancel it in the billing portal.");
  if (!provider_.configured()) throw Error(ErrorCode::unavailable, "Payments are not configured on this server.");
  CheckoutRequest r;
  r.kind = CheckoutKind::subscription;
  r.customer_id = customer_for(me);
  r.user_id = me.id;
  r.item = plan->id;
  r.name = plan->name;
  r.amount = plan->price;
  r.currency = plan->currency;
  r.interval = plan->interval;
  r.provider_price = plan->provider_price;
  r.success_url = return_url(site, "/settings/plans?checkout=success&session_id={CHECKOUT_SESSION_ID}");
  r.cancel_url = return_url(site, "/settings/plans?checkout=cancel");
  auto session = provider_.create_checkout(r);
  store_.insert_checkout({session.id, me.id, CheckoutKind::subscription, plan->id, now_ms(), std::nullopt});
  return session;
}

CheckoutSession BillingService::checkout_coins(const Principal& me, const std::string& pack_id,
                                               const std::string& site) {
  auto pack = catalog_.coin_pack(pack_id);
  if (!pack) throw_validation("pack", "No such coin pack.");
  if (!coin_sink_) throw Error(ErrorCode::unavailable, "Coins are not sold on this server yet.");
  if (!provider_.configured()) throw Error(ErrorCode::unavailable, "Payments are not configured on this server.");
  CheckoutRequest r;
  r.kind = CheckoutKind::coins;
  r.customer_id = customer_for(me);
  r.user_id = me.id;
  r.item = pack->id;
  r.name = pack->name;
  r.amount = pack->price;
  r.currency = pack->currency;
  r.success_url = return_url(site, "/settings/billing?checkout=success");
  r.cancel_url = return_url(site, "/settings/billing?checkout=cancel");
  auto session = provider_.create_checkout(r);
  store_.insert_checkout({session.id, me.id, CheckoutKind::coins, pack->id, now_ms(), std::nullopt});
  return session;
}

std::string BillingService::portal(const Principal& me, const std::string& site) {
  auto customer = store_.customer_of(me.id);
  if (!customer) throw_conflict("You have no billing account yet: choose a plan first.");
  return provider_.portal_url(*customer, return_url(site, "/settings/plans"));
}

SubscriptionRow BillingService::cancel(const Principal& me) {
  for (auto& s : store_.subscriptions_of(me.id)) {
    if (!live(s)) continue;
    if (!s.auto_renew) return s;
    provider_.cancel_at_period_end(s.provider_subscription_id);
    // The provider's customer.subscription.updated confirms it; the page shows it at once.
    store_.set_auto_renew(s.id, false, now_ms());
    s.auto_renew = false;
    return s;
  }
  throw_conflict("You have no subscription to cancel.");
}

}  // namespace wp::billing

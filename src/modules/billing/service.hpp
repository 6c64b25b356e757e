#pragma once
// Billing's rules: which plan a user has (core/plans.hpp), checkouts for a
// plan or a coin pack, the billing portal and cancel at period end, the
// provider's webhook events (webhook.cpp), and who sees which payments and
// invoices (invoices.cpp: only their own; staff all) and credit notes (credit_notes.cpp).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/coin_sink.hpp"
#include "core/notifier.hpp"
#include "core/plans.hpp"
#include "core/principal.hpp"
#include "modules/billing/catalog.hpp"
#include "modules/billing/model.hpp"
#include "modules/billing/provider.hpp"
#include "modules/billing/store.hpp"

namespace boost::json {
class object;
}

namespace wp::billing {

// What the webhook answered: handled, already handled (a repeat), or ignored (not ours, or stale).
enum class EventOutcome { handled, duplicate, ignored };

struct CurrentPlan {
  const Plan* plan = nullptr;
  std::optional<SubscriptionRow> subscription;  // the one that counts, or the latest
  std::optional<std::int64_t> grace_until;      // past_due: the plan holds until then
};

class BillingService : public Plans {
 public:
  BillingService(Store& store, PaymentProvider& provider, Catalog catalog, Settings settings)
      : store_(store), provider_(provider), catalog_(std::move(catalog)), settings_(std::move(settings)) {}

  void set_notifier(Notifier& n) { notifier_ = &n; }
  // The store module's wallet (null until it is wired): coin packs are sold only with one.
  void set_coin_sink(CoinSink* sink) { coin_sink_ = sink; }
  const Catalog& catalog() const { return catalog_; }
  bool sells_coins() const { return coin_sink_ != nullptr && !catalog_.coin_packs().empty(); }

  // ---- plans (service.cpp). site: this server's origin as the browser sees it, for the
  // provider's return URLs when public_url is not set.
  PlanLimits limits_of(const std::string& user_id) override;
  std::map<std::string, std::string> paying_users() override;
  bool has_plan(const std::string& id) const override { return catalog_.plan(id) != nullptr; }
  CurrentPlan current(const Principal& me);
  CheckoutSession checkout_plan(const Principal& me, const std::string& plan_id, const std::string& site);
  CheckoutSession checkout_coins(const Principal& me, const std::string& pack_id, const std::string& site);
  std::string portal(const Principal& me, const std::string& site);
  SubscriptionRow cancel(const Principal& me);

  // ---- the provider's webhook (webhook.cpp)
  // Throws validation (400) for a bad or stale signature or a body that is not an event.
  EventOutcome webhook(const std::string& signature_header, const std::string& payload);

  // ---- payments and invoices (invoices.cpp); all: staff only, everyone's
  std::vector<PaymentRow> payments(const Principal& me, bool all, int limit, int offset, long long& count);
  std::vector<InvoiceRow> invoices(const Principal& me, bool all, int limit, int offset, long long& count);
  // The caller's own, or any for staff; 404 otherwise.
  InvoiceRow invoice(const Principal& me, const std::string& id);

  // ---- credit notes (credit_notes.cpp): the same rules as invoices
  std::vector<CreditNoteRow> credit_notes(const Principal& me, bool all, int limit, int offset, long long& count);
  CreditNoteRow credit_note(const Principal& me, const std::string& id);

 private:
  CurrentPlan current_of(const std::string& user_id);
  std::string customer_for(const Principal& me);
  std::string return_url(const std::string& site, const std::string& page) const;

  // webhook.cpp: one per event type, inside the event's transaction; notices go out after it commits.
  struct Effects;
  void on_subscription(EventTx& tx, const boost::json::object& sub, std::int64_t version, bool deleted, Effects& fx);
  void on_invoice_paid(EventTx& tx, const boost::json::object& invoice, std::int64_t now, Effects& fx);
  void on_payment_failed(EventTx& tx, const boost::json::object& invoice, std::int64_t version, Effects& fx);
  void on_checkout_completed(EventTx& tx, const boost::json::object& session, std::int64_t now, Effects& fx);
  void on_refund(EventTx& tx, const boost::json::object& charge, std::int64_t now, Effects& fx);
  void issue_invoice(EventTx& tx, const PaymentRow& payment, const std::vector<InvoiceLine>& lines,
                     const std::string& country, std::int64_t now);
  // A refund of a charge: a credit note against the charge's invoice (none when
  // the charge has no invoice). Inside the refund's transaction.
  void issue_credit_note(EventTx& tx, const PaymentRow& refund, const PaymentRow& charge, const std::string& reason,
                         std::int64_t now);
  void after(const Effects& fx);

  Store& store_;
  PaymentProvider& provider_;
  Catalog catalog_;
  Settings settings_;
  Notifier* notifier_ = nullptr;
  CoinSink* coin_sink_ = nullptr;
};

}  // namespace wp::billing

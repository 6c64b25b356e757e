#pragma once
// Every statement of billing. A webhook event is handled in one
// transaction (Store::once): its id is recorded first, so a repeat does
// nothing, and what the event changes goes through EventTx in that same
// transaction (an invoice's number included).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "db/kept.hpp"
#include "modules/billing/model.hpp"

namespace soci {
class session;
}

namespace wp::billing {

struct Buyer {
  std::string username, email, name;
};

// The statements a webhook event runs inside its transaction.
class EventTx {
 public:
  EventTx(soci::session& s, db::Dialect dialect) : s_(s), dialect_(dialect) {}

  std::optional<std::string> user_of_customer(const std::string& customer_id);
  std::optional<CheckoutRow> checkout(const std::string& session_id);
  void complete_checkout(const std::string& session_id, std::int64_t now);
  // Locked for the rest of the transaction (FOR UPDATE on PostgreSQL; SQLite's write lock holds already).
  std::optional<SubscriptionRow> subscription_for_update(const std::string& provider_subscription_id);
  void insert_subscription(const SubscriptionRow& r);
  void update_subscription(const SubscriptionRow& r);
  // False when the provider's transaction was recorded already (a charge or refund is kept once).
  bool insert_payment(const PaymentRow& p);
  std::optional<PaymentRow> charge_of_transaction(const std::string& transaction_id);
  std::optional<Buyer> buyer(const std::string& user_id);
  // Takes the year's next number and inserts the invoice with it (fills number, year, seq).
  void insert_invoice(InvoiceRow& invoice);
  std::optional<InvoiceRow> invoice_of_payment(const std::string& payment_id);
  // The sum of the invoice's credit notes so far.
  std::int64_t credited(const std::string& invoice_id);
  // Takes the year's next credit note number (a series of its own) and inserts it.
  void insert_credit_note(CreditNoteRow& note);

 private:
  soci::session& s_;
  db::Dialect dialect_;
};

class Store {
 public:
  explicit Store(db::Database& db);

  std::optional<std::string> customer_of(const std::string& user_id);
  // Keeps the first customer id recorded for the user and returns it.
  std::string save_customer(const std::string& user_id, const std::string& customer_id, std::int64_t now);
  void insert_checkout(const CheckoutRow& c);
  std::optional<CheckoutRow> checkout(const std::string& session_id);

  std::vector<SubscriptionRow> subscriptions_of(const std::string& user_id);
  // Every user's active, trialing and past-due subscriptions, by user, the newest first.
  std::vector<SubscriptionRow> live_subscriptions();
  void set_auto_renew(const std::string& id, bool auto_renew, std::int64_t now);

  // In one transaction: records the event id and, unless it was recorded
  // before (returns false, nothing else runs), runs apply.
  bool once(const std::string& event_id, const std::string& type, std::int64_t now,
            const std::function<void(EventTx&)>& apply);

  std::vector<PaymentRow> payments(const ListFilter& f);
  long long count_payments(const std::string& user_id);
  std::vector<InvoiceRow> invoices(const ListFilter& f);
  long long count_invoices(const std::string& user_id);
  std::optional<InvoiceRow> invoice(const std::string& id);
  std::vector<CreditNoteRow> credit_notes(const ListFilter& f);
  long long count_credit_notes(const std::string& user_id);
  std::optional<CreditNoteRow> credit_note(const std::string& id);

 private:
  db::Database& db_;
  // A user's plan limits are read on every party create and join: kept prepared (db/kept.hpp).
  std::unique_ptr<db::KeptSelect<SubscriptionRow, std::string>> subscriptions_of_;
};

}  // namespace wp::billing

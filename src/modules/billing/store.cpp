#include "modules/billing/store.hpp"

#include <soci/soci.h>

#include <cstdio>

#include "db/affected.hpp"
#include "db/columns.hpp"
#include "db/soci_optional.hpp"
#include "modules/billing/sql.hpp"

namespace wp::billing {

using soci::into;
using soci::use;

namespace {

std::optional<std::string> one_text(soci::session& s, const char* query, const std::string& param) {
  std::string out;
  soci::indicator ind = soci::i_null;
  s << query, into(out, ind), use(param);
  if (!s.got_data() || ind == soci::i_null) return std::nullopt;
  return out;
}

// The values of a subscription row as the statements bind them.
struct SubscriptionParams {
  std::string status;
  long long start, version, created, updated;
  std::optional<long long> end, period_start, period_end, past_due;
  int auto_renew;

  explicit SubscriptionParams(const SubscriptionRow& r)
      : status(to_string(r.status)),
        start(r.start_date),
        version(r.provider_version),
        created(r.created_at),
        updated(r.updated_at),
        auto_renew(r.auto_renew ? 1 : 0) {
    if (r.end_date) end = *r.end_date;
    if (r.current_period_start) period_start = *r.current_period_start;
    if (r.current_period_end) period_end = *r.current_period_end;
    if (r.past_due_since) past_due = *r.past_due_since;
  }
};

// The SQL of one gapless series: its counter row per year made, moved, read.
struct Series {
  const char* ensure;
  const char* bump;
  const char* read;
};

// The year's next number, under the counter row's lock until the caller's
// transaction ends: a rollback gives the number back, so none is skipped.
int next_in_series(soci::session& s, const Series& series, int year) {
  int seq = 0;
  s << series.ensure, use(year);
  s << series.bump, use(year);
  s << series.read, into(seq), use(year);
  return seq;
}

}  // namespace

// ---------------------------------------------------------------- EventTx

std::optional<std::string> EventTx::user_of_customer(const std::string& customer_id) {
  return one_text(s_, sql::kUserOfCustomer, customer_id);
}

std::optional<CheckoutRow> EventTx::checkout(const std::string& session_id) {
  return db::select_one(s_, sql::kCheckout, sql::kCheckoutById, db::uses(session_id));
}

void EventTx::complete_checkout(const std::string& session_id, std::int64_t now) {
  long long t = now;
  s_ << sql::kCompleteCheckout, use(t), use(session_id);
}

std::optional<SubscriptionRow> EventTx::subscription_for_update(const std::string& provider_subscription_id) {
  std::string rest = sql::kSubscriptionByProvider;
  if (dialect_ == db::Dialect::postgresql) rest += sql::kForUpdate;
  return db::select_one(s_, sql::kSubscription, rest, db::uses(provider_subscription_id));
}

void EventTx::insert_subscription(const SubscriptionRow& r) {
  SubscriptionParams p(r);
  s_ << sql::kInsertSubscription, use(r.id), use(r.user_id), use(r.plan), use(r.provider_subscription_id),
      use(p.status), use(p.start), use(p.end), use(p.period_start), use(p.period_end), use(p.auto_renew),
      use(r.features), use(p.past_due), use(p.version), use(p.created), use(p.updated);
}

void EventTx::update_subscription(const SubscriptionRow& r) {
  SubscriptionParams p(r);
  s_ << sql::kUpdateSubscription, use(r.plan), use(p.status), use(p.start), use(p.end), use(p.period_start),
      use(p.period_end), use(p.auto_renew), use(r.features), use(p.past_due), use(p.version), use(p.updated),
      use(r.id);
}

bool EventTx::insert_payment(const PaymentRow& p) {
  std::string kind(to_string(p.kind)), status(to_string(p.status));
  long long amount = p.amount, at = p.created_at;
  soci::statement st = (s_.prepare << sql::kInsertPayment, use(p.id), use(p.user_id), use(p.subscription_id),
                        use(kind), use(status), use(amount), use(p.currency), use(p.transaction_id),
                        use(p.description), use(p.metadata), use(at));
  return db::execute_counting(st) == 1;
}

std::optional<PaymentRow> EventTx::charge_of_transaction(const std::string& transaction_id) {
  return db::select_one(s_, sql::kPayment, std::string(sql::kPaymentFrom) + sql::kPaymentOfTransaction,
                        db::uses(transaction_id));
}

std::optional<Buyer> EventTx::buyer(const std::string& user_id) {
  Buyer b;
  std::string first, last;
  s_ << sql::kBuyer, into(b.username), into(b.email), into(first), into(last), use(user_id);
  if (!s_.got_data()) return std::nullopt;
  b.name = first + (first.empty() || last.empty() ? "" : " ") + last;
  return b;
}

void EventTx::insert_invoice(InvoiceRow& inv) {
  inv.seq = next_in_series(s_, {sql::kEnsureCounter, sql::kBumpCounter, sql::kReadCounter}, inv.year);
  char number[32];
  std::snprintf(number, sizeof number, "%04d-%06d", inv.year, inv.seq);
  inv.number = number;
  long long subtotal = inv.subtotal, tax = inv.tax, total = inv.total, at = inv.issued_at;
  s_ << sql::kInsertInvoice, use(inv.id), use(inv.number), use(inv.year), use(inv.seq), use(inv.user_id),
      use(inv.payment_id), use(inv.seller), use(inv.buyer), use(inv.lines), use(inv.currency), use(subtotal),
      use(inv.tax_rate_bp), use(tax), use(total), use(at);
}

std::optional<InvoiceRow> EventTx::invoice_of_payment(const std::string& payment_id) {
  return db::select_one(s_, sql::kInvoice, std::string(sql::kInvoiceFrom) + sql::kInvoiceOfPayment,
                        db::uses(payment_id));
}

std::int64_t EventTx::credited(const std::string& invoice_id) {
  return db::fetch_count(s_, sql::kCreditedOfInvoice, db::uses(invoice_id));
}

void EventTx::insert_credit_note(CreditNoteRow& cn) {
  cn.seq = next_in_series(s_, {sql::kEnsureCreditCounter, sql::kBumpCreditCounter, sql::kReadCreditCounter}, cn.year);
  char number[32];
  std::snprintf(number, sizeof number, "CN-%04d-%06d", cn.year, cn.seq);
  cn.number = number;
  long long subtotal = cn.subtotal, tax = cn.tax, total = cn.total, at = cn.issued_at;
  s_ << sql::kInsertCreditNote, use(cn.id), use(cn.number), use(cn.year), use(cn.seq), use(cn.user_id),
      use(cn.invoice_id), use(cn.payment_id), use(cn.seller), use(cn.buyer), use(cn.lines), use(cn.currency),
      use(subtotal), use(cn.tax_rate_bp), use(tax), use(total), use(cn.reason), use(at);
}

// ---------------------------------------------------------------- Store

std::optional<std::string> Store::customer_of(const std::string& user_id) {
  return db_.with([&](soci::session& s) { return one_text(s, sql::kCustomerOf, user_id); });
}

std::string Store::save_customer(const std::string& user_id, const std::string& customer_id, std::int64_t now) {
  long long t = now;
  return db_.tx([&](soci::session& s) {
    s << sql::kInsertCustomer, use(user_id), use(customer_id), use(t);
    return one_text(s, sql::kCustomerOf, user_id).value_or(customer_id);
  });
}

void Store::insert_checkout(const CheckoutRow& c) {
  std::string kind(to_string(c.kind));
  long long t = c.created_at;
  db_.with([&](soci::session& s) {
    s << sql::kInsertCheckout, use(c.session_id), use(c.user_id), use(kind), use(c.item), use(t);
  });
}

std::optional<CheckoutRow> Store::checkout(const std::string& session_id) {
  return db_.with(
      [&](soci::session& s) { return db::select_one(s, sql::kCheckout, sql::kCheckoutById, db::uses(session_id)); });
}

Store::Store(db::Database& db)
    : db_(db),
      subscriptions_of_(
          std::make_unique<db::KeptSelect<SubscriptionRow, std::string>>(db, sql::kSubscription, sql::kSubscriptionsOf)) {}

std::vector<SubscriptionRow> Store::subscriptions_of(const std::string& user_id) {
  return db_.with([&](soci::session& s) { return subscriptions_of_->rows(s, user_id); });
}

std::vector<SubscriptionRow> Store::live_subscriptions() {
  return db_.with([&](soci::session& s) { return db::select_rows(s, sql::kSubscription, sql::kLiveSubscriptions, db::uses()); });
}

void Store::set_auto_renew(const std::string& id, bool auto_renew, std::int64_t now) {
  int a = auto_renew ? 1 : 0;
  long long t = now;
  db_.with([&](soci::session& s) { s << sql::kSetAutoRenew, use(a), use(t), use(id); });
}

bool Store::once(const std::string& event_id, const std::string& type, std::int64_t now,
                 const std::function<void(EventTx&)>& apply) {
  long long t = now;
  return db_.tx([&](soci::session& s) {
    soci::statement st = (s.prepare << sql::kRecordEvent, use(event_id), use(type), use(t));
    if (db::execute_counting(st) != 1) return false;
    EventTx tx(s, db_.dialect());
    apply(tx);
    return true;
  });
}

std::vector<PaymentRow> Store::payments(const ListFilter& f) {
  return db_.with([&](soci::session& s) {
    std::string rest = std::string(sql::kPaymentFrom) + sql::kWhereTrue;
    if (!f.user_id.empty()) rest += sql::kPaymentOfUser;
    rest += sql::kPaymentsNewestFirst;
    return db::select_rows(s, sql::kPayment, rest, [&](soci::statement& st) {
      if (!f.user_id.empty()) st.exchange(use(f.user_id, "u"));
      st.exchange(use(f.limit, "lim"));
      st.exchange(use(f.offset, "off"));
    });
  });
}

long long Store::count_payments(const std::string& user_id) {
  return db_.with([&](soci::session& s) {
    std::string q = std::string(sql::kCountPayments) + sql::kWhereTrue;
    if (user_id.empty()) return db::fetch_count(s, q, [](soci::statement&) {});
    return db::fetch_count(s, q + sql::kPaymentOfUser, db::uses(user_id));
  });
}

std::vector<InvoiceRow> Store::invoices(const ListFilter& f) {
  return db_.with([&](soci::session& s) {
    std::string rest = std::string(sql::kInvoiceFrom) + sql::kWhereTrue;
    if (!f.user_id.empty()) rest += sql::kInvoiceOfUser;
    rest += sql::kInvoicesNewestFirst;
    return db::select_rows(s, sql::kInvoice, rest, [&](soci::statement& st) {
      if (!f.user_id.empty()) st.exchange(use(f.user_id, "u"));
      st.exchange(use(f.limit, "lim"));
      st.exchange(use(f.offset, "off"));
    });
  });
}

long long Store::count_invoices(const std::string& user_id) {
  return db_.with([&](soci::session& s) {
    std::string q = std::string(sql::kCountInvoices) + sql::kWhereTrue;
    if (user_id.empty()) return db::fetch_count(s, q, [](soci::statement&) {});
    return db::fetch_count(s, q + sql::kInvoiceOfUser, db::uses(user_id));
  });
}

std::optional<InvoiceRow> Store::invoice(const std::string& id) {
  return db_.with([&](soci::session& s) {
    return db::select_one(s, sql::kInvoice, std::string(sql::kInvoiceFrom) + sql::kInvoiceWhereId, db::uses(id));
  });
}

}  // namespace wp::billing

namespace wp::billing {

std::vector<CreditNoteRow> Store::credit_notes(const ListFilter& f) {
  return db_.with([&](soci::session& s) {
    std::string rest = std::string(sql::kCreditNoteFrom) + sql::kWhereTrue;
    if (!f.user_id.empty()) rest += sql::kCreditNoteOfUser;
    rest += sql::kCreditNotesNewestFirst;
    return db::select_rows(s, sql::kCreditNote, rest, [&](soci::statement& st) {
      if (!f.user_id.empty()) st.exchange(use(f.user_id, "u"));
      st.exchange(use(f.limit, "lim"));
      st.exchange(use(f.offset, "off"));
    });
  });
}

long long Store::count_credit_notes(const std::string& user_id) {
  return db_.with([&](soci::session& s) {
    std::string q = std::string(sql::kCountCreditNotes) + sql::kWhereTrue;
    if (user_id.empty()) return db::fetch_count(s, q, [](soci::statement&) {});
    return db::fetch_count(s, q + sql::kCreditNoteOfUser, db::uses(user_id));
  });
}

std::optional<CreditNoteRow> Store::credit_note(const std::string& id) {
  return db_.with([&](soci::session& s) {
    return db::select_one(s, sql::kCreditNote, std::string(sql::kCreditNoteFrom) + sql::kCreditNoteWhereId,
                          db::uses(id));
  });
}

}  // namespace wp::billing

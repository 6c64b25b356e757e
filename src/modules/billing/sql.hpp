#pragma once
// Every SQL text of the billing store, and the column table of each row it
// reads. Only store.cpp includes this. A row query is the text after the
// SELECT list: db::select_rows puts the list first.
#include "db/columns.hpp"
#include "modules/billing/model.hpp"

namespace wp::billing::sql {

// ---------------------------------------------------------------- customers and checkouts

inline constexpr const char* kCustomerOf = "SELECT provider_customer_id FROM billing_customers WHERE user_id = :u";
inline constexpr const char* kUserOfCustomer =
    "SELECT user_id FROM billing_customers WHERE provider_customer_id = :c";
inline constexpr const char* kInsertCustomer =
    "INSERT INTO billing_customers (user_id, provider_customer_id, created_at) VALUES (:u, :c, :t) "
    "ON CONFLICT DO NOTHING";

inline const db::Columns<CheckoutRow> kCheckout{
    {"session_id", &CheckoutRow::session_id}, {"user_id", &CheckoutRow::user_id},
    {"kind", &CheckoutRow::kind},             {"item", &CheckoutRow::item},
    {"created_at", &CheckoutRow::created_at}, {"completed_at", &CheckoutRow::completed_at},
};
inline constexpr const char* kCheckoutById = "FROM billing_checkouts WHERE session_id = :s";
inline constexpr const char* kInsertCheckout =
    "INSERT INTO billing_checkouts (session_id, user_id, kind, item, created_at) VALUES (:s, :u, :k, :i, :t)";
inline constexpr const char* kCompleteCheckout =
    "UPDATE billing_checkouts SET completed_at = :t WHERE session_id = :s AND completed_at IS NULL";

// ---------------------------------------------------------------- subscriptions

inline const db::Columns<SubscriptionRow> kSubscription{
    {"id", &SubscriptionRow::id},
    {"user_id", &SubscriptionRow::user_id},
    {"plan", &SubscriptionRow::plan},
    {"provider_subscription_id", &SubscriptionRow::provider_subscription_id},
    {"status", &SubscriptionRow::status},
    {"start_date", &SubscriptionRow::start_date},
    {"end_date", &SubscriptionRow::end_date},
    {"current_period_start", &SubscriptionRow::current_period_start},
    {"current_period_end", &SubscriptionRow::current_period_end},
    {"auto_renew", &SubscriptionRow::auto_renew},
    {"features", &SubscriptionRow::features},
    {"past_due_since", &SubscriptionRow::past_due_since},
    {"provider_version", &SubscriptionRow::provider_version},
    {"created_at", &SubscriptionRow::created_at},
    {"updated_at", &SubscriptionRow::updated_at},
};
// A user's subscriptions, the newest first (the service picks the one that counts).
inline constexpr const char* kSubscriptionsOf =
    "FROM subscriptions WHERE user_id = :u ORDER BY start_date DESC, created_at DESC, id";
// Every subscription that may give its plan now (the service applies the grace period).
inline constexpr const char* kLiveSubscriptions =
    "FROM subscriptions WHERE status IN ('active', 'trialing', 'past_due') ORDER BY user_id, start_date DESC, "
    "created_at DESC, id";
inline constexpr const char* kSubscriptionByProvider = "FROM subscriptions WHERE provider_subscription_id = :p";
inline constexpr const char* kForUpdate = " FOR UPDATE";
inline constexpr const char* kInsertSubscription =
    "INSERT INTO subscriptions (id, user_id, plan, provider_subscription_id, status, start_date, end_date, "
    "current_period_start, current_period_end, auto_renew, features, past_due_since, provider_version, created_at, "
    "updated_at) VALUES (:id, :u, :pl, :p, :s, :sd, :ed, :ps, :pe, :ar, :f, :pd, :v, :c, :up)";
inline constexpr const char* kUpdateSubscription =
    "UPDATE subscriptions SET plan = :pl, status = :s, start_date = :sd, end_date = :ed, current_period_start = :ps, "
    "current_period_end = :pe, auto_renew = :ar, features = :f, past_due_since = :pd, provider_version = :v, "
    "updated_at = :up WHERE id = :id";
inline constexpr const char* kSetAutoRenew = "UPDATE subscriptions SET auto_renew = :a, updated_at = :t WHERE id = :id";

// ---------------------------------------------------------------- payments

inline const db::Columns<PaymentRow> kPayment{
    {"p.id", &PaymentRow::id},
    {"p.user_id", &PaymentRow::user_id},
    {"p.subscription_id", &PaymentRow::subscription_id},
    {"p.kind", &PaymentRow::kind},
    {"p.status", &PaymentRow::status},
    {"p.amount", &PaymentRow::amount},
    {"p.currency", &PaymentRow::currency},
    {"p.transaction_id", &PaymentRow::transaction_id},
    {"p.description", &PaymentRow::description},
    {"p.metadata", &PaymentRow::metadata},
    {"p.created_at", &PaymentRow::created_at},
    {"i.id", &PaymentRow::invoice_id},
    {"c.id", &PaymentRow::credit_note_id},
};
inline constexpr const char* kPaymentFrom =
    "FROM payments p LEFT JOIN invoices i ON i.payment_id = p.id LEFT JOIN credit_notes c ON c.payment_id = p.id";
inline constexpr const char* kPaymentWhereId = " WHERE p.id = :id";
inline constexpr const char* kPaymentOfTransaction =
    " WHERE p.transaction_id = :t AND p.kind = 'charge' AND p.status = 'succeeded'";
inline constexpr const char* kCountPayments = "SELECT COUNT(*) FROM payments p";
inline constexpr const char* kInsertPayment =
    "INSERT INTO payments (id, user_id, subscription_id, kind, status, amount, currency, transaction_id, description, "
    "metadata, created_at) VALUES (:id, :u, :s, :k, :st, :a, :c, :t, :d, :m, :at) ON CONFLICT DO NOTHING";

// ---------------------------------------------------------------- invoices

inline const db::Columns<InvoiceRow> kInvoice{
    {"id", &InvoiceRow::id},
    {"number", &InvoiceRow::number},
    {"year", &InvoiceRow::year},
    {"seq", &InvoiceRow::seq},
    {"user_id", &InvoiceRow::user_id},
    {"payment_id", &InvoiceRow::payment_id},
    {"seller", &InvoiceRow::seller},
    {"buyer", &InvoiceRow::buyer},
    {"lines", &InvoiceRow::lines},
    {"currency", &InvoiceRow::currency},
    {"subtotal", &InvoiceRow::subtotal},
    {"tax_rate_bp", &InvoiceRow::tax_rate_bp},
    {"tax", &InvoiceRow::tax},
    {"total", &InvoiceRow::total},
    {"issued_at", &InvoiceRow::issued_at},
};
inline constexpr const char* kInvoiceFrom = "FROM invoices";
inline constexpr const char* kInvoiceWhereId = " WHERE id = :id";
inline constexpr const char* kCountInvoices = "SELECT COUNT(*) FROM invoices";
// The year's counter exists (the first invoice of a year makes it), then is
// moved under its row lock: numbers are given out one at a time, in the
// transaction that records the payment, so a rollback gives its number back.
inline constexpr const char* kEnsureCounter =
    "INSERT INTO invoice_counters (year, last_seq) VALUES (:y, 0) ON CONFLICT DO NOTHING";
inline constexpr const char* kBumpCounter = "UPDATE invoice_counters SET last_seq = last_seq + 1 WHERE year = :y";
inline constexpr const char* kReadCounter = "SELECT last_seq FROM invoice_counters WHERE year = :y";
inline constexpr const char* kInsertInvoice =
    "INSERT INTO invoices (id, number, year, seq, user_id, payment_id, seller, buyer, lines, currency, subtotal, "
    "tax_rate_bp, tax, total, issued_at) VALUES (:id, :n, :y, :s, :u, :p, :se, :b, :l, :c, :st, :r, :tx, :to, :at)";
// The buyer as the invoice shows them (the accounts module's table, read for the snapshot only).
inline constexpr const char* kBuyer = "SELECT username, email, first_name, last_name FROM users WHERE id = :u";

// Lists: + kWhereTrue + kOfUser when filtered, then the order.
inline constexpr const char* kWhereTrue = " WHERE 1 = 1";
inline constexpr const char* kPaymentOfUser = " AND p.user_id = :u";
inline constexpr const char* kInvoiceOfUser = " AND user_id = :u";
inline constexpr const char* kPaymentsNewestFirst = " ORDER BY p.created_at DESC, p.id LIMIT :lim OFFSET :off";
inline constexpr const char* kInvoicesNewestFirst = " ORDER BY year DESC, seq DESC LIMIT :lim OFFSET :off";

// ---------------------------------------------------------------- credit notes

inline const db::Columns<CreditNoteRow> kCreditNote{
    {"c.id", &CreditNoteRow::id},
    {"c.number", &CreditNoteRow::number},
    {"c.year", &CreditNoteRow::year},
    {"c.seq", &CreditNoteRow::seq},
    {"c.user_id", &CreditNoteRow::user_id},
    {"c.invoice_id", &CreditNoteRow::invoice_id},
    {"i.number", &CreditNoteRow::invoice_number},
    {"c.payment_id", &CreditNoteRow::payment_id},
    {"c.seller", &CreditNoteRow::seller},
    {"c.buyer", &CreditNoteRow::buyer},
    {"c.lines", &CreditNoteRow::lines},
    {"c.currency", &CreditNoteRow::currency},
    {"c.subtotal", &CreditNoteRow::subtotal},
    {"c.tax_rate_bp", &CreditNoteRow::tax_rate_bp},
    {"c.tax", &CreditNoteRow::tax},
    {"c.total", &CreditNoteRow::total},
    {"c.reason", &CreditNoteRow::reason},
    {"c.issued_at", &CreditNoteRow::issued_at},
};
inline constexpr const char* kCreditNoteFrom = "FROM credit_notes c JOIN invoices i ON i.id = c.invoice_id";
inline constexpr const char* kCreditNoteWhereId = " WHERE c.id = :id";
inline constexpr const char* kCountCreditNotes = "SELECT COUNT(*) FROM credit_notes c";
inline constexpr const char* kCreditNoteOfUser = " AND c.user_id = :u";
inline constexpr const char* kCreditNotesNewestFirst = " ORDER BY c.year DESC, c.seq DESC LIMIT :lim OFFSET :off";
// The invoice of a charge (the one a refund credits).
inline constexpr const char* kInvoiceOfPayment = " WHERE payment_id = :p";
// What the invoice's earlier credit notes credited already.
inline constexpr const char* kCreditedOfInvoice =
    "SELECT CAST(COALESCE(SUM(total), 0) AS BIGINT) FROM credit_notes WHERE invoice_id = :i";
// The series' own counter, moved like the invoices' (see kEnsureCounter).
inline constexpr const char* kEnsureCreditCounter =
    "INSERT INTO credit_note_counters (year, last_seq) VALUES (:y, 0) ON CONFLICT DO NOTHING";
inline constexpr const char* kBumpCreditCounter =
    "UPDATE credit_note_counters SET last_seq = last_seq + 1 WHERE year = :y";
inline constexpr const char* kReadCreditCounter = "SELECT last_seq FROM credit_note_counters WHERE year = :y";
inline constexpr const char* kInsertCreditNote =
    "INSERT INTO credit_notes (id, number, year, seq, user_id, invoice_id, payment_id, seller, buyer, lines, currency, "
    "subtotal, tax_rate_bp, tax, total, reason, issued_at) VALUES (:id, :n, :y, :s, :u, :i, :p, :se, :b, :l, :c, :st, "
    ":r, :tx, :to, :re, :at)";

// ---------------------------------------------------------------- webhook events

inline constexpr const char* kRecordEvent =
    "INSERT INTO billing_events (id, type, received_at) VALUES (:id, :t, :at) ON CONFLICT DO NOTHING";

}  // namespace wp::billing::sql

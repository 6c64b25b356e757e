#pragma once
// Billing: the provider's customers, subscriptions, payments, invoices and
// checkouts as the store reads them; the vocabulary; the settings.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/enum_names.hpp"

namespace wp::billing {

// As the provider names them (Stripe's subscription statuses we keep).
enum class SubscriptionStatus { trialing, active, past_due, canceled, incomplete };
enum class PaymentKind { charge, refund };
enum class PaymentStatus { succeeded, failed };
// What a Checkout Session buys: a plan (subscription mode) or a coin pack (payment mode).
enum class CheckoutKind { subscription, coins };

struct Settings {
  std::string api_url = "https://api.stripe.com";
  std::string secret_key;
  std::string webhook_secret;
  int webhook_tolerance_s = 300;
  std::int64_t grace_period_ms = 7 * 86400 * 1000LL;
  std::string public_url;  // where the provider sends the browser back
};

struct SubscriptionRow {
  std::string id;
  std::string user_id;
  std::string plan;
  std::string provider_subscription_id;
  SubscriptionStatus status = SubscriptionStatus::incomplete;
  std::int64_t start_date = 0;
  std::optional<std::int64_t> end_date;
  std::optional<std::int64_t> current_period_start, current_period_end;
  bool auto_renew = true;
  std::string features = "{}";  // JSON: the plan's limits when the row was written
  std::optional<std::int64_t> past_due_since;
  // The provider's time of the newest event applied (ms): older ones are ignored.
  std::int64_t provider_version = 0;
  std::int64_t created_at = 0, updated_at = 0;
};

struct PaymentRow {
  std::string id;
  std::string user_id;
  std::optional<std::string> subscription_id;
  PaymentKind kind = PaymentKind::charge;
  PaymentStatus status = PaymentStatus::succeeded;
  std::int64_t amount = 0;  // minor units, never negative (a refund's kind says it)
  std::string currency;     // ISO 4217, upper case
  std::string transaction_id;
  std::string description;
  std::string metadata = "{}";
  std::int64_t created_at = 0;
  std::optional<std::string> invoice_id;      // read only (joined): a charge's invoice
  std::optional<std::string> credit_note_id;  // read only (joined): a refund's credit note
};

struct InvoiceLine {
  std::string description;
  std::int64_t quantity = 1;
  std::int64_t amount = 0;  // the line's total, tax included, minor units
};

struct InvoiceRow {
  std::string id;
  std::string number;  // "2026-000123"
  int year = 0, seq = 0;
  std::string user_id;
  std::string payment_id;
  std::string seller = "{}", buyer = "{}", lines = "[]";  // JSON snapshots
  std::string currency;
  std::int64_t subtotal = 0;  // net
  int tax_rate_bp = 0;        // basis points: 1900 is 19 %
  std::int64_t tax = 0, total = 0;
  std::int64_t issued_at = 0;
};

// A credit note: a refund of (part of) an invoice's payment, numbered in a
// series of its own ("CN-2026-000001"). Amounts are positive: what is credited.
struct CreditNoteRow {
  std::string id;
  std::string number;  // "CN-2026-000001"
  int year = 0, seq = 0;
  std::string user_id;
  std::string invoice_id;
  std::string invoice_number;  // read only (joined)
  std::string payment_id;      // the refund's payment row
  std::string seller = "{}", buyer = "{}", lines = "[]";  // JSON snapshots, as on the invoice
  std::string currency;
  std::int64_t subtotal = 0;
  int tax_rate_bp = 0;  // the invoice's rate
  std::int64_t tax = 0, total = 0;
  std::string reason;
  std::int64_t issued_at = 0;
};

// What an invoice is issued for, before it has a number.
struct InvoiceDraft {
  std::string seller_json, buyer_country;
  std::vector<InvoiceLine> lines;
  int tax_rate_bp = 0;
};

struct CheckoutRow {
  std::string session_id;
  std::string user_id;
  CheckoutKind kind = CheckoutKind::subscription;
  std::string item;  // plan id or coin pack id
  std::int64_t created_at = 0;
  std::optional<std::int64_t> completed_at;
};

// A list's window; user_id empty: everyone's (staff).
struct ListFilter {
  std::string user_id;
  int limit = 20, offset = 0;
};

}  // namespace wp::billing

WP_ENUM_NAMES(wp::billing::SubscriptionStatus, {wp::billing::SubscriptionStatus::trialing, "trialing"},
              {wp::billing::SubscriptionStatus::active, "active"},
              {wp::billing::SubscriptionStatus::past_due, "past_due"},
              {wp::billing::SubscriptionStatus::canceled, "canceled"},
              {wp::billing::SubscriptionStatus::incomplete, "incomplete"});
WP_ENUM_NAMES(wp::billing::PaymentKind, {wp::billing::PaymentKind::charge, "charge"},
              {wp::billing::PaymentKind::refund, "refund"});
WP_ENUM_NAMES(wp::billing::PaymentStatus, {wp::billing::PaymentStatus::succeeded, "succeeded"},
              {wp::billing::PaymentStatus::failed, "failed"});
WP_ENUM_NAMES(wp::billing::CheckoutKind, {wp::billing::CheckoutKind::subscription, "subscription"},
              {wp::billing::CheckoutKind::coins, "coins"});

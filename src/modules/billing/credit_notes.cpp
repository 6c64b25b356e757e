// BillingService: credit notes. A recorded refund of a charge credits the
// charge's invoice with a document of its own series; the owner and staff see it.
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "modules/billing/dto.hpp"
#include "modules/billing/money.hpp"
#include "modules/billing/service.hpp"

namespace wp::billing {

namespace {

std::string credit_note_owner(const Principal& me, bool all) {
  if (all && !me.staff()) throw_forbidden("Only staff see everyone's credit notes.");
  return all ? std::string() : me.id;
}

// Stripe's refund reasons as a person reads them.
std::string reason_text(const std::string& reason) {
  if (reason == "duplicate") return "Duplicate charge";
  if (reason == "fraudulent") return "Fraudulent charge";
  if (reason == "requested_by_customer") return "Requested by the customer";
  return reason.empty() ? "Refund" : reason;
}

}  // namespace

void BillingService::issue_credit_note(EventTx& tx, const PaymentRow& refund, const PaymentRow& charge,
                                       const std::string& reason, std::int64_t now) {
  auto invoice = tx.invoice_of_payment(charge.id);
  if (!invoice) return;  // a charge without an invoice (nothing was paid) has nothing to credit
  // The provider never refunds more than was paid; a note that would credit
  // more than the invoice (or in another currency) is a defect to look at, not a document.
  if (refund.currency != invoice->currency || refund.amount <= 0 ||
      tx.credited(invoice->id) + refund.amount > invoice->total) {
    spdlog::error("billing: refund {} ({} {}) exceeds what invoice {} can credit; no credit note",
                  refund.transaction_id, refund.amount, refund.currency, invoice->number);
    return;
  }
  CreditNoteRow cn;
  cn.id = new_uuid();
  cn.year = year_of(now);
  cn.user_id = invoice->user_id;
  cn.invoice_id = invoice->id;
  cn.invoice_number = invoice->number;
  cn.payment_id = refund.id;
  cn.seller = invoice->seller;
  cn.buyer = invoice->buyer;
  cn.lines = lines_json({{"Refund of invoice " + invoice->number + ": " + charge.description, 1, refund.amount}});
  cn.currency = invoice->currency;
  cn.total = refund.amount;
  cn.tax_rate_bp = invoice->tax_rate_bp;
  cn.tax = tax_included(cn.total, cn.tax_rate_bp);
  cn.subtotal = cn.total - cn.tax;
  cn.reason = reason_text(reason);
  cn.issued_at = now;
  tx.insert_credit_note(cn);
}

std::vector<CreditNoteRow> BillingService::credit_notes(const Principal& me, bool all, int limit, int offset,
                                                        long long& count) {
  ListFilter f{credit_note_owner(me, all), limit, offset};
  count = store_.count_credit_notes(f.user_id);
  return store_.credit_notes(f);
}

CreditNoteRow BillingService::credit_note(const Principal& me, const std::string& id) {
  auto cn = store_.credit_note(id);
  // Someone else's credit note is not found, like one that does not exist.
  if (!cn || (cn->user_id != me.id && !me.staff())) throw_not_found("Credit note not found.");
  return *cn;
}

}  // namespace wp::billing

// BillingService: payments and invoices. A user sees only their own; staff see everyone's.
#include "core/error.hpp"
#include "modules/billing/service.hpp"

namespace wp::billing {

namespace {

// Whose rows a list shows: everyone's only for staff who ask.
std::string owner_filter(const Principal& me, bool all) {
  if (all && !me.staff()) throw_forbidden("Only staff see everyone's payments and invoices.");
  return all ? std::string() : me.id;
}

}  // namespace

std::vector<PaymentRow> BillingService::payments(const Principal& me, bool all, int limit, int offset,
                                                 long long& count) {
  ListFilter f{owner_filter(me, all), limit, offset};
  count = store_.count_payments(f.user_id);
  return store_.payments(f);
}

std::vector<InvoiceRow> BillingService::invoices(const Principal& me, bool all, int limit, int offset,
                                                 long long& count) {
  ListFilter f{owner_filter(me, all), limit, offset};
  count = store_.count_invoices(f.user_id);
  return store_.invoices(f);
}

InvoiceRow BillingService::invoice(const Principal& me, const std::string& id) {
  auto inv = store_.invoice(id);
  // Someone else's invoice is not found, like one that does not exist.
  if (!inv || (inv->user_id != me.id && !me.staff())) throw_not_found("Invoice not found.");
  return *inv;
}

}  // namespace wp::billing

#include "modules/billing/dto.hpp"

#include "core/clock.hpp"
#include "http/json.hpp"
#include "modules/billing/money.hpp"

namespace wp::billing {

namespace json = boost::json;

namespace {

using http::time_or_null;

json::value parsed_or(const std::string& text, json::value fallback) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return ec ? fallback : v;
}

}  // namespace

json::object limits_object(const PlanLimits& l) {
  return {{"max_party_size", l.max_party_size},
          {"max_upload_bytes", l.max_upload_bytes},
          {"storage_quota_bytes", l.storage_quota_bytes},
          {"hd_renditions", l.hd_renditions},
          {"downloads", l.downloads},
          {"voice_above_mesh", l.voice_above_mesh}};
}

std::string limits_json(const PlanLimits& limits) { return json::serialize(limits_object(limits)); }

std::string seller_json(const Seller& s) {
  return json::serialize(json::object{
      {"name", s.name}, {"address", s.address}, {"vat_id", s.vat_id}, {"country", s.country}, {"email", s.email}});
}

std::string lines_json(const std::vector<InvoiceLine>& lines) {
  json::array out;
  for (auto& l : lines) out.push_back(json::object{{"description", l.description}, {"quantity", l.quantity}, {"amount", l.amount}});
  return json::serialize(out);
}

json::object plan_json(const Plan& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"price", p.price},
          {"currency", p.currency},
          {"interval", p.interval},
          {"price_display", format_amount(p.price, p.currency)},
          {"limits", limits_object(p.limits)}};
}

json::object coin_pack_json(const CoinPack& c) {
  return {{"id", c.id},       {"name", c.name},         {"coins", c.coins},
          {"price", c.price}, {"currency", c.currency}, {"price_display", format_amount(c.price, c.currency)}};
}

json::object subscription_json(const SubscriptionRow& s) {
  return {{"id", s.id},
          {"plan", s.plan},
          {"status", to_string(s.status)},
          {"start_date", to_rfc3339(s.start_date)},
          {"end_date", time_or_null(s.end_date)},
          {"current_period_start", time_or_null(s.current_period_start)},
          {"current_period_end", time_or_null(s.current_period_end)},
          {"auto_renew", s.auto_renew},
          {"features", parsed_or(s.features, json::object{})},
          {"past_due_since", time_or_null(s.past_due_since)},
          {"created_at", to_rfc3339(s.created_at)},
          {"updated_at", to_rfc3339(s.updated_at)}};
}

json::object payment_json(const PaymentRow& p) {
  return {{"id", p.id},
          {"user_id", p.user_id},
          {"subscription_id", p.subscription_id ? json::value(*p.subscription_id) : json::value(nullptr)},
          {"kind", to_string(p.kind)},
          {"status", to_string(p.status)},
          {"amount", p.amount},
          {"currency", p.currency},
          {"amount_display", format_amount(p.amount, p.currency)},
          {"transaction_id", p.transaction_id},
          {"description", p.description},
          {"metadata", parsed_or(p.metadata, json::object{})},
          {"invoice_id", p.invoice_id ? json::value(*p.invoice_id) : json::value(nullptr)},
          {"credit_note_id", p.credit_note_id ? json::value(*p.credit_note_id) : json::value(nullptr)},
          {"created_at", to_rfc3339(p.created_at)}};
}

json::object invoice_json(const InvoiceRow& i) {
  return {{"id", i.id},
          {"number", i.number},
          {"user_id", i.user_id},
          {"payment_id", i.payment_id},
          {"seller", parsed_or(i.seller, json::object{})},
          {"buyer", parsed_or(i.buyer, json::object{})},
          {"lines", parsed_or(i.lines, json::array{})},
          {"currency", i.currency},
          {"subtotal", i.subtotal},
          {"tax_rate_bp", i.tax_rate_bp},
          {"tax", i.tax},
          {"total", i.total},
          {"total_display", format_amount(i.total, i.currency)},
          {"issued_at", to_rfc3339(i.issued_at)},
          {"pdf_url", "/api/billing/invoices/" + i.id + "/pdf/"}};
}

json::object credit_note_json(const CreditNoteRow& c) {
  return {{"id", c.id},
          {"number", c.number},
          {"user_id", c.user_id},
          {"invoice_id", c.invoice_id},
          {"invoice_number", c.invoice_number},
          {"payment_id", c.payment_id},
          {"seller", parsed_or(c.seller, json::object{})},
          {"buyer", parsed_or(c.buyer, json::object{})},
          {"lines", parsed_or(c.lines, json::array{})},
          {"currency", c.currency},
          {"subtotal", c.subtotal},
          {"tax_rate_bp", c.tax_rate_bp},
          {"tax", c.tax},
          {"total", c.total},
          {"total_display", format_amount(c.total, c.currency)},
          {"reason", c.reason},
          {"issued_at", to_rfc3339(c.issued_at)},
          {"pdf_url", "/api/billing/credit-notes/" + c.id + "/pdf/"}};
}

}  // namespace wp::billing

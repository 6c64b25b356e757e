#pragma once
// The JSON shapes of billing (docs/api.md, "Billing").
#include <boost/json.hpp>

#include <string>
#include <vector>

#include "modules/billing/catalog.hpp"
#include "modules/billing/model.hpp"

namespace wp::billing {

std::string limits_json(const PlanLimits& limits);
std::string seller_json(const Seller& seller);
std::string lines_json(const std::vector<InvoiceLine>& lines);

boost::json::object limits_object(const PlanLimits& limits);
boost::json::object plan_json(const Plan& plan);
boost::json::object coin_pack_json(const CoinPack& pack);
boost::json::object subscription_json(const SubscriptionRow& s);
boost::json::object payment_json(const PaymentRow& p);
boost::json::object invoice_json(const InvoiceRow& i);
boost::json::object credit_note_json(const CreditNoteRow& c);

}  // namespace wp::billing

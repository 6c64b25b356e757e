#pragma once
// What is for sale and who sells it, from the billing file (billing_file,
// TOML; docs/operations.md "Billing"): the plans with their prices and
// limits, the coin packs, the seller, and the tax rate per buyer country.
// Without a file: a free plan with no limits beyond the server's and a
// premium plan, so that a server without billing behaves as before.
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/plans.hpp"

namespace wp::billing {

struct Plan {
  std::string id;  // "free", "premium"
  std::string name;
  std::int64_t price = 0;      // per interval, minor units; 0 for free
  std::string currency = "EUR";  // ISO 4217
  std::string interval = "month";  // day, week, month or year
  std::string provider_price;  // optional: the provider's price id (else the price is sent inline)
  PlanLimits limits;
};

struct CoinPack {
  std::string id;
  std::string name;
  std::int64_t coins = 0;
  std::int64_t price = 0;
  std::string currency = "EUR";
};

struct Seller {
  std::string name = "watchparty";
  std::string address;
  std::string vat_id;
  std::string country;  // ISO 3166-1 alpha-2
  std::string email;
};

struct BillingFileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Catalog {
 public:
  // The built-in plans (free, premium), no coin packs, no taxes.
  Catalog();
  // Throws BillingFileError naming the file and the bad entry.
  static Catalog from_file(const std::string& path);
  static Catalog from_toml(const std::string& text, const std::string& origin);

  const std::vector<Plan>& plans() const { return plans_; }
  const std::vector<CoinPack>& coin_packs() const { return packs_; }
  const Seller& seller() const { return seller_; }
  const Plan& free_plan() const;
  const Plan* plan(const std::string& id) const;
  const CoinPack* coin_pack(const std::string& id) const;
  // Basis points (1900: 19 %) for a buyer country (alpha-2, any case); 0 when none is configured.
  int tax_rate_bp(const std::string& country) const;

 private:
  std::vector<Plan> plans_;
  std::vector<CoinPack> packs_;
  Seller seller_;
  std::map<std::string, int> tax_bp_;
};

}  // namespace wp::billing

#include "modules/billing/catalog.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "core/validators.hpp"

namespace wp::billing {

namespace {

using validators::upper;

bool is_code(const std::string& s, std::size_t len) {
  return s.size() == len && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalpha(c); });
}

struct Reader {
  std::string origin;

  [[noreturn]] void fail(const std::string& where, const std::string& why) const {
    throw BillingFileError(origin + ": " + where + ": " + why);
  }
  std::int64_t integer(const toml::table& t, const std::string& where, const char* key, std::int64_t fallback,
                       std::int64_t lo = 0) const {
    auto node = t.get(key);
    if (!node) return fallback;
    auto v = node->value_exact<std::int64_t>();
    if (!v || *v < lo) fail(where + "." + key, "must be an integer >= " + std::to_string(lo) + " (minor units)");
    return *v;
  }
  std::string text(const toml::table& t, const std::string& where, const char* key, std::string fallback) const {
    auto node = t.get(key);
    if (!node) return fallback;
    auto v = node->value_exact<std::string>();
    if (!v) fail(where + "." + key, "must be a string");
    return *v;
  }
  bool flag(const toml::table& t, const std::string& where, const char* key, bool fallback) const {
    auto node = t.get(key);
    if (!node) return fallback;
    auto v = node->value_exact<bool>();
    if (!v) fail(where + "." + key, "must be true or false");
    return *v;
  }
  std::string currency(const toml::table& t, const std::string& where) const {
    auto c = upper(text(t, where, "currency", "EUR"));
    if (!is_code(c, 3)) fail(where + ".currency", "must be an ISO 4217 code such as EUR");
    return c;
  }

  Plan plan(const std::string& id, const toml::table& t) const {
    std::string where = "plans." + id;
    Plan p;
    p.id = id;
    p.name = text(t, where, "name", id);
    p.price = integer(t, where, "price", 0);
    p.currency = currency(t, where);
    p.interval = text(t, where, "interval", "month");
    if (p.interval != "day" && p.interval != "week" && p.interval != "month" && p.interval != "year")
      fail(where + ".interval", "must be day, week, month or year");
    p.provider_price = text(t, where, "provider_price", "");
    p.limits.plan = id;
    p.limits.max_party_size = static_cast<int>(integer(t, where, "max_party_size", p.limits.max_party_size, 2));
    p.limits.max_upload_bytes = integer(t, where, "max_upload_bytes", 0);
    p.limits.storage_quota_bytes = integer(t, where, "storage_quota_bytes", 0);
    p.limits.hd_renditions = flag(t, where, "hd_renditions", true);
    p.limits.downloads = flag(t, where, "downloads", true);
    p.limits.voice_above_mesh = flag(t, where, "voice_above_mesh", true);
    return p;
  }

  CoinPack pack(std::size_t i, const toml::table& t) const {
    std::string where = "coin_packs[" + std::to_string(i) + "]";
    CoinPack c;
    c.id = text(t, where, "id", "");
    if (c.id.empty()) fail(where + ".id", "is required");
    c.coins = integer(t, where, "coins", 0, 1);
    c.price = integer(t, where, "price", 0, 1);
    c.currency = currency(t, where);
    c.name = text(t, where, "name", std::to_string(c.coins) + " coins");
    return c;
  }
};

}  // namespace

Catalog::Catalog() {
  Plan free;
  free.id = free.limits.plan = "free";
  free.name = "Free";
  Plan premium;
  premium.id = premium.limits.plan = "premium";
  premium.name = "Premium";
  premium.price = 499;
  plans_ = {free, premium};
}

Catalog Catalog::from_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw BillingFileError(path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return from_toml(text.str(), path);
}

Catalog Catalog::from_toml(const std::string& text, const std::string& origin) {
  toml::table root;
  try {
    root = toml::parse(text);
  } catch (const toml::parse_error& e) {
    throw BillingFileError(origin + ": " + std::string(e.description()));
  }
  Reader r{origin};
  Catalog c;
  if (auto plans = root["plans"].as_table()) {
    c.plans_.clear();
    for (auto& [key, node] : *plans) {
      auto t = node.as_table();
      if (!t) r.fail("plans." + std::string(key.str()), "must be a table");
      c.plans_.push_back(r.plan(std::string(key.str()), *t));
    }
    if (!c.plan("free")) r.fail("plans", "a plan named free is required (everyone without a subscription has it)");
    if (c.free_plan().price != 0) r.fail("plans.free.price", "must be 0");
  }
  if (auto packs = root["coin_packs"].as_array()) {
    for (std::size_t i = 0; i < packs->size(); ++i) {
      auto t = packs->get(i)->as_table();
      if (!t) r.fail("coin_packs[" + std::to_string(i) + "]", "must be a table");
      c.packs_.push_back(r.pack(i, *t));
    }
  }
  if (auto s = root["seller"].as_table()) {
    c.seller_.name = r.text(*s, "seller", "name", c.seller_.name);
    c.seller_.address = r.text(*s, "seller", "address", "");
    c.seller_.vat_id = r.text(*s, "seller", "vat_id", "");
    c.seller_.country = upper(r.text(*s, "seller", "country", ""));
    c.seller_.email = r.text(*s, "seller", "email", "");
  }
  if (auto taxes = root["tax_rates"].as_table()) {
    for (auto& [key, node] : *taxes) {
      std::string country = upper(std::string(key.str()));
      auto bp = node.value_exact<std::int64_t>();
      if (!is_code(country, 2) || !bp || *bp < 0 || *bp > 10000)
        r.fail("tax_rates." + std::string(key.str()),
               "must be an ISO 3166 country code = basis points from 0 to 10000 (1900 is 19 %)");
      c.tax_bp_[country] = static_cast<int>(*bp);
    }
  }
  return c;
}

const Plan& Catalog::free_plan() const { return *plan("free"); }

const Plan* Catalog::plan(const std::string& id) const {
  for (auto& p : plans_)
    if (p.id == id) return &p;
  return nullptr;
}

const CoinPack* Catalog::coin_pack(const std::string& id) const {
  for (auto& p : packs_)
    if (p.id == id) return &p;
  return nullptr;
}

int Catalog::tax_rate_bp(const std::string& country) const {
  auto it = tax_bp_.find(upper(country));
  return it == tax_bp_.end() ? 0 : it->second;
}

}  // namespace wp::billing

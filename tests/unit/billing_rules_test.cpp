// Billing's pure rules: the webhook signature, money and tax, the billing file.
#include <gtest/gtest.h>

#include "modules/billing/catalog.hpp"
#include "modules/billing/money.hpp"
#include "modules/billing/signature.hpp"

namespace wp::billing {
namespace {

const std::string kSecret = "whsec_unit";
const std::string kBody = R"({"id":"evt_1","type":"invoice.paid"})";

TEST(BillingSignature, AcceptsTheRightSignatureAmongSeveral) {
  auto v1 = sign_payload(kSecret, 1000, kBody);
  EXPECT_EQ(verify_signature("t=1000,v1=" + v1, kBody, kSecret, 1000, 300), SignatureCheck::valid);
  EXPECT_EQ(verify_signature("t=1000, v1=" + std::string(64, '0') + ", v1=" + v1 + ",v0=zz", kBody, kSecret, 1100, 300),
            SignatureCheck::valid);
}

TEST(BillingSignature, RefusesWrongSecretTamperedBodyAndStaleTime) {
  auto v1 = sign_payload(kSecret, 1000, kBody);
  EXPECT_EQ(verify_signature("t=1000,v1=" + sign_payload("other", 1000, kBody), kBody, kSecret, 1000, 300),
            SignatureCheck::mismatch);
  EXPECT_EQ(verify_signature("t=1000,v1=" + v1, kBody + " ", kSecret, 1000, 300), SignatureCheck::mismatch);
  EXPECT_EQ(verify_signature("t=1000,v1=" + v1, kBody, kSecret, 1301, 300), SignatureCheck::stale);
  EXPECT_EQ(verify_signature("t=1000,v1=" + v1, kBody, kSecret, 1300, 300), SignatureCheck::valid);
  EXPECT_EQ(verify_signature("t=1000,v1=" + v1, kBody, kSecret, 699, 300), SignatureCheck::stale);
  // The timestamp is signed too: moving it breaks the signature.
  EXPECT_EQ(verify_signature("t=1001,v1=" + v1, kBody, kSecret, 1000, 300), SignatureCheck::mismatch);
}

TEST(BillingSignature, MalformedHeadersAndNoSecret) {
  EXPECT_EQ(verify_signature("", kBody, kSecret, 1000, 300), SignatureCheck::malformed);
  EXPECT_EQ(verify_signature("v1=abc", kBody, kSecret, 1000, 300), SignatureCheck::malformed);
  EXPECT_EQ(verify_signature("t=x1,v1=abc", kBody, kSecret, 1000, 300), SignatureCheck::malformed);
  EXPECT_EQ(verify_signature("t=1000", kBody, kSecret, 1000, 300), SignatureCheck::malformed);
  EXPECT_EQ(verify_signature("t=1000,v1=" + sign_payload("", 1000, kBody), kBody, "", 1000, 300),
            SignatureCheck::mismatch);
}

TEST(BillingMoney, FormatsMinorUnitsPerCurrency) {
  EXPECT_EQ(format_amount(499, "EUR"), "4.99 EUR");
  EXPECT_EQ(format_amount(5, "USD"), "0.05 USD");
  EXPECT_EQ(format_amount(-1205, "EUR"), "-12.05 EUR");
  EXPECT_EQ(format_amount(1000, "JPY"), "1000 JPY");
  EXPECT_EQ(format_amount(1234, "KWD"), "1.234 KWD");
}

TEST(BillingMoney, TaxInsideATotalRoundsHalfUp) {
  EXPECT_EQ(tax_included(499, 1900), 80);    // 79.67
  EXPECT_EQ(tax_included(11900, 1900), 1900);
  EXPECT_EQ(tax_included(499, 0), 0);
  EXPECT_EQ(tax_included(100, 2000), 17);    // 16.67
  EXPECT_EQ(year_of(1767225600000), 2026);   // 2026-01-01T00:00:00Z
  EXPECT_EQ(year_of(1767225599999), 2025);
}

TEST(BillingCatalog, BuiltInPlansLeaveTheServerAsItWas) {
  Catalog c;
  ASSERT_NE(c.plan("free"), nullptr);
  EXPECT_EQ(c.free_plan().price, 0);
  EXPECT_TRUE(c.free_plan().limits.downloads);
  EXPECT_EQ(c.free_plan().limits.max_upload_bytes, 0);
  EXPECT_EQ(c.plan("premium")->price, 499);
  EXPECT_EQ(c.tax_rate_bp("DE"), 0);
}

TEST(BillingCatalog, ReadsPlansPacksSellerAndTaxes) {
  auto c = Catalog::from_toml(R"(
[seller]
name = "Seller"
country = "de"
[tax_rates]
DE = 1900
[plans.free]
max_party_size = 4
downloads = false
[plans.gold]
name = "Gold"
price = 999
currency = "usd"
interval = "year"
[[coin_packs]]
id = "small"
coins = 100
price = 99
)",
                              "test");
  EXPECT_EQ(c.free_plan().limits.max_party_size, 4);
  EXPECT_FALSE(c.free_plan().limits.downloads);
  EXPECT_EQ(c.plan("gold")->currency, "USD");
  EXPECT_EQ(c.plan("gold")->limits.plan, "gold");
  EXPECT_EQ(c.plan("premium"), nullptr);
  EXPECT_EQ(c.coin_pack("small")->coins, 100);
  EXPECT_EQ(c.seller().country, "DE");
  EXPECT_EQ(c.tax_rate_bp("de"), 1900);
}

TEST(BillingCatalog, RefusesBadEntriesNamingThem) {
  auto message = [](const std::string& text) {
    try {
      Catalog::from_toml(text, "f.toml");
    } catch (const BillingFileError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("[plans.gold]\nprice = 5\n").find("free is required"), std::string::npos);
  EXPECT_NE(message("[plans.free]\nprice = 1.5\n").find("plans.free.price"), std::string::npos);
  EXPECT_NE(message("[plans.free]\n[plans.x]\ninterval = \"hour\"\n").find("plans.x.interval"), std::string::npos);
  EXPECT_NE(message("[tax_rates]\nDEU = 5\n").find("tax_rates.DEU"), std::string::npos);
  EXPECT_NE(message("[[coin_packs]]\ncoins = 5\nprice = 1\n").find("coin_packs[0].id"), std::string::npos);
}

}  // namespace
}  // namespace wp::billing

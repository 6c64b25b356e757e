#include <gtest/gtest.h>
#include <thread>
#include <set>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "http/client_ip.hpp"
#include "http/json.hpp"

TEST(Errors, EveryCodeMapsToItsStatusAndName) {
  using wp::ErrorCode;
  struct Case {
    ErrorCode code;
    int status;
    const char* name;
  } cases[] = {{ErrorCode::validation, 400, "VALIDATION_ERROR"},
               {ErrorCode::authentication, 401, "AUTHENTICATION_REQUIRED"},
               {ErrorCode::forbidden, 403, "ACCESS_FORBIDDEN"},
               {ErrorCode::not_found, 404, "RESOURCE_NOT_FOUND"},
               {ErrorCode::method_not_allowed, 405, "METHOD_NOT_ALLOWED"},
               {ErrorCode::conflict, 409, "CONFLICT"},
               {ErrorCode::call_full, 409, "CALL_FULL"},
               {ErrorCode::payload_too_large, 413, "PAYLOAD_TOO_LARGE"},
               {ErrorCode::header_too_large, 431, "REQUEST_HEADER_FIELDS_TOO_LARGE"},
               {ErrorCode::unsupported_media, 415, "UNSUPPORTED_MEDIA_TYPE"},
               {ErrorCode::rate_limited, 429, "RATE_LIMITED"},
               {ErrorCode::unavailable, 503, "SERVICE_UNAVAILABLE"},
               {ErrorCode::not_implemented, 501, "NOT_IMPLEMENTED"},
               {ErrorCode::internal, 500, "INTERNAL_ERROR"}};
  for (auto& c : cases) {
    EXPECT_EQ(wp::http_status(c.code), c.status);
    EXPECT_EQ(wp::error_code_name(c.code), c.name);
  }
}

TEST(Errors, EnvelopeCarriesFieldsRequestIdAndRetryAfter) {
  wp::FieldErrors f{{"email", {"Enter a valid email."}}, {"password", {"Too short."}}};
  auto res = wp::http::error_response(wp::Error(wp::ErrorCode::validation, "Invalid input.", f), "req-1");
  EXPECT_EQ(res.status, 400);
  auto body = boost::json::parse(res.body).as_object();
  EXPECT_EQ(body.at("success").as_bool(), false);
  EXPECT_EQ(body.at("error_code").as_string(), "VALIDATION_ERROR");
  EXPECT_EQ(body.at("request_id").as_string(), "req-1");
  EXPECT_EQ(body.at("errors").as_object().size(), 2u);
  auto limited =
      wp::http::error_response(wp::Error(wp::ErrorCode::rate_limited, "Slow down.").with_retry_after(7), "r");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.header("Retry-After").value_or(""), "7");
}

TEST(Ids, UuidsAreV4AndValidated) {
  auto id = wp::new_uuid();
  EXPECT_TRUE(wp::is_uuid(id));
  EXPECT_EQ(id[14], '4');
  EXPECT_NE(id, wp::new_uuid());
  EXPECT_FALSE(wp::is_uuid("6f1c2a3e-1111-4222-8333-44445555666"));
  EXPECT_FALSE(wp::is_uuid("6f1c2a3e-1111-4222-8333-44445555666g"));
  EXPECT_FALSE(wp::is_uuid("6f1c2a3e11114222833344445555666600ab"));
}

TEST(Clock, Rfc3339RoundTrips) {
  EXPECT_EQ(wp::to_rfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(wp::to_rfc3339(1700000000123), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(wp::parse_rfc3339("2023-11-14T22:13:20.123Z").value(), 1700000000123);
  EXPECT_EQ(wp::parse_rfc3339("2023-11-14T23:13:20.123+01:00").value(), 1700000000123);
  EXPECT_FALSE(wp::parse_rfc3339("2023-02-30T00:00:00Z"));
  EXPECT_FALSE(wp::parse_rfc3339("yesterday"));
  EXPECT_FALSE(wp::parse_rfc3339("2023-11-14T22:13:20"));
}

TEST(Clock, Rfc3339WritesEveryFieldWithItsWidth) {
  EXPECT_EQ(wp::to_rfc3339(951782400009), "2000-02-29T00:00:00.009Z");   // a leap day, one digit of ms
  EXPECT_EQ(wp::to_rfc3339(253402300799999), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(wp::to_rfc3339(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(wp::to_rfc3339(-62135596800000), "0001-01-01T00:00:00.000Z");
  // Every millisecond value and every hour survive the round trip.
  for (std::int64_t ms = 1700000000000; ms < 1700000000000 + 86400000; ms += 3600001)
    EXPECT_EQ(wp::parse_rfc3339(wp::to_rfc3339(ms)).value(), ms) << wp::to_rfc3339(ms);
}

TEST(Migrations, SplitterIgnoresSemicolonsInStringsAndComments) {
  auto parts = wp::db::split_sql(
      "CREATE TABLE a (x TEXT DEFAULT 'a;b'); -- comment; here\n/* block; */ INSERT INTO a VALUES ('c'';d');\n\n");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_NE(parts[0].find("'a;b'"), std::string::npos);
  EXPECT_NE(parts[1].find("'c'';d'"), std::string::npos);
}

TEST(Migrations, SplitterKeepsTriggerBodiesAndDollarQuotesWhole) {
  auto parts = wp::db::split_sql(
      "CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (1); DELETE FROM c; END;\n"
      "CREATE FUNCTION f() RETURNS trigger AS $fn$ BEGIN x := 1; RETURN NEW; END $fn$ LANGUAGE plpgsql;\n"
      "SELECT 1;");
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_NE(parts[0].find("DELETE FROM c; END"), std::string::npos);
  EXPECT_NE(parts[1].find("RETURN NEW; END $fn$ LANGUAGE"), std::string::npos);
  EXPECT_NE(parts[2].find("SELECT 1"), std::string::npos);
}

TEST(Migrations, BothDialectsHaveTheSameVersions) {
  auto lite = wp::db::migrations_for(wp::db::Dialect::sqlite);
  auto pg = wp::db::migrations_for(wp::db::Dialect::postgresql);
  ASSERT_EQ(lite.size(), pg.size());
  for (std::size_t i = 0; i < lite.size(); ++i) EXPECT_EQ(lite[i].name, pg[i].name);
  EXPECT_GE(lite.size(), 1u);
}

TEST(Database, PostgresUrlBecomesKeyValues) {
  EXPECT_EQ(wp::db::postgres_connect_string("postgresql://wp:s3cret@127.0.0.1:5433/watch?sslmode=disable"),
            "dbname='watch' user='wp' password='s3cret' host='127.0.0.1' port='5433' sslmode='disable' "
            "connect_timeout='5'");
  EXPECT_EQ(wp::db::postgres_connect_string("postgresql://wp@h/db?connect_timeout=2"),
            "dbname='db' user='wp' host='h' connect_timeout='2'");
  EXPECT_THROW(wp::db::postgres_connect_string("mysql://x/y"), std::invalid_argument);
}

#include "core/crypto.hpp"
#include "core/validators.hpp"
#include "modules/accounts/jwt.hpp"
#include "modules/accounts/password.hpp"
#include "modules/accounts/totp.hpp"

TEST(Jwt, SignsAndVerifiesAndRejectsTampering) {
  wp::accounts::AccessClaims c{"user-1", "sess-1", "jti-1", 1000, 2000};
  auto t = wp::accounts::sign_access_token(c, "secret");
  auto v = wp::accounts::verify_access_token(t, "secret", 1500);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->sub, "user-1");
  EXPECT_EQ(v->sid, "sess-1");
  EXPECT_FALSE(wp::accounts::verify_access_token(t, "other", 1500));
  EXPECT_FALSE(wp::accounts::verify_access_token(t, "secret", 2000));  // expired
  auto tampered = t;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(wp::accounts::verify_access_token(tampered, "secret", 1500));
  // alg "none" with no signature, and a valid HMAC under a header that is not HS256.
  auto none = wp::crypto::base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." + t.substr(t.find('.') + 1, t.rfind('.') - t.find('.') - 1) + ".";
  EXPECT_FALSE(wp::accounts::verify_access_token(none, "secret", 1500));
  auto h512 = wp::crypto::base64url_encode(R"({"alg":"HS512","typ":"JWT"})") + "." +
              t.substr(t.find('.') + 1, t.rfind('.') - t.find('.') - 1);
  auto forged = h512 + "." + wp::crypto::base64url_encode(wp::crypto::hmac_sha256("secret", h512));
  EXPECT_FALSE(wp::accounts::verify_access_token(forged, "secret", 1500));
}

TEST(Totp, MatchesRfc6238Vectors) {
  // RFC 6238 appendix B, SHA-1: secret "12345678901234567890".
  const std::string secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
  EXPECT_EQ(wp::accounts::totp_code(secret, 59, 8), "94287082");
  EXPECT_EQ(wp::accounts::totp_code(secret, 1111111109, 8), "07081804");
  EXPECT_EQ(wp::accounts::totp_code(secret, 1234567890, 8), "89005924");
  auto now = 1700000000;
  auto code = wp::accounts::totp_code(secret, now);
  auto step = wp::accounts::totp_match(secret, code, now);
  ASSERT_TRUE(step);
  EXPECT_EQ(*step, now / 30);
  EXPECT_TRUE(wp::accounts::totp_match(secret, code, now + 30));   // one step of clock skew
  EXPECT_FALSE(wp::accounts::totp_match(secret, code, now + 120));
  EXPECT_FALSE(wp::accounts::totp_match(secret, "12345a", now));
}

TEST(Passwords, PolicyAndArgon2id) {
  using wp::accounts::password_problem;
  EXPECT_TRUE(password_problem("short1", "bob", "b@x.io"));
  EXPECT_TRUE(password_problem("1234567890123", "bob", "b@x.io"));
  EXPECT_TRUE(password_problem("Password123", "bob", "b@x.io"));
  EXPECT_TRUE(password_problem("xx-alice-xx", "alice", "a@x.io"));
  EXPECT_FALSE(password_problem("correct horse battery", "alice", "a@x.io"));
  wp::accounts::PasswordHasher h("min", 2);
  auto hash = h.hash("correct horse battery");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(h.verify(hash, "correct horse battery"));
  EXPECT_FALSE(h.verify(hash, "correct horse batterY"));
}

TEST(Validators, FormatsAreChecked) {
  namespace v = wp::validators;
  EXPECT_FALSE(v::email("a@b.co"));
  EXPECT_TRUE(v::email("a@b"));
  EXPECT_TRUE(v::email("a b@c.de"));
  EXPECT_EQ(v::normalize_email(" Ann@Example.COM "), "Ann@example.com");
  EXPECT_FALSE(v::iana_timezone("Europe/Paris"));
  EXPECT_TRUE(v::iana_timezone("Mars/Olympus"));
  EXPECT_TRUE(v::iana_timezone("../../etc/passwd"));
  EXPECT_FALSE(v::country_code("FR"));
  EXPECT_TRUE(v::country_code("XX"));
  EXPECT_TRUE(v::country_code("RF"));  // straddles two codes in the table
  EXPECT_FALSE(v::past_date("1990-05-17"));
  EXPECT_TRUE(v::past_date("2999-01-01"));
  EXPECT_TRUE(v::past_date("1990-02-30"));
  EXPECT_FALSE(v::e164_phone("+33612345678"));
  EXPECT_TRUE(v::e164_phone("0612345678"));
}

TEST(Ids, RequestIdsAreUuidShapedAndNeverRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto id = wp::new_request_id();
    ASSERT_TRUE(wp::is_uuid(id)) << id;
    EXPECT_TRUE(seen.insert(id).second) << id;
  }
  // Another thread starts from its own random point.
  std::string other;
  std::thread([&] { other = wp::new_request_id(); }).join();
  EXPECT_TRUE(wp::is_uuid(other));
  EXPECT_EQ(seen.count(other), 0u);
  EXPECT_NE(other.substr(0, 18), seen.begin()->substr(0, 18));
}

TEST(Ids, V7IdsSortInCreationOrder) {
  std::string prev;
  std::int64_t ms = 0;
  for (int i = 0; i < 5000; ++i) {
    auto id = wp::new_uuid_v7(&ms);
    ASSERT_TRUE(wp::is_uuid(id));
    ASSERT_EQ(id[14], '7');
    ASSERT_LT(prev, id);
    prev = id;
  }
  EXPECT_NEAR(static_cast<double>(ms), static_cast<double>(wp::now_ms()), 1000.0);
}

TEST(ClientIp, ForwardedForCountsOnlyBehindTrustedProxies) {
  using wp::http::client_ip;
  std::vector<std::string> proxies{"10.0.0.1", "10.0.0.2"};
  EXPECT_EQ(client_ip("203.0.113.9", std::nullopt, proxies), "203.0.113.9");
  // A client cannot pick its address by sending the header itself.
  EXPECT_EQ(client_ip("203.0.113.9", "1.2.3.4", proxies), "203.0.113.9");
  EXPECT_EQ(client_ip("10.0.0.1", "198.51.100.7", proxies), "198.51.100.7");
  EXPECT_EQ(client_ip("::ffff:10.0.0.1", "198.51.100.7", proxies), "198.51.100.7");
  // Right to left, skipping trusted hops; what the client wrote further left is ignored.
  EXPECT_EQ(client_ip("10.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2", proxies), "198.51.100.7");
  EXPECT_EQ(client_ip("10.0.0.1", " 10.0.0.2 ,", proxies), "10.0.0.1");
  EXPECT_EQ(client_ip("10.0.0.1", "", proxies), "10.0.0.1");
}

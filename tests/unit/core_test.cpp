#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
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
               {ErrorCode::payload_too_large, 413, "PAYLOAD_TOO_LARGE"},
               {ErrorCode::unsupported_media, 415, "UNSUPPORTED_MEDIA_TYPE"},
               {ErrorCode::rate_limited, 429, "RATE_LIMITED"},
               {ErrorCode::unavailable, 503, "SERVICE_UNAVAILABLE"},
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

TEST(Migrations, SplitterIgnoresSemicolonsInStringsAndComments) {
  auto parts = wp::db::split_sql(
      "CREATE TABLE a (x TEXT DEFAULT 'a;b'); -- comment; here\n/* block; */ INSERT INTO a VALUES ('c'';d');\n\n");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_NE(parts[0].find("'a;b'"), std::string::npos);
  EXPECT_NE(parts[1].find("'c'';d'"), std::string::npos);
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
            "dbname='watch' user='wp' password='s3cret' host='127.0.0.1' port='5433' sslmode='disable'");
  EXPECT_THROW(wp::db::postgres_connect_string("mysql://x/y"), std::invalid_argument);
}

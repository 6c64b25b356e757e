// The messaging socket's `sync` request: what a client may ask for, and a clear
// validation error (never another exception) for anything else.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/error.hpp"
#include "modules/messaging/protocol.hpp"

namespace {

using wp::messaging::protocol::parse_sync;

boost::json::object sync(const std::string& conversations) {
  return boost::json::parse(R"({"type":"sync","conversations":)" + conversations + "}").as_object();
}

TEST(MessagingProtocol, SyncTakesEachConversationsLastSeq) {
  auto got = parse_sync(sync(R"({"0b7e7cde-4a0e-4b8e-953b-fa1c2d3e4f50": 12, "1b7e7cde-4a0e-4b8e-953b-fa1c2d3e4f50": 0})"));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got.at("0b7e7cde-4a0e-4b8e-953b-fa1c2d3e4f50"), 12);
  EXPECT_EQ(got.at("1b7e7cde-4a0e-4b8e-953b-fa1c2d3e4f50"), 0);
}

TEST(MessagingProtocol, ASyncSeqOutsideZeroTo2To63IsAValidationError) {
  for (auto bad : {"-1", "12555555555555555555", "1.5", "\"3\""})
    EXPECT_THROW(parse_sync(sync(std::string(R"({"0b7e7cde-4a0e-4b8e-953b-fa1c2d3e4f50": )") + bad + "}")), wp::Error)
        << bad;
}

}  // namespace

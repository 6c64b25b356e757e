// The WebSocket write path (docs/architecture.md, "Realtime"): a message is
// framed once and the same bytes go to every member; each socket's queue
// is bounded, lets the connection's own frames go first, drops what waits
// on a close unless told to keep it, and writes the close frame last.
#include <gtest/gtest.h>

#include <string>

#include "http/ws_frame.hpp"
#include "http/ws_send_queue.hpp"

namespace {

using wp::http::transport::Frame;
using wp::http::transport::SendQueue;
using wp::http::transport::shared_text_frame;
using wp::http::transport::text_frame;

Frame bytes(std::string s) { return std::make_shared<const std::string>(std::move(s)); }

std::string texts(const SendQueue::Batch& batch) {
  std::string out;
  for (auto& frame : batch) out += *frame + "|";
  return out;
}

TEST(WsFrame, HeaderCarriesTheLengthInTheShortestForm) {
  EXPECT_EQ(text_frame(""), std::string("\x81\x00", 2));
  EXPECT_EQ(text_frame("hi"), "\x81\x02hi");
  auto f125 = text_frame(std::string(125, 'a'));
  EXPECT_EQ(f125.size(), 127u);
  EXPECT_EQ(static_cast<unsigned char>(f125[1]), 125);
  auto f126 = text_frame(std::string(126, 'a'));
  ASSERT_EQ(f126.size(), 4u + 126);
  EXPECT_EQ(f126.substr(0, 4), std::string("\x81\x7e\x00\x7e", 4));
  auto f65535 = text_frame(std::string(65535, 'a'));
  EXPECT_EQ(f65535.substr(0, 4), std::string("\x81\x7e\xff\xff", 4));
  auto f65536 = text_frame(std::string(65536, 'a'));
  ASSERT_EQ(f65536.size(), 10u + 65536);
  EXPECT_EQ(f65536.substr(0, 10), std::string("\x81\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10));
}

TEST(WsFrame, OneMessageIsFramedOnceForEveryMember) {
  auto msg = wp::realtime::make_message("hello");
  auto a = shared_text_frame(msg), b = shared_text_frame(msg);
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(*a, "\x81\x05hello");
  auto other = wp::realtime::make_message("hello");
  auto c = shared_text_frame(other);
  EXPECT_NE(c.get(), a.get());
  EXPECT_EQ(*c, *a);
  // Back to the first message: framed again, still right.
  EXPECT_EQ(*shared_text_frame(msg), "\x81\x05hello");
}

TEST(WsSendQueue, DataWaitsForTheHandshakeThenGoesInOneBatch) {
  SendQueue q(16);
  SendQueue::Batch batch;
  EXPECT_EQ(q.push_data(bytes("a")), SendQueue::Push::queued);
  EXPECT_EQ(q.push_data(bytes("b")), SendQueue::Push::queued);
  // The handshake answer goes out alone.
  EXPECT_EQ(q.push_control(bytes("HTTP/1.1 101")), SendQueue::Push::start_writer);
  ASSERT_TRUE(q.take(batch));
  EXPECT_EQ(texts(batch), "HTTP/1.1 101|");
  q.written(false);
  EXPECT_FALSE(q.take(batch));
  EXPECT_TRUE(q.open());
  ASSERT_TRUE(q.take(batch));
  EXPECT_EQ(texts(batch), "a|b|");
  EXPECT_EQ(q.push_data(bytes("c")), SendQueue::Push::queued);  // the writer is busy
  q.written(false);
  ASSERT_TRUE(q.take(batch));
  EXPECT_EQ(texts(batch), "c|");
  q.written(false);
  EXPECT_FALSE(q.take(batch));
  EXPECT_EQ(q.push_data(bytes("d")), SendQueue::Push::start_writer);
}

TEST(WsSendQueue, AnIdleSocketMayBeWrittenAtOnceAndAFrameItDidNotTakeCountsAsInFlight) {
  SendQueue q(2);
  SendQueue::Batch batch;
  EXPECT_FALSE(q.idle()) << "before the handshake ends nothing goes out";
  q.open();
  EXPECT_TRUE(q.idle());
  q.claim();  // the socket took part of a frame: the rest is being written
  EXPECT_FALSE(q.idle());
  EXPECT_EQ(q.push_data(bytes("a")), SendQueue::Push::queued);
  EXPECT_EQ(q.push_data(bytes("b")), SendQueue::Push::queued);
  EXPECT_EQ(q.push_data(bytes("c")), SendQueue::Push::full) << "the claimed frame counts against the bound";
  q.written(false);
  ASSERT_TRUE(q.take(batch));
  EXPECT_EQ(texts(batch), "a|b|");
  q.written(false);
  EXPECT_FALSE(q.take(batch));
  EXPECT_TRUE(q.idle());
  q.push_control(bytes(std::string("\x89\x00", 2)));
  EXPECT_FALSE(q.idle()) << "a ping on its way: data waits behind it";
  ASSERT_TRUE(q.take(batch));
  q.written(false);
  EXPECT_FALSE(q.take(batch));
  EXPECT_TRUE(q.close());
  EXPECT_FALSE(q.idle()) << "closing: no more data";
}

TEST(WsSendQueue, ControlFramesGoBeforeWaitingData) {
  SendQueue q(16);
  SendQueue::Batch batch;
  q.open();
  EXPECT_EQ(q.push_data(bytes("a")), SendQueue::Push::start_writer);
  ASSERT_TRUE(q.take(batch));
  q.push_data(bytes("b"));
  EXPECT_EQ(q.push_control(bytes(std::string("\x8a\x00", 2))), SendQueue::Push::queued);
  q.written(false);
  ASSERT_TRUE(q.take(batch));
  EXPECT_EQ(texts(batch), std::string("\x8a\x00|b|", 5));
}

TEST(WsSendQueue, TheBoundCountsWhatIsBeingWritten) {
  SendQueue q(4);
  SendQueue::Batch batch;
  q.open();
  for (int i = 0; i < 3; ++i) q.push_data(bytes("x"));
  ASSERT_TRUE(q.take(batch));  // 3 in flight
  EXPECT_EQ(batch.size(), 3u);
  EXPECT_EQ(q.push_data(bytes("y")), SendQueue::Push::queued);
  EXPECT_EQ(q.push_data(bytes("y")), SendQueue::Push::queued);
  EXPECT_EQ(q.push_data(bytes("z")), SendQueue::Push::full);
  q.written(false);
  ASSERT_TRUE(q.take(batch));
  EXPECT_EQ(texts(batch), "y|y|");
}

TEST(WsSendQueue, OneFrameInFlightLeavesTheWholeLimitWaiting) {
  SendQueue q(2);
  SendQueue::Batch batch;
  q.open();
  q.push_data(bytes("a"));
  ASSERT_TRUE(q.take(batch));
  EXPECT_EQ(q.push_data(bytes("b")), SendQueue::Push::queued);
  EXPECT_EQ(q.push_data(bytes("c")), SendQueue::Push::queued);
  EXPECT_EQ(q.push_data(bytes("d")), SendQueue::Push::full);
}

TEST(WsSendQueue, ABatchHoldsAtMostWhatOneSendmsgTakes) {
  SendQueue q(1000);
  SendQueue::Batch batch;
  q.open();
  for (int i = 0; i < 100; ++i) q.push_data(bytes("x"));
  ASSERT_TRUE(q.take(batch));
  EXPECT_EQ(batch.size(), SendQueue::kMaxBatch);
  q.written(false);
  ASSERT_TRUE(q.take(batch));
  EXPECT_EQ(batch.size(), 100 - SendQueue::kMaxBatch);
}

TEST(WsSendQueue, CloseDropsWaitingDataAndRefusesMore) {
  SendQueue q(16);
  SendQueue::Batch batch;
  q.open();
  q.push_data(bytes("a"));
  ASSERT_TRUE(q.take(batch));
  q.push_data(bytes("b"));
  EXPECT_TRUE(q.close());
  EXPECT_FALSE(q.close());  // already closing
  q.push_control(bytes("\x88\x02\x03\xe8"));
  EXPECT_EQ(q.push_data(bytes("c")), SendQueue::Push::closed);
  q.written(false);
  ASSERT_TRUE(q.take(batch));
  EXPECT_EQ(texts(batch), "\x88\x02\x03\xe8|");
  q.written(false);
  EXPECT_FALSE(q.take(batch));
}

TEST(WsSendQueue, AfterThePeersCloseAcceptedDataGoesOutBeforeTheCloseFrame) {
  SendQueue q(16);
  SendQueue::Batch batch;
  q.open();
  q.push_data(bytes("a"));
  ASSERT_TRUE(q.take(batch));
  q.push_data(bytes("b"));
  EXPECT_TRUE(q.close(true));
  EXPECT_EQ(q.push_data(bytes("c")), SendQueue::Push::closed);
  q.push_control(bytes(std::string("\x88\x00", 2)));
  q.push_control(bytes(std::string("\x8a\x00", 2)));  // a pong still goes first
  q.written(false);
  ASSERT_TRUE(q.take(batch));
  EXPECT_EQ(texts(batch), std::string("\x8a\x00|b|\x88\x00|", 8));
}

TEST(WsSendQueue, TheCloseFrameWaitsForTheDataBeforeIt) {
  SendQueue q(1000);
  SendQueue::Batch batch;
  q.open();
  for (int i = 0; i < 100; ++i) q.push_data(bytes("x"));
  q.close(true);
  q.push_control(bytes(std::string("\x88\x00", 2)));
  ASSERT_TRUE(q.take(batch));
  EXPECT_EQ(batch.size(), SendQueue::kMaxBatch);
  EXPECT_FALSE(SendQueue::is_close_frame(*batch.back()));
  q.written(false);
  ASSERT_TRUE(q.take(batch));
  EXPECT_EQ(batch.size(), 100 - SendQueue::kMaxBatch + 1);
  EXPECT_TRUE(SendQueue::is_close_frame(*batch.back()));
}

TEST(WsSendQueue, BeforeTheHandshakeEndsACloseGoesRightAfterIt) {
  SendQueue q(16);
  SendQueue::Batch batch;
  q.push_data(bytes("a"));
  q.push_control(bytes("HTTP/1.1 101"));
  EXPECT_TRUE(q.close());
  q.push_control(bytes("\x88\x02\x0f\xa0"));
  ASSERT_TRUE(q.take(batch));
  EXPECT_EQ(texts(batch), "HTTP/1.1 101|\x88\x02\x0f\xa0|");
}

TEST(WsSendQueue, AFailedWriteDropsDataAndRefusesMore) {
  SendQueue q(16);
  SendQueue::Batch batch;
  q.open();
  q.push_data(bytes("a"));
  ASSERT_TRUE(q.take(batch));
  q.push_data(bytes("b"));
  q.written(true);
  EXPECT_EQ(q.push_data(bytes("c")), SendQueue::Push::closed);
  EXPECT_FALSE(q.take(batch));
}

}  // namespace

// What messaging does over /ws/user/ (docs/realtime.md, "Messaging"): sync
// answers the missed messages in order or refetch past the limit, typing is
// relayed to the others at most once per interval, and the socket handlers
// registered in the table parse their messages.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/user_messages.hpp"
#include "modules/messaging/routes.hpp"
#include "support/error_code.hpp"
#include "support/messaging_world.hpp"

namespace {

using namespace wp::messaging;
using wp::ErrorCode;
using wp::testkit::error_code_of;
using wp::testkit::MessagingWorld;

TEST(MessagingLive, SyncSendsWhatWasMissedInOrderOrRefetchPastItsBudget) {
  MessagingWorld w;  // sync_limit 5: messages replayed by one sync, over all its conversations
  auto a = w.user("a"), b = w.user("b"), c = w.user("c");
  auto near = w.direct(a, b).conversation.id;
  auto far = w.direct(a, c).conversation.id;
  for (int i = 0; i < 4; ++i) w.send(b, near, "n" + std::to_string(i));
  for (int i = 0; i < 9; ++i) w.send(c, far, "f" + std::to_string(i));
  auto stranger = w.direct(b, c).conversation.id;
  auto items = w.service.sync(a, {{near, 1}, {far, 2}, {stranger, 0}});
  ASSERT_EQ(items.size(), 3u);
  for (auto& item : items) {
    if (item.conversation_id == near) {
      EXPECT_FALSE(item.refetch);
      ASSERT_EQ(item.messages.size(), 3u);
      EXPECT_EQ(item.messages[0].seq, 2);
      EXPECT_EQ(item.messages[2].seq, 4);
      EXPECT_EQ(item.last_seq, 4);
    } else if (item.conversation_id == far) {
      EXPECT_TRUE(item.refetch);  // 7 missed > 5 - 3 left
      EXPECT_EQ(item.last_seq, 9);
    } else {
      EXPECT_TRUE(item.refetch);  // not a member: REST will say 404
    }
  }
}

TEST(MessagingLive, TypingIsRelayedToTheOthersOncePerInterval) {
  MessagingWorld w;
  auto a = w.user("a"), b = w.user("b"), c = w.user("c");
  auto g = w.group(a, {b, c}).conversation.id;
  w.channel.take();
  w.service.typing(a, g);
  w.service.typing(a, g);
  EXPECT_EQ(w.channel.of(b.id, "typing").size(), 1u);
  EXPECT_EQ(w.channel.of(c.id, "typing").size(), 1u);
  EXPECT_TRUE(w.channel.of(a.id, "typing").empty());
  auto outsider = w.user("o");
  EXPECT_EQ(error_code_of([&] { w.service.typing(outsider, g); }), ErrorCode::not_found);
}

TEST(MessagingLive, TypingIsNotRelayedBetweenABlockedPair) {
  MessagingWorld w;
  auto a = w.user("a"), b = w.user("b");
  auto dm = w.direct(a, b).conversation.id;
  w.relations.block(a.id, b.id);
  w.channel.take();
  w.service.typing(b, dm);
  EXPECT_TRUE(w.channel.of(a.id, "typing").empty());
}

TEST(MessagingLive, SocketHandlersAnswerSyncThenSyncDone) {
  MessagingWorld w;
  auto a = w.user("a"), b = w.user("b");
  auto dm = w.direct(a, b).conversation.id;
  w.send(b, dm, "1");
  w.send(b, dm, "2");
  wp::UserMessageHandlers handlers;
  add_socket_messages(handlers, w.service);
  ASSERT_NE(handlers.find("sync"), nullptr);
  ASSERT_NE(handlers.find("typing"), nullptr);
  ASSERT_NE(handlers.find("viewing"), nullptr);
  EXPECT_EQ(handlers.find("ping"), nullptr);
  std::vector<boost::json::object> replies;
  auto body = boost::json::parse(R"({"type":"sync","conversations":{")" + dm + R"(":0}})").as_object();
  wp::UserSocketMessage m{a, body, [&](std::string f) { replies.push_back(boost::json::parse(f).as_object()); }};
  (*handlers.find("sync"))(m);
  ASSERT_EQ(replies.size(), 3u);
  EXPECT_EQ(replies[0].at("type").as_string(), "message_new");
  EXPECT_EQ(replies[0].at("data").at("seq").as_int64(), 1);
  EXPECT_EQ(replies[1].at("data").at("seq").as_int64(), 2);
  EXPECT_EQ(replies[2].at("type").as_string(), "sync_done");
  EXPECT_EQ(replies[2].at("data").at("conversations").at(dm).as_int64(), 2);
  auto bad = boost::json::parse(R"({"type":"sync","conversations":{"x":1}})").as_object();
  wp::UserSocketMessage wrong{a, bad, [](std::string) {}};
  EXPECT_EQ(error_code_of([&] { (*handlers.find("sync"))(wrong); }), ErrorCode::validation);
  EXPECT_THROW(handlers.add("sync", [](const wp::UserSocketMessage&) {}), std::logic_error);
}

TEST(MessagingLive, ViewingIsKeptOnTheMemberRowForEveryNode) {
  MessagingWorld w;
  auto a = w.user("a"), b = w.user("b");
  auto dm = w.direct(a, b).conversation.id;
  w.service.viewing(a, dm);
  EXPECT_GT(w.store.member(dm, a.id)->viewing_until, wp::now_ms());
  w.service.viewing(a, std::nullopt);
  EXPECT_EQ(w.store.member(dm, a.id)->viewing_until, 0);
}

}  // namespace

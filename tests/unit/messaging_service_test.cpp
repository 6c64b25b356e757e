// The messaging rules on a temporary SQLite database (docs/api.md,
// "Messaging"): conversations and members, seq numbering, the idempotent
// retry, edits and tombstones, blocks, read state and unread counts, and the
// events every member is sent.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>
#include <thread>

#include "support/error_code.hpp"
#include "support/messaging_world.hpp"

namespace {

using namespace wp::messaging;
using wp::ErrorCode;
using wp::testkit::error_code_of;
using wp::testkit::MessagingWorld;

std::vector<std::int64_t> seqs(const std::vector<MessageRow>& rows) {
  std::vector<std::int64_t> out;
  for (auto& r : rows) out.push_back(r.seq);
  return out;
}

TEST(MessagingService, ADirectConversationIsOnePerPair) {
  MessagingWorld w;
  auto a = w.user("a"), b = w.user("b");
  bool created = false;
  auto first = w.service.open_direct(a, b.id, created);
  EXPECT_TRUE(created);
  auto again = w.service.open_direct(b, a.id, created);
  EXPECT_FALSE(created);
  EXPECT_EQ(first.conversation.id, again.conversation.id);
  EXPECT_EQ(error_code_of([&] { w.service.open_direct(a, a.id, created); }), ErrorCode::validation);
  EXPECT_EQ(error_code_of([&] { w.service.open_direct(a, wp::new_uuid(), created); }), ErrorCode::not_found);
  // Both members are told it exists.
  EXPECT_EQ(w.channel.of(b.id, "conversation_updated").size(), 1u);
}

TEST(MessagingService, SeqIsGapFreeUnderConcurrentSenders) {
  MessagingWorld w;
  auto a = w.user("a"), b = w.user("b"), c = w.user("c");
  auto g = w.group(a, {b, c});
  std::vector<std::thread> threads;
  for (auto* who : {&a, &b, &c})
    threads.emplace_back([&, who] {
      for (int i = 0; i < 20; ++i) w.send(*who, g.conversation.id, "m");
    });
  for (auto& t : threads) t.join();
  MessageQuery q;
  q.direction = Direction::after;
  q.limit = 100;
  auto all = w.store.messages(g.conversation.id, q, a.id).rows;
  std::vector<std::int64_t> expected(60);
  for (int i = 0; i < 60; ++i) expected[i] = i + 1;
  EXPECT_EQ(seqs(all), expected);
  EXPECT_EQ(w.store.conversation(g.conversation.id)->last_seq, 60);
}

TEST(MessagingService, ARetryWithTheSameClientIdReturnsTheFirstMessage) {
  MessagingWorld w;
  auto a = w.user("a"), b = w.user("b");
  auto dm = w.direct(a, b).conversation.id;
  MessageInput in;
  in.client_id = "k";
  in.body = "once";
  auto first = w.service.send(a, dm, in);
  auto second = w.service.send(a, dm, in);
  EXPECT_TRUE(first.created);
  EXPECT_FALSE(second.created);
  EXPECT_EQ(first.message.id, second.message.id);
  // Only the first is published.
  EXPECT_EQ(w.channel.of(b.id, "message_new").size(), 1u);
  EXPECT_TRUE(w.service.send(b, dm, in).created);  // another sender's key is another key
}

TEST(MessagingService, EveryMemberIsToldOfANewMessageAndOthersAreNotifiedUnlessViewing) {
  MessagingWorld w;
  auto a = w.user("a"), b = w.user("b"), c = w.user("c");
  auto g = w.group(a, {b, c}).conversation.id;
  w.channel.take();
  w.service.viewing(c, g);
  auto m = w.send(a, g, "hello there");
  for (auto* who : {&a, &b, &c}) {
    auto got = w.channel.of(who->id, "message_new");
    ASSERT_EQ(got.size(), 1u) << who->username;
    EXPECT_EQ(got[0].data.at("seq").as_int64(), m.seq);
    EXPECT_EQ(got[0].data.at("conversation_id").as_string(), g);
  }
  auto notices = w.notifier.take();
  ASSERT_EQ(notices.size(), 1u);  // not a (the sender), not c (looking at it)
  EXPECT_EQ(notices[0].user_id, b.id);
  EXPECT_EQ(notices[0].type, "new_message");
  EXPECT_EQ(notices[0].group_key, "conversation:" + g);
  EXPECT_EQ(notices[0].actor_id, a.id);
  EXPECT_NE(notices[0].data_json.find("hello there"), std::string::npos);
  // c looks away: notified again.
  w.service.viewing(c, std::nullopt);
  w.send(a, g, "again");
  EXPECT_EQ(w.notifier.take().size(), 2u);
}

TEST(MessagingService, NoticesOfANewMessageRunAfterTheSendAndStillHappen) {
  MessagingWorld w;
  auto a = w.user("a"), b = w.user("b"), c = w.user("c");
  auto g = w.group(a, {b, c}).conversation.id;
  std::vector<std::function<void()>> later;
  w.service.run_notices_with([&later](std::function<void()> job) {
    later.push_back(std::move(job));
    return true;
  });
  w.channel.take();
  w.send(a, g, "hello");
  EXPECT_EQ(w.channel.of(b.id, "message_new").size(), 1u) << "the event is published by the send itself";
  EXPECT_TRUE(w.notifier.take().empty()) << "the notices wait for the pool";
  ASSERT_EQ(later.size(), 1u);
  // Who is told was decided at the send: c starting to view now changes nothing.
  w.service.viewing(c, g);
  later.front()();
  EXPECT_EQ(w.notifier.users_told("new_message"), (std::set<std::string>{b.id, c.id}));
  // A pool that refuses: the notices run inline rather than being lost.
  w.notifier.take();
  w.service.run_notices_with([](std::function<void()>) { return false; });
  w.send(a, g, "again");
  EXPECT_EQ(w.notifier.users_told("new_message"), (std::set<std::string>{b.id}));
}

TEST(MessagingService, TheRowASendAnswersIsTheRowStored) {
  MessagingWorld w;
  auto a = w.user("a"), b = w.user("b"), c = w.user("c");
  auto g = w.group(a, {b, c}).conversation.id;
  auto first = w.send(a, g, "first");
  MessageInput in;
  in.client_id = "k1";
  in.body = "reply";
  in.reply_to_id = first.id;
  in.metadata = R"({"link_previews":[{"url":"https://example.com/x"}]})";
  auto sent = w.service.send(a, g, in);
  auto stored = w.store.message(sent.message.id, a.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(sent.message.seq, stored->seq);
  EXPECT_EQ(sent.message.sender_id, stored->sender_id);
  EXPECT_EQ(sent.message.sender_username, stored->sender_username);
  EXPECT_EQ(sent.message.client_id, stored->client_id);
  EXPECT_EQ(sent.message.body, stored->body);
  EXPECT_EQ(sent.message.reply_to_id, stored->reply_to_id);
  EXPECT_EQ(sent.message.metadata, stored->metadata);
  EXPECT_EQ(sent.message.created_at, stored->created_at);
  EXPECT_EQ(sent.message.message_type, stored->message_type);
  // The members it was stored for come with it.
  std::set<std::string> to;
  for (auto& r : sent.recipients) to.insert(r.user_id);
  EXPECT_EQ(to, (std::set<std::string>{a.id, b.id, c.id}));
  // A non-member is refused by the store's own check.
  auto outsider = w.user("x");
  EXPECT_EQ(error_code_of([&] { w.send(outsider, g, "let me in"); }), ErrorCode::not_found);
  EXPECT_EQ(w.store.conversation(g)->last_seq, sent.message.seq) << "a refused send takes no seq";
}

TEST(MessagingService, SystemMessagesAreNotNotified) {
  MessagingWorld w;
  auto a = w.user("a"), b = w.user("b"), c = w.user("c"), d = w.user("d");
  auto g = w.group(a, {b, c}).conversation.id;
  w.service.add_member(a, g, d.id);
  EXPECT_TRUE(w.notifier.take().empty());
  EXPECT_EQ(w.channel.of(d.id, "message_new").size(), 1u);
}

TEST(MessagingService, OnlyTheSenderEditsOrDeletesAndATombstoneKeepsItsSeq) {
  MessagingWorld w;
  auto a = w.user("a"), b = w.user("b");
  auto dm = w.direct(a, b).conversation.id;
  auto m = w.send(a, dm, "text");
  EXPECT_EQ(error_code_of([&] { w.service.edit(b, dm, m.id, "x"); }), ErrorCode::forbidden);
  auto edited = w.service.edit(a, dm, m.id, "new text");
  EXPECT_TRUE(edited.is_edited);
  EXPECT_TRUE(edited.edited_at.has_value());
  EXPECT_EQ(error_code_of([&] { w.service.remove(b, dm, m.id); }), ErrorCode::forbidden);
  auto gone = w.service.remove(a, dm, m.id);
  EXPECT_TRUE(gone.deleted());
  EXPECT_FALSE(gone.body.has_value());
  EXPECT_EQ(gone.seq, m.seq);
  EXPECT_EQ(error_code_of([&] { w.service.edit(a, dm, m.id, "y"); }), ErrorCode::conflict);
  EXPECT_EQ(w.channel.of(b.id, "message_deleted").size(), 1u);
}

TEST(MessagingService, ABlockedPairCannotOpenOrWriteInTheirDirectConversation) {
  MessagingWorld w;
  auto a = w.user("a"), b = w.user("b"), c = w.user("c");
  auto dm = w.direct(a, b).conversation.id;
  auto m = w.send(a, dm, "before");
  w.relations.block(b.id, a.id);
  bool created = false;
  EXPECT_EQ(error_code_of([&] { w.service.open_direct(a, b.id, created); }), ErrorCode::forbidden);
  EXPECT_EQ(error_code_of([&] { w.send(a, dm, "x"); }), ErrorCode::forbidden);
  EXPECT_EQ(error_code_of([&] { w.send(b, dm, "x"); }), ErrorCode::forbidden);
  EXPECT_EQ(error_code_of([&] { w.service.react(b, dm, m.id, Emoji::heart); }), ErrorCode::forbidden);
  // Groups: nobody adds a user blocked with them; a group holding both still works.
  EXPECT_EQ(error_code_of([&] { w.group(a, {b, c}); }), ErrorCode::validation);
  auto g = w.group(c, {a, b}).conversation.id;
  EXPECT_NO_THROW(w.send(a, g, "in the group"));
  EXPECT_NO_THROW(w.send(b, g, "me too"));
}

TEST(MessagingService, UnreadCountsOthersMessagesAndReadOnlyMovesForward) {
  MessagingWorld w;
  auto a = w.user("a"), b = w.user("b"), c = w.user("c");
  auto g = w.group(a, {b, c}).conversation.id;
  auto m1 = w.send(a, g, "1");
  auto m2 = w.send(c, g, "2");
  auto m3 = w.send(a, g, "3");
  EXPECT_EQ(w.store.unread(g, b.id), 3);
  EXPECT_EQ(w.store.unread(g, a.id), 1);  // c's
  EXPECT_EQ(w.service.mark_read(b, g, m2.id).unread_count, 1);
  auto back = w.service.mark_read(b, g, m1.id);
  EXPECT_EQ(back.last_read_seq, m2.seq);
  EXPECT_EQ(back.unread_count, 1);
  w.channel.take();
  w.service.mark_read(b, g, m3.id);
  EXPECT_EQ(w.channel.of(a.id, "read").size(), 1u);
  EXPECT_TRUE(w.channel.of(b.id, "read").empty());
  // Receipts off: nobody is told.
  w.service.set_show_read_receipts(c, false);
  w.service.mark_read(c, g, m3.id);
  EXPECT_TRUE(w.channel.of(a.id, "read").size() == 1u);
  EXPECT_EQ(w.service.unread_total(c).total, 0);
}

TEST(MessagingService, GroupOwnershipPassesToTheFirstMemberWhenTheOwnerLeaves) {
  MessagingWorld w;
  auto a = w.user("a"), b = w.user("b"), c = w.user("c"), d = w.user("d");
  auto g = w.group(a, {b, c}).conversation.id;
  EXPECT_EQ(error_code_of([&] { w.service.add_member(b, g, d.id); }), ErrorCode::forbidden);
  EXPECT_EQ(error_code_of([&] { w.service.remove_member(b, g, c.id); }), ErrorCode::forbidden);
  w.service.leave(a, g);
  auto after = w.store.conversation(g);
  ASSERT_TRUE(after->owner_id.has_value());
  EXPECT_NE(*after->owner_id, a.id);
  EXPECT_EQ(after->member_count, 2);
  EXPECT_EQ(error_code_of([&] { w.service.get(a, g); }), ErrorCode::not_found);
  EXPECT_EQ(w.channel.of(a.id, "conversation_updated").back().data.at("change").as_string(), "member_left");
}

TEST(MessagingService, StaffSeeNoConversationTheyAreNotIn) {
  MessagingWorld w;
  auto a = w.user("a"), b = w.user("b");
  auto staff = w.add_user("staff_" + wp::new_uuid().substr(0, 6), true);
  auto dm = w.direct(a, b).conversation.id;
  EXPECT_EQ(error_code_of([&] { w.service.get(staff, dm); }), ErrorCode::not_found);
  EXPECT_EQ(error_code_of([&] { w.send(staff, dm, "x"); }), ErrorCode::not_found);
}

}  // namespace

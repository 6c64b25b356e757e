// A mute (moderation, issue #19) as a send meets it: the send's own
// statement refuses a muted sender, so a send costs no lookup of the
// sender's standing, and the refusal is moderation's 403 with no message
// stored and no seq taken. On SQLite here (send_in_transaction);
// tests/integration/test_moderation.py runs the PostgreSQL statement on two nodes.
#include <gtest/gtest.h>

#include "modules/moderation/service.hpp"
#include "support/error_code.hpp"
#include "support/messaging_world.hpp"

namespace {

using namespace wp;
using testkit::error_code_of;

// The moderation service as messaging's guard, counting the standing lookups (screen).
struct CountingGuard : ContentGuard {
  explicit CountingGuard(moderation::ModerationService& svc) : svc(svc) {}
  void screen(const std::string& user_id, ContentType where, std::string_view text, const std::string& field) override {
    ++screens;
    svc.screen(user_id, where, text, field);
  }
  void screen_text(std::string_view text, const std::string& field) override { svc.screen_text(text, field); }
  void posted(const std::string& user_id, ContentType type, const std::string& object_id,
              std::string_view text) override {
    svc.posted(user_id, type, object_id, text);
  }
  moderation::ModerationService& svc;
  int screens = 0;
};

struct World : testkit::MessagingWorld {
  moderation::Store mod_store{*db};
  MemoryRateLimiter mod_limiter;
  moderation::ModerationService moderation{mod_store, mod_limiter, moderation::Settings{}};
  CountingGuard guard{moderation};
  Principal staff = add_user("staffer", true);

  World() {
    service.set_content_guard(guard);
    moderation.add_content(ContentType::user, {[](const std::string& id) -> std::optional<ContentView> {
                                                 return ContentView{id, "bio", "user", false};
                                               },
                                               nullptr, nullptr});
  }
  void act(moderation::ActionType a, const Principal& who) {
    moderation::ActionInput in;
    in.action = a;
    in.user_id = who.id;
    in.reason = "test";
    if (a == moderation::ActionType::mute) in.duration_s = 600;
    moderation.act(staff, in);
  }
};

TEST(MessagingMute, ASendLooksUpNoStandingAndAMutedSenderIsRefusedByItsStatement) {
  World w;
  auto a = w.user("a"), b = w.user("b"), c = w.user("c");
  auto g = w.group(a, {b, c}).conversation.id;
  auto first = w.send(a, g, "before");
  EXPECT_EQ(w.guard.screens, 0) << "a send reads no standing of its own";

  w.act(moderation::ActionType::mute, a);
  std::string why;
  try {
    w.send(a, g, "while muted");
    ADD_FAILURE() << "a muted sender's message was stored";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::forbidden);
    why = e.what();
  }
  EXPECT_NE(why.find("muted until"), std::string::npos) << why;
  EXPECT_NO_THROW(w.send(b, g, "others still write"));
  EXPECT_EQ(w.store.conversation(g)->last_seq, first.seq + 1) << "the refused send took no seq";

  w.act(moderation::ActionType::lift, a);
  EXPECT_EQ(w.send(a, g, "after").seq, first.seq + 2) << "lifted: the next send goes through at once";
}

TEST(MessagingMute, ANonMemberIsStillNotFound) {
  World w;
  auto a = w.user("a"), b = w.user("b"), c = w.user("c"), d = w.user("d");
  auto g = w.group(a, {b, c}).conversation.id;
  EXPECT_EQ(error_code_of([&] { w.send(d, g, "not mine"); }), ErrorCode::not_found);
  w.act(moderation::ActionType::mute, d);
  EXPECT_EQ(error_code_of([&] { w.send(d, g, "not mine"); }), ErrorCode::forbidden) << "as before: the mute first";
}

}  // namespace

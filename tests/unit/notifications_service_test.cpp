// The notifications rules on a temporary SQLite database, with a recording
// per-user channel and push sender: rendering per type, the actor and
// blocks, grouping (also at the same instant), unread counts and their
// versions, preferences, mute, digest and quiet hours, the outbox with its
// leases and backoff, one-click unsubscribe tokens, and the helpers
// (templates, quiet hours, mentions).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <set>
#include <thread>

#include "core/clock.hpp"
#include "core/mailer.hpp"
#include "core/mentions.hpp"
#include "modules/notifications/quiet_hours.hpp"
#include "modules/notifications/service.hpp"
#include "modules/notifications/templates.hpp"
#include "support/error_code.hpp"
#include "support/recording_channel.hpp"
#include "support/recording_notifier.hpp"
#include "support/temp_db.hpp"

namespace {

using namespace wp::notifications;
using wp::ErrorCode;
using wp::Principal;
using wp::testkit::error_code_of;

struct Blocks : wp::Relations {
  std::set<std::pair<std::string, std::string>> pairs;
  bool blocked_between(const std::string& a, const std::string& b) override {
    return pairs.count({a, b}) || pairs.count({b, a});
  }
  bool are_friends(const std::string&, const std::string&) override { return false; }
  std::vector<std::string> friends_of(const std::string&) override { return {}; }
};

struct FailingMailer : wp::Mailer {
  int calls = 0;
  bool fail = true;
  std::vector<wp::Mail> sent;
  void send(const wp::Mail& m) override {
    ++calls;
    if (fail) throw wp::Error(ErrorCode::unavailable, "smtp down");
    sent.push_back(m);
  }
};

struct World {
  wp::testkit::TempDatabase tdb;
  Store store{*tdb.db};
  wp::testkit::RecordingChannel channel;
  wp::testkit::RecordingPush push;
  Blocks blocks;
  NotificationsService svc;
  std::string zone;
  explicit World(Options o = options()) : svc(store, channel, push, o) {
    svc.set_relations(blocks);
    svc.set_contact_of([this](const std::string& id) -> std::optional<Contact> {
      return Contact{id.substr(0, 8) + "@example.com", "user" + id.substr(0, 4), zone, true};
    });
  }
  static Options options() {
    Options o;
    o.public_url = "https://wp.example";
    o.email_retry_base_s = 0;
    o.email_max_attempts = 2;
    return o;
  }
  Principal user(const std::string& name) { return tdb.add_user(name + "_" + wp::new_uuid().substr(0, 6)); }
  void notify(const Principal& to, const std::string& type, boost::json::object data, const std::string& actor = "",
              const std::string& group = "") {
    svc.notify({to.id, type, boost::json::serialize(data), group, actor});
  }
  std::vector<NotificationRow> rows(const Principal& p) { return svc.list(p, {}).rows; }
};

TEST(NotificationsService, RendersTitleAndMessageFromTheTypeTemplateAndPublishesLive) {
  World w;
  auto ana = w.user("ana"), bob = w.user("bob");
  w.notify(bob, "party_invitation", {{"actor_id", ana.id}, {"actor_username", "ana"}, {"party_id", "p1"},
                                     {"party_title", "Movie <night>"}}, ana.id);
  auto rows = w.rows(bob);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].title, "ana invited you to a party");
  EXPECT_EQ(rows[0].message, "Movie <night>");  // text, not HTML: the client escapes it
  EXPECT_NE(rows[0].data.find("\"url\":\"/parties/p1\""), std::string::npos) << rows[0].data;
  auto live = w.channel.of(bob.id, "notification");
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].data.at("id").as_string(), rows[0].id);
  auto counts = w.channel.of(bob.id, "unread_count");
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].data.at("count").as_int64(), 1);
  // Push got it too, with the type's urgency.
  auto pushed = w.push.take();
  ASSERT_EQ(pushed.size(), 1u);
  EXPECT_EQ(pushed[0].url, "/parties/p1");
  EXPECT_EQ(pushed[0].urgency, "high");
  EXPECT_EQ(pushed[0].not_before_ms, 0);
}

TEST(NotificationsService, AnUnknownTypeOrDataThatIsNoObjectIsAProgrammingError) {
  World w;
  auto bob = w.user("bob");
  EXPECT_EQ(error_code_of([&] { w.svc.notify({bob.id, "nope", "{}", "", ""}); }), ErrorCode::internal);
  EXPECT_EQ(error_code_of([&] { w.svc.notify({bob.id, "mention", "[1]", "", ""}); }), ErrorCode::internal);
  EXPECT_TRUE(w.rows(bob).empty());
}

TEST(NotificationsService, NobodyHearsOfTheirOwnActionNorOfABlockedActor) {
  World w;
  auto ana = w.user("ana"), bob = w.user("bob");
  w.notify(ana, "friend_request", {{"actor_username", "ana"}}, ana.id);
  w.blocks.pairs.insert({bob.id, ana.id});
  w.notify(bob, "friend_request", {{"actor_username", "ana"}}, ana.id);
  EXPECT_TRUE(w.rows(ana).empty());
  EXPECT_TRUE(w.rows(bob).empty());
  EXPECT_EQ(w.channel.size(), 0u);
}

TEST(NotificationsService, RepeatsWithOneKeyFoldIntoOneRowWithACount) {
  World w;
  auto owner = w.user("owner");
  for (int i = 0; i < 20; ++i) {
    auto fan = w.user("fan");
    w.notify(owner, "video_like", {{"actor_username", fan.username}, {"video_id", "v1"}, {"video_title", "Clip"}},
             fan.id, "video:v1");
  }
  auto rows = w.rows(owner);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].group_count, 20);
  EXPECT_NE(rows[0].title.find("and 19 others liked your video Clip"), std::string::npos) << rows[0].title;
  EXPECT_EQ(w.svc.unread(owner).count, 1);
  // Only the first like was pushed; the group's growth was announced live.
  EXPECT_EQ(w.push.take().size(), 0u);  // video_like: push is off by default
  EXPECT_EQ(w.channel.of(owner.id, "notification").size(), 20u);
  // Once read, a new like opens a new group.
  w.svc.mark_read(owner, rows[0].id);
  auto late = w.user("late");
  w.notify(owner, "video_like", {{"actor_username", "late"}, {"video_id", "v1"}}, late.id, "video:v1");
  EXPECT_EQ(w.rows(owner).size(), 2u);
}

TEST(NotificationsService, ConcurrentFirstRepeatsMeetOnOneRow) {
  World w;
  auto owner = w.user("owner");
  std::vector<Principal> fans;
  for (int i = 0; i < 8; ++i) fans.push_back(w.user("fan"));
  std::vector<std::thread> threads;
  for (auto& f : fans)
    threads.emplace_back([&w, &owner, f] {
      w.notify(owner, "party_join_request", {{"actor_username", f.username}, {"party_id", "p"}}, f.id, "party:p");
    });
  for (auto& t : threads) t.join();
  auto rows = w.rows(owner);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].group_count, 8);
}

TEST(NotificationsService, UnreadCountsCarryAGrowingVersion) {
  World w;
  auto bob = w.user("bob");
  auto ana = w.user("ana");
  w.notify(bob, "friend_request", {{"actor_username", "ana"}}, ana.id);
  w.notify(bob, "friend_accepted", {{"actor_username", "ana"}}, ana.id);
  auto n = w.svc.mark_all_read(bob);
  EXPECT_EQ(n, 2);
  auto counts = w.channel.of(bob.id, "unread_count");
  ASSERT_EQ(counts.size(), 3u);
  EXPECT_EQ(counts[0].data.at("count").as_int64(), 1);
  EXPECT_EQ(counts[1].data.at("count").as_int64(), 2);
  EXPECT_EQ(counts[2].data.at("count").as_int64(), 0);
  EXPECT_LT(counts[0].data.at("version").as_int64(), counts[1].data.at("version").as_int64());
  EXPECT_LT(counts[1].data.at("version").as_int64(), counts[2].data.at("version").as_int64());
  EXPECT_EQ(w.svc.mark_all_read(bob), 0);
  EXPECT_EQ(w.channel.of(bob.id, "unread_count").size(), 3u);  // nothing changed: no event
}

TEST(NotificationsService, InAppOffMeansNoRowMuteMeansNoMailNorPush) {
  World w;
  auto bob = w.user("bob"), ana = w.user("ana");
  w.svc.update_preferences(bob, {{{Type::friend_request, Channel::in_app, false}}});
  w.notify(bob, "friend_request", {{"actor_username", "ana"}}, ana.id);
  EXPECT_TRUE(w.rows(bob).empty());
  EXPECT_EQ(w.push.take().size(), 1u);  // the other channels still go
  EXPECT_EQ(w.store.emails_of(bob.id).size(), 1u);
  PreferencesPatch mute;
  mute.muted = true;
  w.svc.update_preferences(bob, mute);
  w.notify(bob, "party_invitation", {{"actor_username", "ana"}}, ana.id);
  EXPECT_EQ(w.rows(bob).size(), 1u);
  EXPECT_TRUE(w.push.take().empty());
  EXPECT_EQ(w.store.emails_of(bob.id).size(), 1u);
}

TEST(NotificationsService, ADedupeKeyDeliversANoticeOnceEvenWithoutAnInAppRow) {
  World w;
  auto bob = w.user("bob"), ana = w.user("ana");
  auto twice = [&](const Principal& to, const std::string& key) {
    for (int i = 0; i < 2; ++i)
      w.svc.notify({to.id, "event_reminder", R"({"event_title":"Film","starts_at":"2026-12-05T20:00:00Z"})", "", "",
                    key});
  };
  twice(bob, "event_reminder:r1");
  EXPECT_EQ(w.rows(bob).size(), 1u);
  EXPECT_EQ(w.push.take().size(), 1u);
  EXPECT_EQ(w.store.emails_of(bob.id).size(), 1u);
  twice(bob, "event_reminder:r2");  // another key is another notice
  EXPECT_EQ(w.rows(bob).size(), 2u);
  // The key holds per user, and also when the user keeps no in-app rows of the type.
  w.svc.update_preferences(ana, {{{Type::event_reminder, Channel::in_app, false}}});
  twice(ana, "event_reminder:r1");
  EXPECT_TRUE(w.rows(ana).empty());
  EXPECT_EQ(w.push.take().size(), 2u);  // bob's r2 and ana's r1
  EXPECT_EQ(w.store.emails_of(ana.id).size(), 1u);
}

TEST(NotificationsService, MailsAreEscapedHtmlWithAnUnsubscribeLinkThatWorks) {
  World w;
  auto bob = w.user("bob"), ana = w.user("ana");
  w.notify(bob, "party_invitation", {{"actor_username", "ana"}, {"party_title", "<script>x</script> & co"},
                                     {"party_id", "p1"}}, ana.id);
  auto mails = w.store.emails_of(bob.id);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_NE(mails[0].body_html.find("&lt;script&gt;x&lt;/script&gt; &amp; co"), std::string::npos) << mails[0].body_html;
  EXPECT_EQ(mails[0].body_html.find("<script>"), std::string::npos);
  EXPECT_NE(mails[0].body_text.find("<script>x</script> & co"), std::string::npos);
  EXPECT_NE(mails[0].body_text.find("https://wp.example/parties/p1"), std::string::npos);
  auto url = mails[0].unsubscribe_url;
  ASSERT_EQ(url.rfind("https://wp.example/api/notifications/unsubscribe/?token=", 0), 0u) << url;
  auto token = url.substr(url.find("token=") + 6);
  EXPECT_EQ(error_code_of([&] { w.svc.unsubscribe(token + "x", true); }), ErrorCode::validation);
  auto target = w.svc.unsubscribe(token, true);
  EXPECT_EQ(target.user_id, bob.id);
  EXPECT_EQ(target.kind, "party_invitation");
  EXPECT_FALSE(w.svc.preferences(bob).channels[Type::party_invitation][Channel::email]);
  w.notify(bob, "party_invitation", {{"actor_username", "ana"}}, ana.id);
  EXPECT_EQ(w.store.emails_of(bob.id).size(), 1u);
}

TEST(NotificationsService, TheOutboxRetriesWithBackoffThenFailsAndALeaseKeepsOthersOff) {
  World w;
  auto bob = w.user("bob"), ana = w.user("ana");
  w.notify(bob, "friend_request", {{"actor_username", "ana"}}, ana.id);
  FailingMailer mailer;
  EXPECT_TRUE(w.svc.send_next_email("w1", mailer));
  auto e = w.store.emails_of(bob.id).at(0);
  EXPECT_EQ(e.status, EmailStatus::queued);
  EXPECT_EQ(e.attempts, 1);
  EXPECT_EQ(e.last_error, "smtp down");
  EXPECT_TRUE(w.svc.send_next_email("w1", mailer));  // retry base 0: due at once
  e = w.store.emails_of(bob.id).at(0);
  EXPECT_EQ(e.status, EmailStatus::failed);
  EXPECT_EQ(e.attempts, 2);
  EXPECT_FALSE(w.svc.send_next_email("w1", mailer));
  // A claimed mail is not claimed again while its lease holds.
  w.notify(bob, "friend_accepted", {{"actor_username", "ana"}}, ana.id);
  w.svc.update_preferences(bob, {{{Type::friend_accepted, Channel::email, true}}});
  w.notify(bob, "friend_accepted", {{"actor_username", "ana"}}, ana.id);
  auto claimed = w.store.claim_email("w2", wp::now_ms(), 60000);
  ASSERT_TRUE(claimed);
  EXPECT_FALSE(w.store.claim_email("w3", wp::now_ms(), 60000));
  mailer.fail = false;
  // A sent mail has the one-click headers and a Message-ID of its own row.
  w.notify(bob, "mention", {{"actor_username", "ana"}, {"excerpt", "hi"}}, ana.id);
  while (w.svc.send_next_email("w1", mailer)) {
  }
  ASSERT_FALSE(mailer.sent.empty());
  auto& m = mailer.sent.back();
  EXPECT_EQ(m.headers.at(1), (std::pair<std::string, std::string>{"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}));
  EXPECT_EQ(m.headers.at(0).first, "List-Unsubscribe");
  EXPECT_NE(m.message_id.find("@watchparty"), std::string::npos);
  EXPECT_FALSE(m.html_body.empty());
}

TEST(NotificationsService, DailyDigestAndQuietHoursFoldMailsIntoOneDigest) {
  World w;
  auto bob = w.user("bob"), ana = w.user("ana");
  PreferencesPatch daily;
  daily.digest_mode = DigestMode::daily;
  w.svc.update_preferences(bob, daily);
  w.notify(bob, "friend_request", {{"actor_username", "ana"}}, ana.id);
  w.notify(bob, "mention", {{"actor_username", "ana"}, {"excerpt", "look <here>"}}, ana.id);
  EXPECT_TRUE(w.store.emails_of(bob.id).empty());
  EXPECT_EQ(w.svc.fold_due_digests(), 0);  // not due for a day
  EXPECT_TRUE(w.store.fold_digest(bob.id, wp::now_ms() + 2 * 86400000LL, [](auto& items) -> std::optional<EmailRow> {
    EXPECT_EQ(items.size(), 2u);
    return std::nullopt;
  }));
  // Quiet hours all day but a minute: the push waits, the mail goes to a digest.
  PreferencesPatch quiet;
  quiet.digest_mode = DigestMode::immediate;
  quiet.set_quiet_hours = true;
  auto local_min = static_cast<int>((wp::now_ms() / 60000) % 1440);
  quiet.quiet_start = (local_min + 1439) % 1440;
  quiet.quiet_end = (local_min + 30) % 1440;
  w.svc.update_preferences(bob, quiet);
  w.push.take();
  w.notify(bob, "party_invitation", {{"actor_username", "ana"}}, ana.id);
  auto pushed = w.push.take();
  ASSERT_EQ(pushed.size(), 1u);
  EXPECT_GT(pushed[0].not_before_ms, wp::now_ms() + 20 * 60000);
  EXPECT_TRUE(w.store.emails_of(bob.id).empty());
  EXPECT_GT(w.store.digest_due(bob.id), wp::now_ms() + 20 * 60000);
}

// The digest's unsubscribe key is made (a write) before the digest's own
// transaction: inside it, SQLite's single writer waited on itself.
TEST(NotificationsService, ADueDigestBecomesOneMailWithItsUnsubscribeLink) {
  auto o = World::options();
  o.digest_interval_s = 0;
  World w(o);
  auto bob = w.user("bob"), ana = w.user("ana");
  PreferencesPatch daily;
  daily.digest_mode = DigestMode::daily;
  w.svc.update_preferences(bob, daily);
  w.notify(bob, "friend_request", {{"actor_username", "ana"}}, ana.id);
  w.notify(bob, "party_invitation", {{"actor_username", "ana"}, {"party_title", "Night & <day>"}}, ana.id);
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(w.svc.fold_due_digests(), 1);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  auto mails = w.store.emails_of(bob.id);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].type, "digest");
  EXPECT_NE(mails[0].subject.find("2 notifications"), std::string::npos) << mails[0].subject;
  EXPECT_NE(mails[0].body_html.find("Night &amp; &lt;day&gt;"), std::string::npos) << mails[0].body_html;
  auto token = mails[0].unsubscribe_url.substr(mails[0].unsubscribe_url.find("token=") + 6);
  EXPECT_EQ(w.svc.unsubscribe(token, true).kind, "digest");
  EXPECT_EQ(w.svc.preferences(bob).settings.digest_mode, DigestMode::off);
  EXPECT_EQ(w.svc.fold_due_digests(), 0);
}

TEST(NotificationsHelpers, TemplatesEscapeHtmlButNotText) {
  boost::json::object vars{{"a", "<b>&\"'"}, {"n", 3}, {"raw", "<i>ok</i>"}};
  EXPECT_EQ(render("x {{a}} {{n}} {{missing}}!", vars, Escape::text), "x <b>&\"' 3 !");
  EXPECT_EQ(render("{{a}}|{{&raw}}", vars, Escape::html), "&lt;b&gt;&amp;&quot;&#39;|<i>ok</i>");
}

TEST(NotificationsHelpers, EveryTypeHasACatalogEntryAndATemplate) {
  for (auto& [type, name] : wp::enum_names<Type>.items) {
    EXPECT_EQ(type_info(type).type, type) << name;
    EXPECT_FALSE(type_template(type).title.empty()) << name;
    EXPECT_FALSE(type_template(type).url.empty()) << name;
  }
}

TEST(NotificationsHelpers, QuietHoursFollowTheZoneAndWrapPastMidnight) {
  // 2026-01-15 12:00 UTC: 13:00 in Paris (winter), 07:00 in New York.
  std::int64_t noon = 1768478400000LL;
  EXPECT_EQ(utc_offset_s("Europe/Paris", noon), 3600);
  EXPECT_EQ(utc_offset_s("America/New_York", noon), -5 * 3600);
  EXPECT_EQ(utc_offset_s("Europe/Paris", noon + 180LL * 86400000), 7200);  // July: summer time
  EXPECT_EQ(utc_offset_s("", noon), 0);
  EXPECT_EQ(utc_offset_s("Not/AZone", noon), 0);
  // 22:00-08:00 in New York holds at 07:00 there and ends an hour later.
  auto until = quiet_until(noon, "America/New_York", 22 * 60, 8 * 60);
  ASSERT_TRUE(until);
  EXPECT_EQ(*until, noon + 3600000);
  EXPECT_FALSE(quiet_until(noon, "Europe/Paris", 22 * 60, 8 * 60));
  EXPECT_FALSE(quiet_until(noon, "Europe/Paris", 600, 600));
}

TEST(NotificationsHelpers, MentionsAreUsernamesAfterAnAtSign) {
  EXPECT_EQ(wp::mentioned_usernames("hi @Ana, and (@bob_2). mail@carl.com @ana @-"),
            (std::vector<std::string>{"ana", "bob_2"}));
  EXPECT_EQ(wp::excerpt("héllo", 2), "h\u2026");
}

TEST(MailPayload, HtmlAlternativeExtraHeadersAndEncodedSubject) {
  wp::Mail m;
  m.to = "bob@example.com";
  m.subject = "Soirée: «Amélie» ce soir, avec une longue suite de mots accentués é è à";
  m.body = "Hello\nline=two";
  m.html_body = "<p>Hi</p>";
  m.headers = {{"List-Unsubscribe", "<https://x/u?t=1>"}, {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}};
  m.message_id = "abc@watchparty";
  auto p = wp::mail_payload(m, "noreply@x", "Thu, 01 Jan 2026 00:00:00 +0000");
  EXPECT_NE(p.find("Message-ID: <abc@watchparty>\r\n"), std::string::npos);
  EXPECT_NE(p.find("List-Unsubscribe: <https://x/u?t=1>\r\n"), std::string::npos);
  EXPECT_NE(p.find("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"), std::string::npos);
  EXPECT_NE(p.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_EQ(p.find("Soirée"), std::string::npos);  // no raw 8-bit text in a header
  EXPECT_NE(p.find("multipart/alternative"), std::string::npos);
  EXPECT_NE(p.find("line=3Dtwo"), std::string::npos);  // quoted-printable body
  for (std::size_t start = 0, end; (end = p.find("\r\n", start)) != std::string::npos; start = end + 2)
    EXPECT_LE(end - start, 998u);
  // A plain mail (the accounts module's) stays as it was.
  wp::Mail plain{"a@b", "Reset", "Token: x"};
  EXPECT_NE(wp::mail_payload(plain, "f@x", "d").find("text/plain; charset=utf-8\r\n\r\nToken: x"), std::string::npos);
}

TEST(NotifyQuietly, LogsAFailedNoticeInsteadOfThrowing) {
  struct Throwing : wp::Notifier {
    void notify(const wp::Notice&) override { throw wp::Error(ErrorCode::unavailable, "db down"); }
  } throwing;
  EXPECT_NO_THROW(wp::notify_quietly(&throwing, {"u", "mention", "{}", "", ""}));
  EXPECT_NO_THROW(wp::notify_quietly(nullptr, {"u", "mention", "{}", "", ""}));
}

}  // namespace

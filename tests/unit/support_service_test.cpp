// The support desk's rules on a temporary SQLite database, with a Notifier
// that records every notice: the status machine, who sees what, internal
// notes that never reach the owner, the SLA mark, votes and feedback.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "modules/support/dto.hpp"
#include "modules/support/policy.hpp"
#include "modules/support/service.hpp"
#include "modules/support/store.hpp"
#include "support/error_code.hpp"
#include "support/recording_notifier.hpp"
#include "support/temp_db.hpp"

namespace {

using namespace wp::support;
using wp::ErrorCode;
using wp::Principal;
using wp::testkit::error_code_of;
using wp::testkit::RecordingNotifier;

constexpr std::int64_t kDay = 24LL * 3600 * 1000;

struct SupportWorld : wp::testkit::TempDatabase {
  RecordingNotifier notices;
  Store store{*db};
  SupportService service{store, [this] {
                           Settings s;
                           s.data_dir = config.data_dir;
                           s.reopen_days = 7;
                           return s;
                         }()};
  Principal ana = add_user("ana");
  Principal bob = add_user("bob");
  Principal staff = add_user("sam", true);
  Principal staff2 = add_user("sue", true);

  SupportWorld() { service.set_notifier(notices); }

  TicketRow ticket(const Principal& by, TicketCategory c = TicketCategory::technical) {
    TicketInput in;
    in.subject = "Video stutters";
    in.description = "Every party stutters after a minute.";
    in.category = c;
    return service.create(by, in);
  }
  ReplyRow reply(const Principal& by, const std::string& id, const std::string& text, bool internal = false) {
    ReplyInput in;
    in.content = text;
    in.is_internal = internal;
    return service.reply(by, id, in);
  }
  TicketRow set_status(const Principal& by, const std::string& id, TicketStatus s) {
    TicketChange c;
    c.status = s;
    return service.change(by, id, c);
  }
  // A staged file with these bytes, as the upload route hands it over.
  std::string staged(const std::string& bytes) {
    std::filesystem::create_directories(config.data_dir + "/tmp");
    auto path = service.staging_path();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
};

// ---------------------------------------------------------------- the status machine (pure)

TEST(SupportPolicy, StaffMoveFreelyButAClosedTicketIsReopenedFirst) {
  TicketRow t;
  for (auto to : {TicketStatus::pending, TicketStatus::resolved, TicketStatus::closed})
    EXPECT_FALSE(refuse_status(t, to, true, 0, 7)) << wp::to_string(to);
  t.status = TicketStatus::closed;
  EXPECT_TRUE(refuse_status(t, TicketStatus::resolved, true, 0, 7));
  EXPECT_TRUE(refuse_status(t, TicketStatus::pending, true, 0, 7));
  EXPECT_FALSE(refuse_status(t, TicketStatus::open, true, 0, 7));
}

TEST(SupportPolicy, TheOwnerClosesAndReopensWithinTheWindowOnly) {
  TicketRow t;
  EXPECT_FALSE(refuse_status(t, TicketStatus::closed, false, 0, 7));
  EXPECT_TRUE(refuse_status(t, TicketStatus::resolved, false, 0, 7));
  EXPECT_TRUE(refuse_status(t, TicketStatus::pending, false, 0, 7));
  t.status = TicketStatus::resolved;
  t.resolved_at = 1000;
  EXPECT_FALSE(refuse_status(t, TicketStatus::open, false, 1000 + 7 * kDay, 7));
  EXPECT_TRUE(refuse_status(t, TicketStatus::open, false, 1001 + 7 * kDay, 7));
  t.status = TicketStatus::closed;  // closed after the resolution: the window runs from the resolution
  t.closed_at = 1000 + 6 * kDay;
  EXPECT_TRUE(refuse_status(t, TicketStatus::open, false, 1001 + 7 * kDay, 7));
}

TEST(SupportPolicy, RepliesMoveTheStatusAndNotesDoNot) {
  EXPECT_EQ(status_after_reply(TicketStatus::open, true, false), TicketStatus::pending);
  EXPECT_EQ(status_after_reply(TicketStatus::pending, false, false), TicketStatus::open);
  EXPECT_EQ(status_after_reply(TicketStatus::open, true, true), TicketStatus::open);
  EXPECT_EQ(status_after_reply(TicketStatus::closed, true, true), TicketStatus::closed);
  EXPECT_FALSE(status_after_reply(TicketStatus::closed, true, false));
  EXPECT_FALSE(status_after_reply(TicketStatus::resolved, false, false));
  EXPECT_EQ(status_after_reply(TicketStatus::resolved, true, false), TicketStatus::resolved);
}

// ---------------------------------------------------------------- tickets

TEST(SupportService, UsersSeeOnlyTheirOwnTicketsAndStaffSeeTheQueue) {
  SupportWorld w;
  auto t = w.ticket(w.ana);
  EXPECT_EQ(t.status, TicketStatus::open);
  EXPECT_EQ(w.service.get(w.ana, t.id).id, t.id);
  EXPECT_EQ(w.service.get(w.staff, t.id).id, t.id);
  EXPECT_EQ(error_code_of([&] { w.service.get(w.bob, t.id); }), ErrorCode::not_found);
  long long count = 0;
  EXPECT_EQ(w.service.mine(w.bob, {}, 20, 0, count).size(), 0u);
  EXPECT_EQ(w.service.mine(w.ana, {}, 20, 0, count).size(), 1u);
  EXPECT_EQ(error_code_of([&] { w.service.queue(w.ana, {}, 20, 0, count); }), ErrorCode::forbidden);
  EXPECT_EQ(w.service.queue(w.staff, {}, 20, 0, count).size(), 1u);
}

TEST(SupportService, TheQueueFiltersByAssigneeUnassignedStatusPriorityAndCategory) {
  SupportWorld w;
  auto a = w.ticket(w.ana, TicketCategory::billing);
  auto b = w.ticket(w.bob, TicketCategory::playback);
  w.service.assign(w.staff, a.id, w.staff2.id);
  TicketChange c;
  c.priority = TicketPriority::urgent;
  w.service.change(w.staff, b.id, c);
  long long n = 0;
  auto ids = [&](TicketFilter f) {
    std::vector<std::string> out;
    for (auto& t : w.service.queue(w.staff, f, 20, 0, n)) out.push_back(t.id);
    return out;
  };
  EXPECT_EQ(ids({.assignee = w.staff2.id}), std::vector<std::string>{a.id});
  EXPECT_EQ(ids({.unassigned = true}), std::vector<std::string>{b.id});
  EXPECT_EQ(ids({.priority = TicketPriority::urgent}), std::vector<std::string>{b.id});
  EXPECT_EQ(ids({.category = TicketCategory::billing}), std::vector<std::string>{a.id});
  EXPECT_EQ(ids({.status = TicketStatus::resolved}).size(), 0u);
  TicketFilter by_priority;
  by_priority.ordering = TicketOrdering::priority;
  EXPECT_EQ(ids(by_priority).front(), b.id);
}

TEST(SupportService, OnlyActiveStaffAreAssigned) {
  SupportWorld w;
  auto t = w.ticket(w.ana);
  EXPECT_EQ(error_code_of([&] { w.service.assign(w.staff, t.id, w.bob.id); }), ErrorCode::validation);
  EXPECT_EQ(error_code_of([&] { w.service.assign(w.ana, t.id, w.staff.id); }), ErrorCode::forbidden);
  EXPECT_EQ(w.service.assign(w.staff, t.id, w.staff.id).assigned_to, w.staff.id);
  EXPECT_FALSE(w.service.assign(w.staff, t.id, std::nullopt).assigned_to);
}

TEST(SupportService, TheOwnerChangesOnlyTheStatusAndReopensWithinTheWindow) {
  SupportWorld w;
  auto t = w.ticket(w.ana);
  TicketChange notes;
  notes.admin_notes = "vip";
  EXPECT_EQ(error_code_of([&] { w.service.change(w.ana, t.id, notes); }), ErrorCode::forbidden);
  EXPECT_EQ(error_code_of([&] { w.set_status(w.ana, t.id, TicketStatus::resolved); }), ErrorCode::forbidden);
  auto resolved = w.set_status(w.staff, t.id, TicketStatus::resolved);
  ASSERT_TRUE(resolved.resolved_at);
  EXPECT_EQ(w.notices.users_told("ticket_status"), std::set<std::string>{w.ana.id});
  auto reopened = w.set_status(w.ana, t.id, TicketStatus::open);
  EXPECT_FALSE(reopened.resolved_at);
  w.set_status(w.staff, t.id, TicketStatus::resolved);
  // Eight days later the window has passed.
  w.db->with([&](soci::session& s) {
    long long long_ago = wp::now_ms() - 8 * kDay;
    s << "UPDATE support_tickets SET resolved_at = :t WHERE id = :id", soci::use(long_ago), soci::use(t.id);
  });
  EXPECT_EQ(error_code_of([&] { w.set_status(w.ana, t.id, TicketStatus::open); }), ErrorCode::conflict);
  EXPECT_EQ(w.set_status(w.staff, t.id, TicketStatus::open).status, TicketStatus::open);
}

TEST(SupportService, AnAppealNamesAModerationActionTheCheckAccepts) {
  SupportWorld w;
  TicketInput in;
  in.subject = "Unfair ban";
  in.description = "Please look again.";
  in.category = TicketCategory::appeal;
  EXPECT_EQ(error_code_of([&] { w.service.create(w.ana, in); }), ErrorCode::validation);
  std::string action = wp::new_uuid();
  in.moderation_action_id = action;
  w.service.set_appeal_check([&](const std::string& user, const std::string& id) {
    return user == w.ana.id && id == action;
  });
  EXPECT_EQ(w.service.create(w.ana, in).moderation_action_id, action);
  EXPECT_EQ(error_code_of([&] { w.service.create(w.bob, in); }), ErrorCode::validation);
  in.category = TicketCategory::other;
  EXPECT_EQ(error_code_of([&] { w.service.create(w.ana, in); }), ErrorCode::validation);
}

// ---------------------------------------------------------------- replies and internal notes

TEST(SupportService, RepliesMoveTheStatusAndTellTheOtherSide) {
  SupportWorld w;
  auto t = w.ticket(w.ana);
  w.service.assign(w.staff, t.id, w.staff.id);
  w.notices.take();
  w.reply(w.staff, t.id, "Which browser?");
  EXPECT_EQ(w.service.get(w.ana, t.id).status, TicketStatus::pending);
  auto told = w.notices.take();
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0].type, "ticket_reply");
  EXPECT_EQ(told[0].user_id, w.ana.id);
  w.reply(w.ana, t.id, "Firefox.");
  EXPECT_EQ(w.service.get(w.ana, t.id).status, TicketStatus::open);
  EXPECT_EQ(w.notices.users_told("ticket_reply"), std::set<std::string>{w.staff.id});
  w.set_status(w.staff, t.id, TicketStatus::closed);
  EXPECT_EQ(error_code_of([&] { w.reply(w.ana, t.id, "again"); }), ErrorCode::conflict);
  EXPECT_EQ(error_code_of([&] { w.reply(w.bob, t.id, "me too"); }), ErrorCode::not_found);
}

TEST(SupportService, InternalNotesNeverReachTheOwner) {
  SupportWorld w;
  auto t = w.ticket(w.ana);
  w.reply(w.staff, t.id, "Hello!");
  auto seen = boost::json::serialize(ticket_json(w.service.get(w.ana, t.id), false, w.service.settings()));
  w.notices.take();
  EXPECT_EQ(error_code_of([&] { w.reply(w.ana, t.id, "secret", true); }), ErrorCode::forbidden);
  w.reply(w.staff, t.id, "This user is a known troll", true);
  EXPECT_TRUE(w.notices.take().empty());
  // What the owner sees of the ticket has not moved at all.
  EXPECT_EQ(boost::json::serialize(ticket_json(w.service.get(w.ana, t.id), false, w.service.settings())), seen);
  long long count = 0;
  auto mine = w.service.replies(w.ana, t.id, 50, 0, count);
  EXPECT_EQ(count, 1);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_FALSE(mine[0].is_internal);
  auto all = w.service.replies(w.staff, t.id, 50, 0, count);
  EXPECT_EQ(count, 2);
  EXPECT_EQ(w.service.get(w.staff, t.id).internal_count, 1);
  EXPECT_EQ(w.service.get(w.staff, t.id).status, TicketStatus::pending);
  EXPECT_EQ(seen.find("internal"), std::string::npos);
  EXPECT_EQ(seen.find("admin_notes"), std::string::npos);
}

TEST(SupportService, TheFirstStaffReplyIsTheSlaMark) {
  SupportWorld w;
  auto t = w.ticket(w.ana);
  w.reply(w.staff, t.id, "note", true);
  w.reply(w.ana, t.id, "anyone?");
  EXPECT_FALSE(w.service.get(w.staff, t.id).first_staff_reply_at);
  auto s = w.service.summary(w.staff, 30);
  EXPECT_EQ(s.awaiting_first_reply, 1);
  EXPECT_EQ(s.unassigned, 1);
  w.reply(w.staff, t.id, "Here.");
  auto first = w.service.get(w.staff, t.id).first_staff_reply_at;
  ASSERT_TRUE(first);
  w.reply(w.staff2, t.id, "Also here.");
  EXPECT_EQ(w.service.get(w.staff, t.id).first_staff_reply_at, first);
  s = w.service.summary(w.staff, 30);
  EXPECT_EQ(s.awaiting_first_reply, 0);
  EXPECT_EQ(s.answered, 1);
  ASSERT_TRUE(s.first_reply_avg_ms);
  EXPECT_GE(*s.first_reply_avg_ms, 0);
  EXPECT_EQ(s.pending, 1);
  EXPECT_EQ(error_code_of([&] { w.service.summary(w.ana, 30); }), ErrorCode::forbidden);
}

// ---------------------------------------------------------------- attachments

TEST(SupportService, AttachmentsAreSniffedAndOnlyTheTicketsPartiesSeeThem) {
  SupportWorld w;
  EXPECT_EQ(error_code_of([&] { w.service.upload(w.ana, w.staged("\x7f" "ELF\x02\x01\x01"), "x.txt"); }),
            ErrorCode::unsupported_media);
  auto a = w.service.upload(w.ana, w.staged("plain words, nothing more\n"), "../log.txt");
  EXPECT_EQ(a.mime_type, "text/plain");
  EXPECT_EQ(a.filename, "log.txt");
  EXPECT_EQ(error_code_of([&] { w.service.attachment_file(w.bob, a.id, false); }), ErrorCode::not_found);
  TicketInput in;
  in.subject = "Logs";
  in.description = "attached";
  in.attachment_ids = {a.id};
  auto t = w.service.create(w.ana, in);
  EXPECT_EQ(w.service.ticket_attachments(w.ana, t).size(), 1u);
  // Someone else's attachment cannot be claimed, nor one already taken.
  auto b = w.service.upload(w.bob, w.staged("bob's words\n"), "b.txt");
  ReplyInput r;
  r.content = "see file";
  r.attachment_ids = {b.id};
  EXPECT_EQ(error_code_of([&] { w.service.reply(w.ana, t.id, r); }), ErrorCode::validation);
  r.attachment_ids = {a.id};
  EXPECT_EQ(error_code_of([&] { w.service.reply(w.ana, t.id, r); }), ErrorCode::validation);
  // A file on an internal note is staff's only.
  auto n = w.service.upload(w.staff, w.staged("internal words\n"), "n.txt");
  r.content = "internal";
  r.is_internal = true;
  r.attachment_ids = {n.id};
  w.service.reply(w.staff, t.id, r);
  EXPECT_EQ(error_code_of([&] { w.service.attachment_file(w.ana, n.id, false); }), ErrorCode::not_found);
  EXPECT_NO_THROW(w.service.attachment_file(w.staff2, n.id, false));
  EXPECT_NO_THROW(w.service.attachment_file(w.ana, a.id, false));
  EXPECT_NO_THROW(w.service.attachment_file(w.staff, a.id, false));
}

TEST(SupportService, UnclaimedAttachmentsExpire) {
  SupportWorld w;
  auto a = w.service.upload(w.ana, w.staged("orphan\n"), "o.txt");
  auto kept = w.service.upload(w.ana, w.staged("kept\n"), "k.txt");
  TicketInput in;
  in.subject = "s";
  in.description = "d";
  in.attachment_ids = {kept.id};
  w.service.create(w.ana, in);
  Settings s = w.service.settings();
  s.attachment_ttl_ms = -1000;  // everything is past its TTL
  EXPECT_EQ(expire_orphan_attachments(w.store, s), 1);
  EXPECT_FALSE(w.store.attachment(a.id));
  EXPECT_TRUE(w.store.attachment(kept.id));
}

// ---------------------------------------------------------------- FAQ and feedback

TEST(SupportService, FaqDraftsAreStaffsAndSearchFindsPublishedAnswers) {
  SupportWorld w;
  FaqInput in;
  in.category = "parties";
  in.question = "How do I host?";
  in.answer = "Press **Host**.";
  in.is_published = true;
  auto q = w.service.create_faq(w.staff, in);
  in.question = "Secret draft";
  in.is_published = false;
  auto draft = w.service.create_faq(w.staff, in);
  EXPECT_EQ(error_code_of([&] { w.service.create_faq(w.ana, in); }), ErrorCode::forbidden);
  EXPECT_EQ(error_code_of([&] { w.service.faq(nullptr, draft.id); }), ErrorCode::not_found);
  EXPECT_EQ(error_code_of([&] { w.service.faq(&w.ana, draft.id); }), ErrorCode::not_found);
  long long count = 0;
  FaqFilter f;
  f.search = "HOST";
  auto found = w.service.faqs(nullptr, f, 20, 0, count);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, q.id);
  f.search = "secret";
  EXPECT_TRUE(w.service.faqs(&w.ana, f, 20, 0, count).empty());
  f.published_only = false;
  EXPECT_EQ(w.service.faqs(&w.staff, f, 20, 0, count).size(), 1u);
  EXPECT_EQ(w.service.faqs(&w.ana, f, 20, 0, count).size(), 0u);
}

TEST(SupportService, OneHelpfulVotePerUserEvenAtTheSameInstant) {
  SupportWorld w;
  FaqInput in;
  in.category = "general";
  in.question = "Q";
  in.answer = "A";
  in.is_published = true;
  auto q = w.service.create_faq(w.staff, in);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) threads.emplace_back([&] { w.service.vote(w.ana, q.id, true); });
  for (auto& t : threads) t.join();
  auto after = w.service.faq(&w.ana, q.id);
  EXPECT_EQ(after.helpful_count, 1);
  EXPECT_EQ(after.my_vote, true);
  after = w.service.vote(w.ana, q.id, false);
  EXPECT_EQ(after.helpful_count, 0);
  EXPECT_EQ(after.not_helpful_count, 1);
  EXPECT_EQ(after.my_vote, false);
  after = w.service.vote(w.bob, q.id, true);
  EXPECT_EQ(after.helpful_count, 1);
  EXPECT_EQ(w.service.faq(nullptr, q.id).my_vote, std::nullopt);
}

TEST(SupportService, FeedbackWithAScreenshotIsTriagedByStaff) {
  SupportWorld w;
  auto text = w.service.upload(w.ana, w.staged("not a picture\n"), "t.txt");
  FeedbackInput in;
  in.rating = 4;
  in.text = "Nice";
  in.page = "/parties";
  in.screenshot_id = text.id;
  EXPECT_EQ(error_code_of([&] { w.service.create_feedback(w.ana, in); }), ErrorCode::validation);
  in.screenshot_id.reset();
  auto b = w.service.create_feedback(w.ana, in);
  EXPECT_EQ(b.status, FeedbackStatus::new_);
  long long count = 0;
  EXPECT_EQ(error_code_of([&] { w.service.feedback(w.ana, {}, 20, 0, count); }), ErrorCode::forbidden);
  EXPECT_EQ(w.service.triage(w.staff, b.id, FeedbackStatus::planned).status, FeedbackStatus::planned);
  EXPECT_EQ(w.service.feedback(w.staff, {.status = FeedbackStatus::planned}, 20, 0, count).size(), 1u);
}

}  // namespace

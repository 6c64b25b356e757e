#pragma once
// Every SQL text of the events store, and the column table of each row it
// reads. Only store.cpp includes this. A row query is the text after the
// SELECT list: db::select_rows puts the list first.
#include "db/columns.hpp"
#include "modules/events/model.hpp"

namespace wp::events::sql {

// ---------------------------------------------------------------- row tables

inline const db::Columns<EventRow> kEvent{
    {"e.id", &EventRow::id},
    {"e.organizer_id", &EventRow::organizer_id},
    {"u.username", &EventRow::organizer_username},
    {"e.title", &EventRow::title},
    {"e.description", &EventRow::description},
    {"e.location", &EventRow::location},
    {"e.start_time", &EventRow::start_time},
    {"e.end_time", &EventRow::end_time},
    {"e.timezone", &EventRow::timezone},
    {"e.max_attendees", &EventRow::max_attendees},
    {"e.require_approval", &EventRow::require_approval},
    {"e.is_public", &EventRow::is_public},
    {"e.status", &EventRow::status},
    {"e.category", &EventRow::category},
    {"e.settings", &EventRow::settings},
    {"e.creates_party", &EventRow::creates_party},
    {"e.video_id", &EventRow::video_id},
    {"e.group_id", &EventRow::group_id},
    {"e.party_id", &EventRow::party_id},
    {"e.series_id", &EventRow::series_id},
    {"e.recurrence", &EventRow::recurrence},
    {"e.recurrence_until", &EventRow::recurrence_until},
    {"e.going_count", &EventRow::going_count},
    {"e.created_at", &EventRow::created_at},
    {"e.updated_at", &EventRow::updated_at},
};

inline const db::Columns<AttendeeRow> kAttendee{
    {"a.id", &AttendeeRow::id},
    {"a.event_id", &AttendeeRow::event_id},
    {"a.user_id", &AttendeeRow::user_id},
    {"u.username", &AttendeeRow::username},
    {"a.status", &AttendeeRow::status},
    {"a.seq", &AttendeeRow::seq},
    {"CASE WHEN a.status = 'waitlisted' THEN (SELECT COUNT(*) FROM event_attendees w WHERE w.event_id = a.event_id "
     "AND w.status = 'waitlisted' AND w.seq <= a.seq) ELSE 0 END",
     &AttendeeRow::position},
    {"a.preferences", &AttendeeRow::preferences},
    {"a.created_at", &AttendeeRow::created_at},
    {"a.updated_at", &AttendeeRow::updated_at},
};

inline const db::Columns<InvitationRow> kInvitation{
    {"i.id", &InvitationRow::id},
    {"i.event_id", &InvitationRow::event_id},
    {"e.title", &InvitationRow::event_title},
    {"e.start_time", &InvitationRow::event_start},
    {"i.inviter_id", &InvitationRow::inviter_id},
    {"iu.username", &InvitationRow::inviter_username},
    {"i.invitee_id", &InvitationRow::invitee_id},
    {"u.username", &InvitationRow::invitee_username},
    {"i.status", &InvitationRow::status},
    {"i.created_at", &InvitationRow::created_at},
    {"i.responded_at", &InvitationRow::responded_at},
};

inline const db::Columns<RsvpRow> kRsvp{
    {"r.event_id", &RsvpRow::event_id}, {"r.user_id", &RsvpRow::user_id}, {"r.response", &RsvpRow::response},
    {"r.note", &RsvpRow::note},         {"r.updated_at", &RsvpRow::updated_at},
};

inline const db::Columns<LockedEvent> kLocked{
    {"id", &LockedEvent::id},
    {"max_attendees", &LockedEvent::max_attendees},
    {"going_count", &LockedEvent::going},
    {"status", &LockedEvent::status},
};

inline const db::Columns<DueReminder> kDueReminder{
    {"r.id", &DueReminder::id},
    {"r.event_id", &DueReminder::event_id},
    {"r.user_id", &DueReminder::user_id},
    {"r.offset_minutes", &DueReminder::offset_minutes},
    {"e.title", &DueReminder::title},
    {"e.start_time", &DueReminder::start_time},
};

// ---------------------------------------------------------------- events

inline constexpr const char* kInsertEvent =
    "INSERT INTO events (id, organizer_id, title, description, location, start_time, end_time, timezone, "
    "max_attendees, require_approval, is_public, status, category, settings, creates_party, video_id, group_id, "
    "series_id, recurrence, recurrence_until, going_count, last_seq, created_at, updated_at) VALUES (:id, :o, :t, "
    ":d, :l, :s, :e, :tz, :m, :ra, :p, :st, :c, :se, :cp, :v, :g, :sid, :r, :ru, 0, 0, :ca, :ua)";
inline constexpr const char* kEventFrom = "FROM events e JOIN users u ON u.id = e.organizer_id";
inline constexpr const char* kEventById = "FROM events e JOIN users u ON u.id = e.organizer_id WHERE e.id = :id";
inline constexpr const char* kUpdateEvent =
    "UPDATE events SET title = :t, description = :d, location = :l, start_time = :s, end_time = :e, timezone = :tz, "
    "max_attendees = :m, require_approval = :ra, is_public = :p, status = :st, category = :c, settings = :se, "
    "creates_party = :cp, video_id = :v, group_id = :g, updated_at = :ua WHERE id = :id";
inline constexpr const char* kSeriesFrom =
    "FROM events e JOIN users u ON u.id = e.organizer_id WHERE e.series_id = :sid AND e.start_time >= :from "
    "ORDER BY e.start_time";
inline constexpr const char* kDeleteEvent = "DELETE FROM events WHERE id = :id";
inline constexpr const char* kMoveStatus =
    "UPDATE events SET status = :to, updated_at = :t WHERE id = :id AND status = :from";
inline constexpr const char* kSetParty = "UPDATE events SET party_id = :p, updated_at = :t WHERE id = :id";
inline constexpr const char* kEventsOfParty =
    "FROM events e JOIN users u ON u.id = e.organizer_id WHERE e.party_id = :p";
// The clock moves events on: upcoming ones whose start passed, and live (or
// upcoming) ones whose end passed.
inline constexpr const char* kDueToStart =
    "FROM events e JOIN users u ON u.id = e.organizer_id WHERE e.status = 'upcoming' AND e.start_time <= :now "
    "ORDER BY e.start_time LIMIT 100";
inline constexpr const char* kDueToEnd =
    "FROM events e JOIN users u ON u.id = e.organizer_id WHERE e.status = 'live' AND e.end_time <= :now AND "
    "e.party_id IS NULL ORDER BY e.end_time LIMIT 100";
inline constexpr const char* kCountUser = "SELECT COUNT(*) FROM users WHERE id = :id AND is_active = TRUE";

// The event list: kEventFrom (kCountEvents) + kVisible (unless staff) + the
// filters that apply, then the page.
inline constexpr const char* kCountEvents = "SELECT COUNT(*) FROM events e";
inline constexpr const char* kWhereTrue = " WHERE 1 = 1";
inline constexpr const char* kVisible =
    " WHERE NOT EXISTS (SELECT 1 FROM user_blocks b WHERE (b.blocker_id = :vb1 AND b.blocked_id = e.organizer_id) "
    "OR (b.blocker_id = e.organizer_id AND b.blocked_id = :vb2)) AND (e.is_public = TRUE OR e.organizer_id = :vo OR "
    "EXISTS (SELECT 1 FROM event_invitations vi WHERE vi.event_id = e.id AND vi.invitee_id = :vi AND vi.status <> "
    "'declined') OR EXISTS (SELECT 1 FROM event_attendees va WHERE va.event_id = e.id AND va.user_id = :va))";
inline constexpr const char* kUpcoming = " AND e.status IN ('upcoming', 'live')";
inline constexpr const char* kPast = " AND e.status = 'ended'";
inline constexpr const char* kMine = " AND e.organizer_id = :mine";
inline constexpr const char* kAttending =
    " AND EXISTS (SELECT 1 FROM event_attendees ma WHERE ma.event_id = e.id AND ma.user_id = :att AND ma.status = "
    "'going')";
// ---- mobile home (#21): EventFilter::organizing_or_going
inline constexpr const char* kOrganizingOrGoing =
    " AND (e.organizer_id = :og1 OR e.id IN (SELECT oa.event_id FROM event_attendees oa WHERE oa.user_id = :og2 AND "
    "oa.status = 'going'))";
// ---- end mobile home
inline constexpr const char* kInvited =
    " AND EXISTS (SELECT 1 FROM event_invitations mi WHERE mi.event_id = e.id AND mi.invitee_id = :inv AND mi.status "
    "= 'pending')";
inline constexpr const char* kWithCategory = " AND e.category = :category";
inline constexpr const char* kFrom = " AND e.start_time >= :from";
inline constexpr const char* kTo = " AND e.start_time < :to";
inline constexpr const char* kSearch =
    " AND (LOWER(e.title) LIKE :search ESCAPE '\\' OR LOWER(e.description) LIKE :search2 ESCAPE '\\')";
inline constexpr const char* kPageSoonest = " ORDER BY e.start_time, e.id LIMIT :lim OFFSET :off";
inline constexpr const char* kPageLatest = " ORDER BY e.start_time DESC, e.id LIMIT :lim OFFSET :off";

// The personal feed: events I organize or am going to, from 30 days back.
inline constexpr const char* kFeed =
    "FROM events e JOIN users u ON u.id = e.organizer_id WHERE e.end_time >= :since AND (e.organizer_id = :me OR "
    "EXISTS (SELECT 1 FROM event_attendees a WHERE a.event_id = e.id AND a.user_id = :me2 AND a.status = 'going')) "
    "ORDER BY e.start_time LIMIT 500";

// ---------------------------------------------------------------- attendance

// Attendance changes run in one transaction that first reads the event row:
// on PostgreSQL with kForUpdate, which locks it; SQLite's BEGIN IMMEDIATE
// already serializes writers.
inline constexpr const char* kLockEvent = "FROM events WHERE id = :id";
inline constexpr const char* kForUpdate = " FOR UPDATE";
inline constexpr const char* kAttendeeOf =
    "FROM event_attendees a JOIN users u ON u.id = a.user_id WHERE a.event_id = :e AND a.user_id = :u";
inline constexpr const char* kTakeTicket = "UPDATE events SET last_seq = last_seq + 1 WHERE id = :id";
inline constexpr const char* kLastTicket = "SELECT last_seq FROM events WHERE id = :id";
inline constexpr const char* kInsertAttendee =
    "INSERT INTO event_attendees (id, event_id, user_id, status, seq, preferences, created_at, updated_at) VALUES "
    "(:id, :e, :u, :s, :q, '{}', :c, :t)";
inline constexpr const char* kUpdateAttendee =
    "UPDATE event_attendees SET status = :s, seq = :q, updated_at = :t WHERE event_id = :e AND user_id = :u";
inline constexpr const char* kDeleteAttendee = "DELETE FROM event_attendees WHERE event_id = :e AND user_id = :u";
inline constexpr const char* kMoveGoing = "UPDATE events SET going_count = going_count + :d WHERE id = :id";
inline constexpr const char* kFirstWaitlisted =
    "SELECT user_id FROM event_attendees WHERE event_id = :e AND status = 'waitlisted' ORDER BY seq LIMIT 1";
inline constexpr const char* kPromote =
    "UPDATE event_attendees SET status = 'going', updated_at = :t WHERE event_id = :e AND user_id = :u";
// Going first, then the waitlist in order, then requests.
inline constexpr const char* kAttendees =
    "FROM event_attendees a JOIN users u ON u.id = a.user_id WHERE a.event_id = :e ORDER BY CASE a.status WHEN "
    "'going' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END, a.seq LIMIT :lim OFFSET :off";
inline constexpr const char* kAttendeesByStatus =
    "FROM event_attendees a JOIN users u ON u.id = a.user_id WHERE a.event_id = :e AND a.status = :s ORDER BY a.seq "
    "LIMIT :lim OFFSET :off";
inline constexpr const char* kCountAttendees = "SELECT COUNT(*) FROM event_attendees WHERE event_id = :e";
inline constexpr const char* kCountAttendeesByStatus =
    "SELECT COUNT(*) FROM event_attendees WHERE event_id = :e AND status = :s";
inline constexpr const char* kGoingIds =
    "SELECT user_id FROM event_attendees WHERE event_id = :e AND status = 'going' ORDER BY seq";
inline constexpr const char* kCountRsvps = "SELECT COUNT(*) FROM event_rsvps WHERE event_id = :e AND response = :r";
// The counts of a page of events at once: the store puts "(:e0, :e1, ...)" between the two halves.
inline constexpr const char* kStatusCountsIn = "SELECT event_id, status, COUNT(*) FROM event_attendees WHERE event_id IN ";
inline constexpr const char* kByStatus = " GROUP BY event_id, status";
inline constexpr const char* kRsvpCountsIn = "SELECT event_id, response, COUNT(*) FROM event_rsvps WHERE event_id IN ";
inline constexpr const char* kByResponse = " GROUP BY event_id, response";
inline constexpr const char* kSetPreferences =
    "UPDATE event_attendees SET preferences = :p, updated_at = :t WHERE event_id = :e AND user_id = :u";

// ---------------------------------------------------------------- invitations and RSVPs

inline constexpr const char* kInvitationFrom =
    "FROM event_invitations i JOIN events e ON e.id = i.event_id JOIN users u ON u.id = i.invitee_id LEFT JOIN users "
    "iu ON iu.id = i.inviter_id";
inline constexpr const char* kInvitationOf = " WHERE i.event_id = :e AND i.invitee_id = :u";
// My pending invitations, soonest event first; a block since hides one.
inline constexpr const char* kPendingOf =
    " WHERE i.invitee_id = :u AND i.status = 'pending' AND e.status IN ('upcoming', 'live') AND NOT EXISTS (SELECT 1 "
    "FROM user_blocks b WHERE (b.blocker_id = i.invitee_id AND b.blocked_id = i.inviter_id) OR (b.blocker_id = "
    "i.inviter_id AND b.blocked_id = i.invitee_id)) ORDER BY e.start_time, i.id LIMIT :lim OFFSET :off";
inline constexpr const char* kCountPendingOf =
    "SELECT COUNT(*) FROM event_invitations i JOIN events e ON e.id = i.event_id WHERE i.invitee_id = :u AND "
    "i.status = 'pending' AND e.status IN ('upcoming', 'live') AND NOT EXISTS (SELECT 1 FROM user_blocks b WHERE "
    "(b.blocker_id = i.invitee_id AND b.blocked_id = i.inviter_id) OR (b.blocker_id = i.inviter_id AND b.blocked_id "
    "= i.invitee_id))";
inline constexpr const char* kInsertInvitation =
    "INSERT INTO event_invitations (id, event_id, inviter_id, invitee_id, status, created_at, responded_at) VALUES "
    "(:id, :e, :by, :u, 'pending', :c, NULL)";
inline constexpr const char* kRenewInvitation =
    "UPDATE event_invitations SET status = 'pending', inviter_id = :by, created_at = :c, responded_at = NULL WHERE "
    "event_id = :e AND invitee_id = :u";
inline constexpr const char* kAnswerInvitation =
    "UPDATE event_invitations SET status = :s, responded_at = :t WHERE event_id = :e AND invitee_id = :u";

inline constexpr const char* kRsvpOf = "FROM event_rsvps r WHERE r.event_id = :e AND r.user_id = :u";
inline constexpr const char* kInsertRsvp =
    "INSERT INTO event_rsvps (id, event_id, user_id, response, note, created_at, updated_at) VALUES (:id, :e, :u, "
    ":r, :n, :c, :t)";
inline constexpr const char* kUpdateRsvp =
    "UPDATE event_rsvps SET response = :r, note = :n, updated_at = :t WHERE event_id = :e AND user_id = :u";
inline constexpr const char* kDeleteRsvp = "DELETE FROM event_rsvps WHERE event_id = :e AND user_id = :u";

// ---------------------------------------------------------------- reminders

inline constexpr const char* kDeleteUnsentOf =
    "DELETE FROM event_reminders WHERE event_id = :e AND user_id = :u AND sent_at IS NULL";
inline constexpr const char* kDeleteRemindersOf = "DELETE FROM event_reminders WHERE event_id = :e AND user_id = :u";
inline constexpr const char* kDeleteEventReminders = "DELETE FROM event_reminders WHERE event_id = :e";
inline constexpr const char* kCountReminder =
    "SELECT COUNT(*) FROM event_reminders WHERE event_id = :e AND user_id = :u AND offset_minutes = :o";
inline constexpr const char* kInsertReminder =
    "INSERT INTO event_reminders (id, event_id, user_id, offset_minutes, due_at, sent_at, sent_by) VALUES (:id, :e, "
    ":u, :o, :d, NULL, NULL)";
inline constexpr const char* kDueReminders =
    "FROM event_reminders r JOIN events e ON e.id = r.event_id WHERE r.sent_at IS NULL AND r.due_at <= :now AND "
    "(r.lease_until IS NULL OR r.lease_until < :now2) ORDER BY r.due_at LIMIT 200";
// The claim is a lease: whoever changes the row sends the reminder now (on
// PostgreSQL a second claimer waits for the first and then finds the lease).
// A node that dies holding it leaves the reminder to another once it ends.
inline constexpr const char* kClaimReminder =
    "UPDATE event_reminders SET lease_until = :until, sent_by = :w WHERE id = :id AND sent_at IS NULL AND "
    "(lease_until IS NULL OR lease_until < :now)";
inline constexpr const char* kMarkReminderSent =
    "UPDATE event_reminders SET sent_at = :t, sent_by = :w WHERE id = :id AND sent_at IS NULL";

// ---------------------------------------------------------------- calendar feed

inline constexpr const char* kTokenOf = "SELECT token FROM event_calendar_tokens WHERE user_id = :u";
inline constexpr const char* kUserOfToken = "SELECT user_id FROM event_calendar_tokens WHERE token = :t";
inline constexpr const char* kDeleteToken = "DELETE FROM event_calendar_tokens WHERE user_id = :u";
inline constexpr const char* kInsertToken =
    "INSERT INTO event_calendar_tokens (user_id, token, created_at) VALUES (:u, :t, :c)";

}  // namespace wp::events::sql

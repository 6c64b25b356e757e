#pragma once
// The events domain: rows of its tables, the vocabulary, the settings and
// preferences, and the inputs of its rules.
#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/enum_names.hpp"
#include "core/principal.hpp"

namespace wp::events {

// The vocabulary; each has one string table (bottom of this file).
enum class EventStatus { upcoming, live, ended, cancelled };
enum class Category { watch_party, premiere, meetup, discussion, screening, gaming, music, sports, education, other };
enum class Recurrence { weekly, monthly };
enum class AttendeeStatus { going, pending, waitlisted };
enum class InvitationStatus { pending, accepted, declined };
enum class RsvpResponse { going, maybe, not_going };
// How far an edit or a delete of an occurrence reaches in its series.
enum class Scope { this_one, following };
enum class When { any, upcoming, past };

struct EventRow {
  std::string id;
  std::string organizer_id, organizer_username;  // the username is read only (joined)
  std::string title, description, location;
  std::int64_t start_time = 0, end_time = 0;
  std::string timezone = "UTC";
  std::optional<int> max_attendees;
  bool require_approval = false;
  bool is_public = true;
  EventStatus status = EventStatus::upcoming;
  Category category = Category::other;
  std::string settings = "{}";
  bool creates_party = false;
  std::optional<std::string> video_id, group_id, party_id;
  std::optional<std::string> series_id;
  std::optional<Recurrence> recurrence;
  std::optional<std::int64_t> recurrence_until;
  std::int64_t going_count = 0;
  std::int64_t created_at = 0, updated_at = 0;
};

struct AttendeeRow {
  std::string id;
  std::string event_id;
  std::string user_id, username;  // the username is read only (joined)
  AttendeeStatus status = AttendeeStatus::going;
  std::int64_t seq = 0;
  std::int64_t position = 0;  // read only: 1-based place on the waitlist (0 when not waitlisted)
  std::string preferences = "{}";
  std::int64_t created_at = 0, updated_at = 0;
};

struct InvitationRow {
  std::string id;
  std::string event_id, event_title;  // the title is read only (joined)
  std::int64_t event_start = 0;       // read only (joined)
  std::optional<std::string> inviter_id, inviter_username;
  std::string invitee_id, invitee_username;
  InvitationStatus status = InvitationStatus::pending;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> responded_at;
};

struct RsvpRow {
  std::string event_id, user_id;
  RsvpResponse response = RsvpResponse::going;
  std::string note;
  std::int64_t updated_at = 0;
};

struct Counts {
  long long going = 0, maybe = 0, not_going = 0, waitlisted = 0, pending = 0;
};

// A reminder due to be sent, as the worker reads it.
struct DueReminder {
  std::string id, event_id, user_id;
  int offset_minutes = 0;
  std::string title;
  std::int64_t start_time = 0;
};

// The event's settings: every key has a default; stored as JSON.
struct Settings {
  bool attendees_can_invite = false;  // attendees (going) may invite users too
  bool show_attendees = true;         // the attendee list is shown to anyone who sees the event
};

// An attendee's preferences: reminder offsets, minutes before the start.
struct Preferences {
  std::vector<int> reminder_offsets{1440, 15};
};

struct EventFilter {
  When when = When::any;
  bool mine = false;       // organizing
  bool attending = false;  // going
  bool invited = false;    // a pending invitation
  bool organizing_or_going = false;  // mobile home (#21): mine or attending (either)
  std::optional<Category> category;
  std::optional<std::int64_t> from, to;  // start_time in [from, to)
  std::optional<std::string> search;     // title or description, case-insensitive
};

struct RecurrenceInput {
  Recurrence frequency = Recurrence::weekly;
  std::int64_t until = 0;
};

// Every editable field; a PATCH sets some, a PUT all (the route checks that).
struct EventInput {
  std::optional<std::string> title, description, location, timezone;
  std::optional<std::int64_t> start_time, end_time;
  std::optional<std::optional<int>> max_attendees;  // set to null: no limit
  std::optional<bool> require_approval, is_public, creates_party;
  std::optional<Category> category;
  std::optional<boost::json::object> settings;  // checked (policy.hpp); laid over the current settings
  std::optional<std::optional<std::string>> video_id, group_id;
  std::optional<EventStatus> status;      // only cancelled (or ended while live), by the organizer
  std::optional<RecurrenceInput> recurrence;  // create only
};

// What an attendance change does to the (event, user) row; the service
// decides it under the event's lock, the store applies it, moves going_count
// and hands out a waitlist ticket, in the same transaction.
struct LockedEvent {
  std::string id;
  std::optional<int> max_attendees;
  std::int64_t going = 0;
  EventStatus status = EventStatus::upcoming;
  bool has_room() const { return !max_attendees || going < *max_attendees; }
};
struct AttendanceChange {
  enum class Kind { keep, put, remove };
  Kind kind = Kind::keep;
  AttendeeStatus status = AttendeeStatus::going;
  static AttendanceChange keep() { return {}; }
  static AttendanceChange remove() { return {Kind::remove}; }
  static AttendanceChange put(AttendeeStatus s) { return {Kind::put, s}; }
};
using DecideAttendance =
    std::function<AttendanceChange(const LockedEvent& event, const std::optional<AttendeeRow>& current)>;
// The row afterwards, and who was promoted from the waitlist by a seat that freed up.
struct AttendanceResult {
  std::optional<AttendeeRow> row;
  std::vector<std::string> promoted;
};

// An event as one user sees it: the row, the counts and where they stand.
struct EventView {
  EventRow event;
  Counts counts;
  std::optional<AttendeeRow> attendance;
  std::optional<RsvpRow> rsvp;
  std::optional<InvitationRow> invitation;
};

// What one pass of the scheduler did (the C++ and integration tests read it).
struct TickResult {
  int started = 0, ended = 0, reminders_sent = 0, parties_opened = 0;
};

// What the events module hands the parties module when an event with
// creates_party starts (wired in app.cpp; events never includes parties).
struct PartyRequest {
  std::string event_id;
  std::string organizer_id, organizer_username;
  std::string title, description;
  std::optional<std::string> video_id;
  std::vector<std::string> attendee_ids;  // going, the organizer left out
};
using PartyOpener = std::function<std::string(const PartyRequest&)>;  // returns the party id
// Whether a user may link a video (their own or a public one), and a group (an active member).
using VideoCheck = std::function<bool(const std::string& video_id, const Principal& user)>;
using GroupCheck = std::function<bool(const std::string& group_id, const std::string& user_id)>;

}  // namespace wp::events

WP_ENUM_NAMES(wp::events::EventStatus, {wp::events::EventStatus::upcoming, "upcoming"},
              {wp::events::EventStatus::live, "live"}, {wp::events::EventStatus::ended, "ended"},
              {wp::events::EventStatus::cancelled, "cancelled"});
WP_ENUM_NAMES(wp::events::Category, {wp::events::Category::watch_party, "watch_party"},
              {wp::events::Category::premiere, "premiere"}, {wp::events::Category::meetup, "meetup"},
              {wp::events::Category::discussion, "discussion"}, {wp::events::Category::screening, "screening"},
              {wp::events::Category::gaming, "gaming"}, {wp::events::Category::music, "music"},
              {wp::events::Category::sports, "sports"}, {wp::events::Category::education, "education"},
              {wp::events::Category::other, "other"});
WP_ENUM_NAMES(wp::events::Recurrence, {wp::events::Recurrence::weekly, "weekly"},
              {wp::events::Recurrence::monthly, "monthly"});
WP_ENUM_NAMES(wp::events::AttendeeStatus, {wp::events::AttendeeStatus::going, "going"},
              {wp::events::AttendeeStatus::pending, "pending"},
              {wp::events::AttendeeStatus::waitlisted, "waitlisted"});
WP_ENUM_NAMES(wp::events::InvitationStatus, {wp::events::InvitationStatus::pending, "pending"},
              {wp::events::InvitationStatus::accepted, "accepted"},
              {wp::events::InvitationStatus::declined, "declined"});
WP_ENUM_NAMES(wp::events::RsvpResponse, {wp::events::RsvpResponse::going, "going"},
              {wp::events::RsvpResponse::maybe, "maybe"}, {wp::events::RsvpResponse::not_going, "not_going"});
WP_ENUM_NAMES(wp::events::Scope, {wp::events::Scope::this_one, "this"},
              {wp::events::Scope::following, "following"});
WP_ENUM_NAMES(wp::events::When, {wp::events::When::any, "any"}, {wp::events::When::upcoming, "upcoming"},
              {wp::events::When::past, "past"});

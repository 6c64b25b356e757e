#pragma once
// Every read and write of the events tables (the SQL text is in sql.hpp).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/events/model.hpp"

namespace wp::events {

class Store {
 public:
  explicit Store(db::Database& db) : db_(db) {}

  // Events
  // The events of one create (one, or every occurrence of a series), in one transaction.
  void insert_events(const std::vector<EventRow>& events);
  std::optional<EventRow> event(const std::string& id);
  // Visible to viewer_id unless `everything` (staff), under the filter.
  std::vector<EventRow> events(const EventFilter& f, const std::string& viewer_id, bool everything, int limit,
                               int offset);
  long long count_events(const EventFilter& f, const std::string& viewer_id, bool everything);
  // Every editable field and the status (not the counts, the party or the series).
  void update_event(const EventRow& e);
  // The occurrences of a series starting at or after `from`, in order.
  std::vector<EventRow> series_from(const std::string& series_id, std::int64_t from);
  void delete_event(const std::string& id);
  // Moves the status only if it still is `from`: true for the one caller that did it.
  bool move_status(const std::string& id, EventStatus from, EventStatus to, std::int64_t now);
  void set_party(const std::string& id, const std::string& party_id, std::int64_t now);
  std::vector<EventRow> events_of_party(const std::string& party_id);
  std::vector<EventRow> due_to_start(std::int64_t now);
  std::vector<EventRow> due_to_end(std::int64_t now);
  bool user_exists(const std::string& user_id);
  // Events the user organizes or goes to, ending after `since`.
  std::vector<EventRow> feed(const std::string& user_id, std::int64_t since);

  // Attendance
  // Locks the event, reads the user's row, asks `decide` what to do and does
  // it, moving going_count and promoting the waitlist into freed seats: all in
  // one transaction (a wp::Error from decide rolls it back). 404 when the event is gone.
  AttendanceResult change_attendance(const std::string& event_id, const std::string& user_id, std::int64_t now,
                                     const DecideAttendance& decide);
  // Promotes the waitlist into the seats there are (after max_attendees grew), in one transaction.
  std::vector<std::string> fill_seats(const std::string& event_id, std::int64_t now);
  std::optional<AttendeeRow> attendee(const std::string& event_id, const std::string& user_id);
  std::vector<AttendeeRow> attendees(const std::string& event_id, std::optional<AttendeeStatus> status, int limit,
                                     int offset);
  long long count_attendees(const std::string& event_id, std::optional<AttendeeStatus> status);
  std::vector<std::string> going_ids(const std::string& event_id);
  Counts counts(const std::string& event_id);
  // The counts of several events in two queries (a page of the list).
  std::map<std::string, Counts> counts_of(const std::vector<std::string>& event_ids);
  void set_preferences(const std::string& event_id, const std::string& user_id, const std::string& json,
                       std::int64_t now);

  // Invitations and RSVPs
  std::optional<InvitationRow> invitation(const std::string& event_id, const std::string& invitee_id);
  // A new pending invitation, or a declined one made pending again.
  void put_invitation(const std::string& event_id, const std::string& inviter_id, const std::string& invitee_id,
                      bool exists, std::int64_t now);
  void answer_invitation(const std::string& event_id, const std::string& invitee_id, InvitationStatus status,
                         std::int64_t now);
  std::vector<InvitationRow> pending_invitations(const std::string& user_id, int limit, int offset);
  long long count_pending_invitations(const std::string& user_id);
  std::optional<RsvpRow> rsvp(const std::string& event_id, const std::string& user_id);
  void set_rsvp(const std::string& event_id, const std::string& user_id, RsvpResponse response,
                const std::string& note, std::int64_t now);
  void delete_rsvp(const std::string& event_id, const std::string& user_id);

  // Reminders
  // The user's unsent reminders of the event replaced by one per offset still in the future.
  void plan_reminders(const std::string& event_id, const std::string& user_id, const std::vector<int>& offsets,
                      std::int64_t start_time, std::int64_t now);
  void drop_reminders(const std::string& event_id, const std::string& user_id);
  void drop_event_reminders(const std::string& event_id);
  std::vector<DueReminder> due_reminders(std::int64_t now);
  // True for one caller at a time: the reminder is theirs until `until` or
  // until they mark it sent.
  bool claim_reminder(const std::string& id, const std::string& worker, std::int64_t now, std::int64_t until);
  void mark_reminder_sent(const std::string& id, const std::string& worker, std::int64_t now);

  // Calendar feed
  std::optional<std::string> calendar_token(const std::string& user_id);
  void replace_calendar_token(const std::string& user_id, const std::string& token, std::int64_t now);
  std::optional<std::string> user_of_calendar_token(const std::string& token);

 private:
  db::Database& db_;
};

}  // namespace wp::events

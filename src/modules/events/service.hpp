#pragma once
// The event rules: who may see, change and delete an event and its series;
// attendance (join, approval, the waitlist, leave), invitations and RSVPs;
// the calendar (one event's ical, the personal feed and its token); and the
// scheduler's pass (status by the clock, reminders exactly once, the party
// of an event). Notices go through wp::Notifier; the party through a hook.
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/domain_events.hpp"
#include "core/moderation.hpp"
#include "core/notifier.hpp"
#include "core/principal.hpp"
#include "core/relations.hpp"
#include "modules/events/model.hpp"
#include "modules/events/store.hpp"

namespace wp::events {

class EventsService {
 public:
  EventsService(Store& store, Relations& relations, Notifier& notifier);

  // The other modules' answers, wired in app.cpp (unset: no video or group may be linked, no party opens).
  void set_party_opener(PartyOpener fn) { open_party_ = std::move(fn); }
  void set_video_check(VideoCheck fn) { video_check_ = std::move(fn); }
  void set_group_check(GroupCheck fn) { group_check_ = std::move(fn); }
  void set_events(const DomainEvents& events) { events_ = &events; }

  // Events (service.cpp). create returns the first occurrence of a series.
  EventRow create(const Principal& user, const EventInput& in);
  EventView get(const Principal& user, const std::string& id);
  std::vector<EventRow> list(const Principal& user, const EventFilter& f, int limit, int offset, long long& count);
  // The fields `in` sets; with Scope::following also every later occurrence of the series.
  EventRow update(const Principal& user, const std::string& id, const EventInput& in, Scope scope);
  void remove(const Principal& user, const std::string& id, Scope scope);
  // mobile home (#21): upcoming or live events the user organizes or is going to, soonest first (the
  // visibility rule applies, staff too: nothing of an organizer blocked with them). No count.
  std::vector<EventRow> upcoming_of(const Principal& user, int limit);
  std::map<std::string, Counts> counts_of(const std::vector<std::string>& ids) { return store_.counts_of(ids); }

  // Calendar (service.cpp). base_url: where the web client is, for URL lines.
  std::string ical(const Principal& user, const std::string& id, const std::string& base_url);
  std::string calendar_token(const Principal& user);
  std::string rotate_calendar_token(const Principal& user);
  // The feed of the token's user; nullopt for an unknown token.
  std::optional<std::string> feed(const std::string& token, const std::string& base_url);

  // Attendance, invitations and RSVPs (attendance.cpp)
  // Going, pending (require_approval) or waitlisted (full).
  AttendeeRow join(const Principal& user, const std::string& id);
  void leave(const Principal& user, const std::string& id);
  AttendeeRow approve(const Principal& user, const std::string& id, const std::string& target);
  void reject(const Principal& user, const std::string& id, const std::string& target);
  std::vector<AttendeeRow> attendees(const Principal& user, const std::string& id,
                                     std::optional<AttendeeStatus> status, int limit, int offset, long long& count);
  AttendeeRow set_preferences(const Principal& user, const std::string& id, const boost::json::object& prefs);
  InvitationRow invite(const Principal& user, const std::string& id, const std::string& invitee_id);
  AttendeeRow accept_invitation(const Principal& user, const std::string& id);
  void decline_invitation(const Principal& user, const std::string& id);
  std::vector<InvitationRow> invitations(const Principal& user, int limit, int offset, long long& count);
  // going joins (as join/ does), maybe and not_going leave; the answer is kept with its note.
  EventView rsvp(const Principal& user, const std::string& id, RsvpResponse response, const std::string& note);

  // The scheduler (schedule.cpp): one pass at `now`. Safe on several nodes at once.
  TickResult tick(std::int64_t now, const std::string& worker_id);
  // The parties module tells (app.cpp): the party ended, so its event ends.
  void party_ended(const std::string& party_id);

  EventRow existing(const std::string& id);

  // moderation (#19): the queue shows a reported event inline (staff-level, no visibility check).
  std::optional<ContentView> moderation_view(const std::string& id);

 private:
  // The event if the user may see it (404 otherwise: a private event is not shown to exist).
  EventRow visible_event(const Principal& user, const std::string& id);
  bool may_see(const Principal& user, const EventRow& e);
  void require_organizer(const Principal& user, const EventRow& e);
  void check_links(const Principal& user, const EventInput& in);
  // Applies the fields of `in` to `e` (times shifted by `shift` for later occurrences).
  void apply(EventRow& e, const EventInput& in, std::int64_t shift) const;
  void after_change(const EventRow& before, const EventRow& after);
  AttendeeRow admit(const EventRow& e, const std::string& user_id, bool approved);
  void went_going(const EventRow& e, const std::string& user_id);
  void promoted(const EventRow& e, const std::vector<std::string>& users);
  void notify_going(const EventRow& e, const std::string& type, const std::string& actor);
  void notify(const std::string& user, const std::string& type, const EventRow& e, const std::string& actor,
              boost::json::object extra = {});
  static boost::json::object notice_data(const EventRow& e, boost::json::object extra);
  void open_party_of(const EventRow& e, std::int64_t now);

  Store& store_;
  Relations& relations_;
  Notifier& notifier_;
  const DomainEvents* events_ = nullptr;
  PartyOpener open_party_;
  VideoCheck video_check_;
  GroupCheck group_check_;
};

}  // namespace wp::events

// Attendance (join, approval, waitlist, leave), invitations and RSVPs.
#include <boost/json.hpp>

#include "core/clock.hpp"
#include "modules/events/policy.hpp"
#include "modules/events/service.hpp"

namespace wp::events {

namespace json = boost::json;

namespace {

bool open_for_attendance(EventStatus s) { return s == EventStatus::upcoming || s == EventStatus::live; }

void require_open(const EventRow& e) {
  if (!open_for_attendance(e.status)) throw_conflict("The event is " + std::string(to_string(e.status)) + ".");
}

}  // namespace

// Seats the user (going, or waitlisted when full) under the event's lock;
// `approved` skips require_approval (an accepted invitation, the organizer's approval).
AttendeeRow EventsService::admit(const EventRow& e, const std::string& user_id, bool approved) {
  auto result = store_.change_attendance(e.id, user_id, now_ms(), [&](const LockedEvent& locked, const auto& current) {
    if (!open_for_attendance(locked.status)) throw_conflict("The event is " + std::string(to_string(locked.status)) + ".");
    if (current && (current->status != AttendeeStatus::pending || !approved)) return AttendanceChange::keep();
    if (!approved && e.require_approval) return AttendanceChange::put(AttendeeStatus::pending);
    return AttendanceChange::put(locked.has_room() ? AttendeeStatus::going : AttendeeStatus::waitlisted);
  });
  if (result.row->status == AttendeeStatus::going) went_going(e, user_id);
  return *result.row;
}

// Plans the user's reminders at their offsets.
void EventsService::went_going(const EventRow& e, const std::string& user_id) {
  auto a = store_.attendee(e.id, user_id);
  auto prefs = parse_preferences(a ? a->preferences : "{}");
  store_.plan_reminders(e.id, user_id, prefs.reminder_offsets, e.start_time, now_ms());
}

void EventsService::promoted(const EventRow& e, const std::vector<std::string>& users) {
  for (auto& uid : users) {
    went_going(e, uid);
    auto earlier = store_.rsvp(e.id, uid);
    store_.set_rsvp(e.id, uid, RsvpResponse::going, earlier ? earlier->note : "", now_ms());
    notify(uid, "event_waitlist_promoted", e, "");
  }
}

AttendeeRow EventsService::join(const Principal& user, const std::string& id) {
  auto e = visible_event(user, id);
  require_open(e);
  if (e.organizer_id == user.id) throw_conflict("You organize this event.");
  if (!e.is_public && !store_.attendee(id, user.id))
    throw_forbidden("This event is by invitation: accept your invitation to come.");
  auto row = admit(e, user.id, false);
  auto earlier = store_.rsvp(id, user.id);
  if (row.status == AttendeeStatus::going && (!earlier || earlier->response != RsvpResponse::going))
    store_.set_rsvp(id, user.id, RsvpResponse::going, "", now_ms());
  return row;
}

void EventsService::leave(const Principal& user, const std::string& id) {
  auto e = visible_event(user, id);
  bool had = false;
  auto result = store_.change_attendance(id, user.id, now_ms(), [&](const LockedEvent&, const auto& current) {
    had = current.has_value();
    return current ? AttendanceChange::remove() : AttendanceChange::keep();
  });
  if (!had) throw_not_found("You are not attending this event.");
  store_.drop_reminders(id, user.id);
  if (auto r = store_.rsvp(id, user.id); r && r->response == RsvpResponse::going) store_.delete_rsvp(id, user.id);
  promoted(e, result.promoted);
}

AttendeeRow EventsService::approve(const Principal& user, const std::string& id, const std::string& target) {
  auto e = visible_event(user, id);
  require_organizer(user, e);
  auto current = store_.attendee(id, target);
  if (!current || current->status != AttendeeStatus::pending) throw_not_found("No such request.");
  auto row = admit(e, target, true);
  if (row.status == AttendeeStatus::going) store_.set_rsvp(id, target, RsvpResponse::going, "", now_ms());
  return row;
}

void EventsService::reject(const Principal& user, const std::string& id, const std::string& target) {
  auto e = visible_event(user, id);
  require_organizer(user, e);
  bool found = false;
  store_.change_attendance(id, target, now_ms(), [&](const LockedEvent&, const auto& current) {
    found = current && current->status == AttendeeStatus::pending;
    return found ? AttendanceChange::remove() : AttendanceChange::keep();
  });
  if (!found) throw_not_found("No such request.");
}

std::vector<AttendeeRow> EventsService::attendees(const Principal& user, const std::string& id,
                                                  std::optional<AttendeeStatus> status, int limit, int offset,
                                                  long long& count) {
  auto e = visible_event(user, id);
  bool organizer = user.staff() || e.organizer_id == user.id;
  if (!organizer && !parse_settings(e.settings).show_attendees)
    throw_forbidden("The organizer keeps the attendee list private.");
  if (!organizer && status == AttendeeStatus::pending) throw_forbidden("Only the organizer sees requests.");
  count = store_.count_attendees(id, status);
  auto rows = store_.attendees(id, status, limit, offset);
  if (!organizer && !status) std::erase_if(rows, [](auto& a) { return a.status == AttendeeStatus::pending; });
  return rows;
}

AttendeeRow EventsService::set_preferences(const Principal& user, const std::string& id, const json::object& prefs) {
  auto e = visible_event(user, id);
  auto a = store_.attendee(id, user.id);
  if (!a) throw_not_found("You are not attending this event.");
  auto current = preferences_json(parse_preferences(a->preferences));
  for (auto& [k, v] : prefs) current[k] = v;
  store_.set_preferences(id, user.id, json::serialize(current), now_ms());
  if (a->status == AttendeeStatus::going) went_going(e, user.id);
  return *store_.attendee(id, user.id);
}

// ---- invitations ----

InvitationRow EventsService::invite(const Principal& user, const std::string& id, const std::string& invitee_id) {
  auto e = visible_event(user, id);
  require_open(e);
  bool organizer = user.staff() || e.organizer_id == user.id;
  if (!organizer) {
    auto me = store_.attendee(id, user.id);
    if (!parse_settings(e.settings).attendees_can_invite || !me || me->status != AttendeeStatus::going)
      throw_forbidden("Only the organizer may invite to this event.");
  }
  // A blocked pair cannot invite each other: to the inviter such a user does not exist.
  if (!store_.user_exists(invitee_id) || relations_.blocked_between(user.id, invitee_id) ||
      relations_.blocked_between(e.organizer_id, invitee_id))
    throw_validation("user_id", "No such user.");
  if (invitee_id == e.organizer_id || store_.attendee(id, invitee_id))
    throw_conflict("This user is already part of the event.");
  auto current = store_.invitation(id, invitee_id);
  if (current && current->status == InvitationStatus::pending) throw_conflict("This user is already invited.");
  store_.put_invitation(id, user.id, invitee_id, current.has_value(), now_ms());
  notify(invitee_id, "event_invitation", e, user.id,
         {{"inviter", json::object{{"id", user.id}, {"username", user.username}}}, {"actor_username", user.username}});
  return *store_.invitation(id, invitee_id);
}

AttendeeRow EventsService::accept_invitation(const Principal& user, const std::string& id) {
  auto inv = store_.invitation(id, user.id);
  if (!inv || inv->status != InvitationStatus::pending) throw_not_found("Invitation not found.");
  // Blocking withdraws an invitation: one from a user blocked since is no invitation.
  if (inv->inviter_id && relations_.blocked_between(*inv->inviter_id, user.id)) throw_not_found("Invitation not found.");
  auto e = existing(id);
  require_open(e);
  auto row = admit(e, user.id, true);
  store_.answer_invitation(id, user.id, InvitationStatus::accepted, now_ms());
  if (row.status == AttendeeStatus::going) store_.set_rsvp(id, user.id, RsvpResponse::going, "", now_ms());
  return row;
}

void EventsService::decline_invitation(const Principal& user, const std::string& id) {
  auto inv = store_.invitation(id, user.id);
  if (!inv || inv->status != InvitationStatus::pending) throw_not_found("Invitation not found.");
  store_.answer_invitation(id, user.id, InvitationStatus::declined, now_ms());
  store_.set_rsvp(id, user.id, RsvpResponse::not_going, "", now_ms());
}

std::vector<InvitationRow> EventsService::invitations(const Principal& user, int limit, int offset,
                                                      long long& count) {
  count = store_.count_pending_invitations(user.id);
  return store_.pending_invitations(user.id, limit, offset);
}

// ---- RSVPs ----

EventView EventsService::rsvp(const Principal& user, const std::string& id, RsvpResponse response,
                              const std::string& note) {
  auto e = visible_event(user, id);
  require_open(e);
  if (e.organizer_id == user.id) throw_conflict("You organize this event.");
  if (response == RsvpResponse::going) {
    auto inv = store_.invitation(id, user.id);
    if (inv && inv->status == InvitationStatus::pending)
      accept_invitation(user, id);
    else
      join(user, id);
  } else if (store_.attendee(id, user.id)) {
    leave(user, id);
  }
  store_.set_rsvp(id, user.id, response, note, now_ms());
  publish_event(events_, {.type = "event.rsvp", .user_id = user.id,
                          .data_json = "{\"response\":\"" + std::string(to_string(response)) + "\"}"});
  return get(user, id);
}

}  // namespace wp::events

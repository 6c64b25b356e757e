#include "modules/events/dto.hpp"

#include "core/clock.hpp"
#include "http/json.hpp"
#include "modules/events/policy.hpp"

namespace wp::events {

namespace json = boost::json;

namespace {

json::value nullable(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object user_ref(const std::string& id, const std::string& username) { return {{"id", id}, {"username", username}}; }

}  // namespace

json::object event_json(const EventRow& e) {
  json::value series = nullptr;
  if (e.series_id)
    series = json::object{{"id", *e.series_id},
                          {"frequency", e.recurrence ? json::value(to_string(*e.recurrence)) : json::value(nullptr)},
                          {"until", http::time_or_null(e.recurrence_until)}};
  return {{"id", e.id},
          {"organizer", user_ref(e.organizer_id, e.organizer_username)},
          {"title", e.title},
          {"description", e.description},
          {"location", e.location},
          {"start_time", to_rfc3339(e.start_time)},
          {"end_time", to_rfc3339(e.end_time)},
          {"timezone", e.timezone},
          {"max_attendees", e.max_attendees ? json::value(*e.max_attendees) : json::value(nullptr)},
          {"require_approval", e.require_approval},
          {"is_public", e.is_public},
          {"status", to_string(e.status)},
          {"category", to_string(e.category)},
          {"settings", settings_json(parse_settings(e.settings))},
          {"creates_party", e.creates_party},
          {"video_id", nullable(e.video_id)},
          {"group_id", nullable(e.group_id)},
          {"party_id", nullable(e.party_id)},
          {"series", series},
          {"going_count", e.going_count},
          {"ical_url", "/api/events/" + e.id + "/ical/"},
          {"created_at", to_rfc3339(e.created_at)},
          {"updated_at", to_rfc3339(e.updated_at)}};
}

json::object counts_json(const Counts& c) {
  return {{"going", c.going}, {"maybe", c.maybe}, {"not_going", c.not_going}, {"waitlisted", c.waitlisted},
          {"pending", c.pending}};
}

json::object event_view_json(const EventView& v) {
  auto o = event_json(v.event);
  o["counts"] = counts_json(v.counts);
  json::object mine;
  mine["attendance"] = v.attendance ? json::value(attendee_json(*v.attendance)) : json::value(nullptr);
  mine["rsvp"] = v.rsvp ? json::value(json::object{{"response", to_string(v.rsvp->response)}, {"note", v.rsvp->note}})
                        : json::value(nullptr);
  mine["invitation"] = v.invitation ? json::value(to_string(v.invitation->status)) : json::value(nullptr);
  o["me"] = std::move(mine);
  return o;
}

json::object attendee_json(const AttendeeRow& a) {
  return {{"user", user_ref(a.user_id, a.username)},
          {"event_id", a.event_id},
          {"status", to_string(a.status)},
          {"position", a.status == AttendeeStatus::waitlisted ? json::value(a.position) : json::value(nullptr)},
          {"preferences", preferences_json(parse_preferences(a.preferences))},
          {"since", to_rfc3339(a.created_at)},
          {"updated_at", to_rfc3339(a.updated_at)}};
}

json::object invitation_json(const InvitationRow& i) {
  return {{"id", i.id},
          {"event", json::object{{"id", i.event_id}, {"title", i.event_title}, {"start_time", to_rfc3339(i.event_start)}}},
          {"inviter", i.inviter_id ? json::value(user_ref(*i.inviter_id, i.inviter_username.value_or("")))
                                   : json::value(nullptr)},
          {"invitee", user_ref(i.invitee_id, i.invitee_username)},
          {"status", to_string(i.status)},
          {"created_at", to_rfc3339(i.created_at)},
          {"responded_at", http::time_or_null(i.responded_at)}};
}

}  // namespace wp::events

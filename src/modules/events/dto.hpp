#pragma once
// The JSON shapes of the events module (docs/api.md "Events").
#include <boost/json/object.hpp>

#include "modules/events/model.hpp"

namespace wp::events {

boost::json::object event_json(const EventRow& e);
// The event with its counts and the caller's attendance, RSVP and invitation.
boost::json::object event_view_json(const EventView& v);
boost::json::object counts_json(const Counts& c);
boost::json::object attendee_json(const AttendeeRow& a);
boost::json::object invitation_json(const InvitationRow& i);

}  // namespace wp::events

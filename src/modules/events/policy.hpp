#pragma once
// The pure rules of events: the settings and preferences objects (their
// fixed keys, checks and defaults), the time rules of an event and the
// ical shape of one. No I/O: the C++ tests call these directly.
#include <boost/json/object.hpp>

#include <string>

#include "core/error.hpp"
#include "modules/events/ical.hpp"
#include "modules/events/model.hpp"

namespace wp::events {

inline constexpr int kMaxReminderOffset = 40320;  // minutes: four weeks
inline constexpr std::size_t kMaxReminders = 5;

// Settings as stored (unknown or ill-typed keys read as their defaults).
Settings parse_settings(const std::string& json_text);
boost::json::object settings_json(const Settings& s);
// The problems of a client's settings object (unknown keys, wrong types), under "settings".
FieldErrors check_settings(const boost::json::object& patch);
// The known settings of `current` with `patch` laid over them, as JSON text.
std::string merge_settings(const std::string& current, const boost::json::object& patch);

Preferences parse_preferences(const std::string& json_text);
boost::json::object preferences_json(const Preferences& p);
// The problems of a client's preferences object: reminder_offsets is a list
// of at most 5 distinct whole minutes in 1..40320.
FieldErrors check_preferences(const boost::json::object& prefs);

// The problems of an event's times: end after start, at most 14 days long.
FieldErrors check_times(std::int64_t start, std::int64_t end);
// upcoming / live / ended by the clock (a cancelled event stays cancelled).
EventStatus status_at(const EventRow& e, std::int64_t now);

// One event as a VEVENT; `url` is the event's page, `rrule` empty but for a series' ical.
ical::VEvent to_vevent(const EventRow& e, const std::string& url, std::int64_t now, bool with_rrule);

}  // namespace wp::events

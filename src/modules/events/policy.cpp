#include "modules/events/policy.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <set>

#include "core/json_input.hpp"
#include "modules/events/recurrence.hpp"

namespace wp::events {

namespace json = boost::json;

namespace {

constexpr std::int64_t kMaxLengthMs = 14LL * 24 * 3600 * 1000;

bool bool_or(const json::object& o, const char* key, bool fallback) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_bool() ? it->value().as_bool() : fallback;
}

}  // namespace

Settings parse_settings(const std::string& text) {
  auto o = stored_object(text);
  Settings s;
  s.attendees_can_invite = bool_or(o, "attendees_can_invite", s.attendees_can_invite);
  s.show_attendees = bool_or(o, "show_attendees", s.show_attendees);
  return s;
}

json::object settings_json(const Settings& s) {
  return {{"attendees_can_invite", s.attendees_can_invite}, {"show_attendees", s.show_attendees}};
}

FieldErrors check_settings(const json::object& patch) {
  FieldErrors errors;
  for (auto& [key, value] : patch) {
    if (key != "attendees_can_invite" && key != "show_attendees")
      errors["settings"].push_back("Unknown setting: " + std::string(key) + ".");
    else if (!value.is_bool())
      errors["settings"].push_back(std::string(key) + " must be true or false.");
  }
  return errors;
}

std::string merge_settings(const std::string& current, const json::object& patch) {
  auto merged = settings_json(parse_settings(current));
  for (auto& [key, value] : patch)
    if (merged.contains(key) && value.is_bool()) merged[key] = value;
  return json::serialize(merged);
}

Preferences parse_preferences(const std::string& text) {
  auto o = stored_object(text);
  Preferences p;
  auto it = o.find("reminder_offsets");
  if (it != o.end() && it->value().is_array()) {
    p.reminder_offsets.clear();
    for (auto& v : it->value().as_array())
      if (v.is_int64()) p.reminder_offsets.push_back(static_cast<int>(v.as_int64()));
  }
  return p;
}

json::object preferences_json(const Preferences& p) {
  json::array offsets;
  for (int m : p.reminder_offsets) offsets.push_back(m);
  return {{"reminder_offsets", offsets}};
}

FieldErrors check_preferences(const json::object& prefs) {
  FieldErrors errors;
  auto& out = errors["preferences"];
  for (auto& [key, value] : prefs) {
    if (key != "reminder_offsets") {
      out.push_back("Unknown preference: " + std::string(key) + ".");
      continue;
    }
    if (!value.is_array()) {
      out.push_back("reminder_offsets must be a list of minutes.");
      continue;
    }
    auto& list = value.as_array();
    if (list.size() > kMaxReminders) out.push_back("At most 5 reminder offsets.");
    std::set<std::int64_t> seen;
    for (auto& v : list) {
      if (!v.is_int64() || v.as_int64() < 1 || v.as_int64() > kMaxReminderOffset) {
        out.push_back("Each reminder offset is a whole number of minutes from 1 to 40320.");
        break;
      }
      if (!seen.insert(v.as_int64()).second) {
        out.push_back("Reminder offsets must be distinct.");
        break;
      }
    }
  }
  if (out.empty()) errors.erase("preferences");
  return errors;
}

FieldErrors check_times(std::int64_t start, std::int64_t end) {
  FieldErrors errors;
  if (end <= start) errors["end_time"].push_back("The end must be after the start.");
  else if (end - start > kMaxLengthMs) errors["end_time"].push_back("An event lasts at most 14 days.");
  return errors;
}

EventStatus status_at(const EventRow& e, std::int64_t now) {
  if (e.status == EventStatus::cancelled) return EventStatus::cancelled;
  if (now >= e.end_time) return EventStatus::ended;
  if (now >= e.start_time) return EventStatus::live;
  return EventStatus::upcoming;
}

ical::VEvent to_vevent(const EventRow& e, const std::string& url, std::int64_t now, bool with_rrule) {
  ical::VEvent v;
  v.uid = e.id + "@watchparty";
  v.stamp = now;
  v.start = e.start_time;
  v.end = e.end_time;
  v.summary = e.title;
  v.description = e.description;
  v.location = e.location;
  v.url = url;
  v.organizer_name = e.organizer_username;
  v.organizer_uri = "urn:uuid:" + e.organizer_id;
  v.status = e.status == EventStatus::cancelled ? "CANCELLED" : "CONFIRMED";
  // Calendar apps take the newer copy of a UID by SEQUENCE: seconds of the last change do.
  v.sequence = (e.updated_at - e.created_at) / 1000;
  if (with_rrule && e.recurrence && e.recurrence_until) v.rrule = rrule(*e.recurrence, *e.recurrence_until);
  return v;
}

}  // namespace wp::events

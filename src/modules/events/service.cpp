#include "modules/events/service.hpp"

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "modules/events/ical.hpp"
#include "modules/events/policy.hpp"
#include "modules/events/recurrence.hpp"

namespace wp::events {

namespace json = boost::json;

namespace {

constexpr std::int64_t kMaxSeriesMs = 2LL * 366 * 24 * 3600 * 1000;
constexpr std::int64_t kFeedPastMs = 30LL * 24 * 3600 * 1000;

bool over(EventStatus s) { return s == EventStatus::ended || s == EventStatus::cancelled; }

}  // namespace

EventsService::EventsService(Store& store, Relations& relations, Notifier& notifier)
    : store_(store), relations_(relations), notifier_(notifier) {}

// ---- who may do what ----

EventRow EventsService::existing(const std::string& id) {
  auto e = store_.event(id);
  if (!e) throw_not_found("Event not found.");
  return *e;
}

bool EventsService::may_see(const Principal& user, const EventRow& e) {
  if (user.staff() || e.organizer_id == user.id) return true;
  if (relations_.blocked_between(user.id, e.organizer_id)) return false;
  if (e.is_public) return true;
  if (store_.attendee(e.id, user.id)) return true;
  auto inv = store_.invitation(e.id, user.id);
  return inv && inv->status != InvitationStatus::declined;
}

EventRow EventsService::visible_event(const Principal& user, const std::string& id) {
  auto e = existing(id);
  if (!may_see(user, e)) throw_not_found("Event not found.");
  return e;
}

void EventsService::require_organizer(const Principal& user, const EventRow& e) {
  if (!user.staff() && e.organizer_id != user.id) throw_forbidden("Only the organizer may do that.");
}

void EventsService::check_links(const Principal& user, const EventInput& in) {
  if (in.video_id && *in.video_id && !(video_check_ && video_check_(**in.video_id, user)))
    throw_validation("video_id", "No such video, or not one you may show.");
  if (in.group_id && *in.group_id && !(group_check_ && group_check_(**in.group_id, user.id)))
    throw_validation("group_id", "No such group, or you are not an active member of it.");
}

// ---- events ----

void EventsService::apply(EventRow& e, const EventInput& in, std::int64_t shift) const {
  if (in.title) e.title = *in.title;
  if (in.description) e.description = *in.description;
  if (in.location) e.location = *in.location;
  if (in.timezone) e.timezone = *in.timezone;
  auto length = e.end_time - e.start_time;
  if (in.start_time) e.start_time = *in.start_time + shift;
  if (in.end_time) length = *in.end_time - (in.start_time ? *in.start_time : e.start_time - shift);
  if (in.start_time || in.end_time) e.end_time = e.start_time + length;
  if (in.max_attendees) e.max_attendees = *in.max_attendees;
  if (in.require_approval) e.require_approval = *in.require_approval;
  if (in.is_public) e.is_public = *in.is_public;
  if (in.creates_party) e.creates_party = *in.creates_party;
  if (in.category) e.category = *in.category;
  if (in.settings) e.settings = merge_settings(e.settings, *in.settings);
  if (in.video_id) e.video_id = *in.video_id;
  if (in.group_id) e.group_id = *in.group_id;
  if (in.status) e.status = *in.status;
}

EventRow EventsService::create(const Principal& user, const EventInput& in) {
  auto now = now_ms();
  if (!in.title || !in.start_time || !in.end_time) throw_validation("title", "title, start_time and end_time are required.");
  if (*in.start_time <= now) throw_validation("start_time", "The start must be in the future.");
  check_links(user, in);
  EventRow base;
  base.organizer_id = user.id;
  base.organizer_username = user.username;
  base.settings = merge_settings("{}", {});
  base.created_at = base.updated_at = now;
  base.start_time = *in.start_time;
  base.end_time = *in.end_time;
  EventInput fields = in;
  fields.status.reset();
  apply(base, fields, 0);
  if (auto errors = check_times(base.start_time, base.end_time); !errors.empty())
    throw Error(ErrorCode::validation, "Invalid times.", errors);
  std::vector<std::int64_t> starts{base.start_time};
  if (in.recurrence) {
    auto until = in.recurrence->until;
    if (until <= base.start_time || until - base.start_time > kMaxSeriesMs)
      throw_validation("recurrence", "until must be after the start and at most two years later.");
    starts = occurrences(base.start_time, in.recurrence->frequency, until, base.timezone);
    base.series_id = new_uuid();
    base.recurrence = in.recurrence->frequency;
    base.recurrence_until = until;
  }
  std::vector<EventRow> rows;
  for (auto start : starts) {
    EventRow e = base;
    e.id = new_uuid();
    e.end_time = start + (base.end_time - base.start_time);
    e.start_time = start;
    rows.push_back(std::move(e));
  }
  store_.insert_events(rows);
  return existing(rows.front().id);
}

EventView EventsService::get(const Principal& user, const std::string& id) {
  auto e = visible_event(user, id);
  return {e, store_.counts(id), store_.attendee(id, user.id), store_.rsvp(id, user.id), store_.invitation(id, user.id)};
}

std::vector<EventRow> EventsService::list(const Principal& user, const EventFilter& f, int limit, int offset,
                                          long long& count) {
  count = store_.count_events(f, user.id, user.staff());
  return store_.events(f, user.id, user.staff(), limit, offset);
}

std::vector<EventRow> EventsService::upcoming_of(const Principal& user, int limit) {
  EventFilter f;
  f.when = When::upcoming;
  f.organizing_or_going = true;
  return store_.events(f, user.id, false, limit, 0);
}

EventRow EventsService::update(const Principal& user, const std::string& id, const EventInput& in, Scope scope) {
  auto first = visible_event(user, id);
  require_organizer(user, first);
  if (over(first.status)) throw_conflict("The event is " + std::string(to_string(first.status)) + ".");
  if (in.status) {
    bool allowed = *in.status == first.status || *in.status == EventStatus::cancelled ||
                   (*in.status == EventStatus::ended && first.status == EventStatus::live);
    if (!allowed) throw_validation("status", "The organizer may only cancel an event, or end a live one.");
  }
  check_links(user, in);
  std::vector<EventRow> targets{first};
  if (scope == Scope::following && first.series_id) targets = store_.series_from(*first.series_id, first.start_time);
  auto now = now_ms();
  std::vector<std::pair<EventRow, EventRow>> changes;
  for (auto& before : targets) {
    if (over(before.status)) continue;
    EventRow after = before;
    apply(after, in, before.start_time - first.start_time);
    if (auto errors = check_times(after.start_time, after.end_time); !errors.empty())
      throw Error(ErrorCode::validation, "Invalid times.", errors);
    after.updated_at = now;
    changes.emplace_back(before, after);
  }
  for (auto& [before, after] : changes) {
    store_.update_event(after);
    after_change(before, after);
  }
  return existing(id);
}

// What a change means to the people going: new times or a cancellation
// (notices, reminders planned again) and seats that a larger limit frees.
void EventsService::after_change(const EventRow& before, const EventRow& after) {
  if (after.status == EventStatus::cancelled && before.status != EventStatus::cancelled) {
    store_.drop_event_reminders(after.id);
    notify_going(after, "event_cancelled", "");
    return;
  }
  if (after.start_time != before.start_time || after.end_time != before.end_time) {
    store_.drop_event_reminders(after.id);
    for (auto& uid : store_.going_ids(after.id)) went_going(after, uid);
    notify_going(after, "event_updated", "");
  }
  bool more_room = after.max_attendees != before.max_attendees &&
                   (!after.max_attendees || (before.max_attendees && *after.max_attendees > *before.max_attendees));
  if (more_room) promoted(after, store_.fill_seats(after.id, now_ms()));
}

void EventsService::remove(const Principal& user, const std::string& id, Scope scope) {
  auto first = visible_event(user, id);
  require_organizer(user, first);
  std::vector<EventRow> targets{first};
  if (scope == Scope::following && first.series_id) targets = store_.series_from(*first.series_id, first.start_time);
  for (auto& e : targets) {
    if (!over(e.status)) notify_going(e, "event_cancelled", "");
    store_.delete_event(e.id);
  }
}

// ---- calendar ----

std::string EventsService::ical(const Principal& user, const std::string& id, const std::string& base_url) {
  auto e = visible_event(user, id);
  return ical::calendar({to_vevent(e, base_url + "/events/" + e.id, now_ms(), true)});
}

std::string EventsService::calendar_token(const Principal& user) {
  if (auto token = store_.calendar_token(user.id)) return *token;
  return rotate_calendar_token(user);
}

std::string EventsService::rotate_calendar_token(const Principal& user) {
  auto token = crypto::random_token();
  store_.replace_calendar_token(user.id, token, now_ms());
  return token;
}

std::optional<std::string> EventsService::feed(const std::string& token, const std::string& base_url) {
  auto user = store_.user_of_calendar_token(token);
  if (!user) return std::nullopt;
  auto now = now_ms();
  std::vector<ical::VEvent> out;
  // Occurrences of a series are events of their own here: no RRULE, or a calendar would show each twice.
  for (auto& e : store_.feed(*user, now - kFeedPastMs)) out.push_back(to_vevent(e, base_url + "/events/" + e.id, now, false));
  return ical::calendar(out, "watchparty events");
}

// ---- notices ----

json::object EventsService::notice_data(const EventRow& e, json::object extra) {
  // Flat keys for the notification templates; "event" for clients.
  json::object data{{"event", json::object{{"id", e.id}, {"title", e.title}}},
                    {"event_id", e.id},
                    {"event_title", e.title},
                    {"start_time", to_rfc3339(e.start_time)},
                    {"starts_at", to_rfc3339(e.start_time)}};
  for (auto& [k, v] : extra) data[k] = v;
  return data;
}

void EventsService::notify(const std::string& user, const std::string& type, const EventRow& e,
                           const std::string& actor, json::object extra) {
  notify_quietly(&notifier_, {user, type, json::serialize(notice_data(e, std::move(extra))), "", actor});
}

void EventsService::notify_going(const EventRow& e, const std::string& type, const std::string& actor) {
  for (auto& uid : store_.going_ids(e.id)) notify(uid, type, e, actor);
}

std::optional<ContentView> EventsService::moderation_view(const std::string& id) {
  auto e = store_.event(id);
  if (!e) return std::nullopt;
  ContentView v;
  v.author_id = e->organizer_id;
  v.text = e->title + (e->description.empty() ? "" : "\n\n" + e->description);
  v.context = "event " + e->id;
  return v;
}

}  // namespace wp::events

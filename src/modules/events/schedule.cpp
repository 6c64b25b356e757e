// The scheduler's pass: events move by the clock, reminders go out exactly
// once, and an event with creates_party opens its party at the start. Every
// step is decided by a conditional update, so several nodes may run it at once.
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "modules/events/service.hpp"

namespace wp::events {

namespace json = boost::json;

TickResult EventsService::tick(std::int64_t now, const std::string& worker_id) {
  TickResult r;
  for (auto& e : store_.due_to_start(now)) {
    if (!store_.move_status(e.id, EventStatus::upcoming, EventStatus::live, now)) continue;  // another node did
    ++r.started;
    if (e.creates_party && !e.party_id && open_party_) {
      open_party_of(e, now);
      ++r.parties_opened;
    }
  }
  for (auto& e : store_.due_to_end(now))
    if (store_.move_status(e.id, EventStatus::live, EventStatus::ended, now)) ++r.ended;
  for (auto& due : store_.due_reminders(now)) {
    // The claim marks the reminder sent before the notice goes out: a worker
    // killed between the two loses that one notice, and none is ever sent twice.
    if (!store_.claim_reminder(due.id, worker_id, now)) continue;
    if (due.start_time <= now) continue;  // too late to remind: the event began
    EventRow e;
    e.id = due.event_id;
    e.title = due.title;
    e.start_time = due.start_time;
    notify(due.user_id, "event_reminder", e, "", {{"minutes_before", due.offset_minutes}});
    spdlog::info("event reminder {} sent to {} by {}", due.id, due.user_id, worker_id);
    ++r.reminders_sent;
  }
  return r;
}

void EventsService::open_party_of(const EventRow& e, std::int64_t now) {
  PartyRequest req{e.id, e.organizer_id, e.organizer_username, e.title, e.description, e.video_id, {}};
  for (auto& uid : store_.going_ids(e.id))
    if (uid != e.organizer_id) req.attendee_ids.push_back(uid);
  try {
    auto party_id = open_party_(req);
    store_.set_party(e.id, party_id, now);
    spdlog::info("event {} opened party {}", e.id, party_id);
  } catch (const Error& err) {
    // The event goes on without a party; the organizer can still start one by hand.
    spdlog::warn("event {}: could not open its party: {}", e.id, err.what());
  }
}

void EventsService::party_ended(const std::string& party_id) {
  auto now = now_ms();
  for (auto& e : store_.events_of_party(party_id)) {
    if (!store_.move_status(e.id, EventStatus::live, EventStatus::ended, now))
      store_.move_status(e.id, EventStatus::upcoming, EventStatus::ended, now);
  }
}

}  // namespace wp::events

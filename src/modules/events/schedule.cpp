// The scheduler's pass: events move by the clock, reminders go out exactly
// once, and an event with creates_party opens its party at the start. Every
// step is decided by a conditional update, so several nodes may run it at once.
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "modules/events/service.hpp"

namespace wp::events {

namespace json = boost::json;

namespace {
// Longer than a notice takes; the time a reminder waits after its node died.
constexpr std::int64_t kReminderLeaseMs = 10'000;
}  // namespace

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
    // Claim (a lease), notify with the reminder's key, then mark it sent. A
    // node killed in between leaves the lease to end; the next claimer
    // notifies again, and the key drops the notice if it had gone out.
    if (!store_.claim_reminder(due.id, worker_id, now, now + kReminderLeaseMs)) continue;
    if (due.start_time > now) {  // else too late to remind: the event began
      EventRow e;
      e.id = due.event_id;
      e.title = due.title;
      e.start_time = due.start_time;
      notifier_.notify({due.user_id, "event_reminder",
                        json::serialize(notice_data(e, {{"minutes_before", due.offset_minutes}})), "", "",
                        "event_reminder:" + due.id});
      ++r.reminders_sent;
    }
    store_.mark_reminder_sent(due.id, worker_id, now);
    spdlog::info("event reminder {} sent to {} by {}", due.id, due.user_id, worker_id);
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

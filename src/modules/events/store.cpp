#include "modules/events/store.hpp"

#include <soci/soci.h>

#include "core/ids.hpp"
#include "db/affected.hpp"
#include "db/columns.hpp"
#include "db/like.hpp"
#include "db/soci_optional.hpp"
#include "modules/events/sql.hpp"

namespace wp::events {

using soci::into;
using soci::use;

namespace {

// The bound form of an event's editable fields (SOCI binds by reference; bool and int64 travel as int and long long).
struct Bound {
  explicit Bound(const EventRow& e)
      : start(e.start_time), end(e.end_time), updated(e.updated_at), created(e.created_at),
        require_approval(e.require_approval), is_public(e.is_public), creates_party(e.creates_party),
        status(to_string(e.status)), category(to_string(e.category)) {
    if (e.recurrence) recurrence = std::string(to_string(*e.recurrence));
    if (e.recurrence_until) until = *e.recurrence_until;
  }
  long long start, end, updated, created;
  int require_approval, is_public, creates_party;
  std::string status, category;
  std::optional<std::string> recurrence;
  std::optional<long long> until;
};

std::string list_where(const EventFilter& f, const std::string& viewer, bool everything, db::NamedParams& p) {
  std::string where = everything ? sql::kWhereTrue : sql::kVisible;
  if (!everything)
    for (auto name : {"vb1", "vb2", "vo", "vi", "va"}) p.add(name, viewer);
  if (f.when == When::upcoming) where += sql::kUpcoming;
  if (f.when == When::past) where += sql::kPast;
  if (f.mine) where += sql::kMine, p.add("mine", viewer);
  if (f.attending) where += sql::kAttending, p.add("att", viewer);
  if (f.invited) where += sql::kInvited, p.add("inv", viewer);
  if (f.organizing_or_going) {
    where += sql::kOrganizingOrGoing;
    p.add("og1", viewer);
    p.add("og2", viewer);
  }
  if (f.category) where += sql::kWithCategory, p.add("category", std::string(to_string(*f.category)));
  if (f.from) where += sql::kFrom, p.add("from", std::to_string(*f.from));
  if (f.to) where += sql::kTo, p.add("to", std::to_string(*f.to));
  if (f.search) {
    where += sql::kSearch;
    p.add("search", db::like_pattern(*f.search));
    p.add("search2", db::like_pattern(*f.search));
  }
  return where;
}

std::optional<AttendeeRow> attendee_in(soci::session& s, const std::string& event_id, const std::string& user_id) {
  return db::select_one(s, sql::kAttendee, sql::kAttendeeOf, db::uses(event_id, user_id));
}

long long take_ticket(soci::session& s, const std::string& event_id) {
  s << sql::kTakeTicket, use(event_id);
  return db::fetch_count(s, sql::kLastTicket, db::uses(event_id));
}

// Moves the first of the waitlist into each free seat; returns who moved.
std::vector<std::string> promote(soci::session& s, const LockedEvent& locked, long long t) {
  std::vector<std::string> moved;
  auto going = locked.going;
  while (!locked.max_attendees || going < *locked.max_attendees) {
    std::string user;
    soci::indicator ind = soci::i_null;
    s << sql::kFirstWaitlisted, into(user, ind), use(locked.id);
    if (!s.got_data() || ind == soci::i_null) break;
    s << sql::kPromote, use(t), use(locked.id), use(user);
    ++going;
    moved.push_back(user);
  }
  if (!moved.empty()) {
    int d = static_cast<int>(moved.size());
    s << sql::kMoveGoing, use(d), use(locked.id);
  }
  return moved;
}

LockedEvent lock_event(soci::session& s, db::Dialect dialect, const std::string& event_id) {
  std::string lock = sql::kLockEvent;
  if (dialect == db::Dialect::postgresql) lock += sql::kForUpdate;
  auto locked = db::select_one(s, sql::kLocked, lock, db::uses(event_id));
  if (!locked) throw_not_found("Event not found.");
  return *locked;
}

}  // namespace

// ---------------------------------------------------------------- events

void Store::insert_events(const std::vector<EventRow>& events) {
  db_.tx([&](soci::session& s) {
    for (auto& e : events) {
      Bound b(e);
      s << sql::kInsertEvent, use(e.id), use(e.organizer_id), use(e.title), use(e.description), use(e.location),
          use(b.start), use(b.end), use(e.timezone), use(e.max_attendees), use(b.require_approval), use(b.is_public),
          use(b.status), use(b.category), use(e.settings), use(b.creates_party), use(e.video_id), use(e.group_id),
          use(e.series_id), use(b.recurrence), use(b.until), use(b.created), use(b.updated);
    }
  });
}

std::optional<EventRow> Store::event(const std::string& id) {
  return db_.with([&](soci::session& s) { return db::select_one(s, sql::kEvent, sql::kEventById, db::uses(id)); });
}

std::vector<EventRow> Store::events(const EventFilter& f, const std::string& viewer_id, bool everything, int limit,
                                    int offset) {
  return db_.with([&](soci::session& s) {
    db::NamedParams p;
    std::string where = list_where(f, viewer_id, everything, p);
    std::string page = f.when == When::past ? sql::kPageLatest : sql::kPageSoonest;
    return db::select_rows(s, sql::kEvent, sql::kEventFrom + where + page, [&](soci::statement& st) {
      p.bind(st);
      st.exchange(use(limit, "lim"));
      st.exchange(use(offset, "off"));
    });
  });
}

long long Store::count_events(const EventFilter& f, const std::string& viewer_id, bool everything) {
  return db_.with([&](soci::session& s) {
    db::NamedParams p;
    std::string where = list_where(f, viewer_id, everything, p);
    return db::fetch_count(s, sql::kCountEvents + where, [&](soci::statement& st) { p.bind(st); });
  });
}

void Store::update_event(const EventRow& e) {
  Bound b(e);
  db_.with([&](soci::session& s) {
    s << sql::kUpdateEvent, use(e.title), use(e.description), use(e.location), use(b.start), use(b.end),
        use(e.timezone), use(e.max_attendees), use(b.require_approval), use(b.is_public), use(b.status),
        use(b.category), use(e.settings), use(b.creates_party), use(e.video_id), use(e.group_id), use(b.updated),
        use(e.id);
  });
}

std::vector<EventRow> Store::series_from(const std::string& series_id, std::int64_t from) {
  long long f = from;
  return db_.with(
      [&](soci::session& s) { return db::select_rows(s, sql::kEvent, sql::kSeriesFrom, db::uses(series_id, f)); });
}

void Store::delete_event(const std::string& id) {
  db_.with([&](soci::session& s) { s << sql::kDeleteEvent, use(id); });
}

bool Store::move_status(const std::string& id, EventStatus from, EventStatus to, std::int64_t now) {
  std::string f(to_string(from)), t(to_string(to));
  long long n = now;
  return db_.with([&](soci::session& s) {
    soci::statement st = (s.prepare << sql::kMoveStatus, use(t), use(n), use(id), use(f));
    return db::execute_counting(st) == 1;
  });
}

void Store::set_party(const std::string& id, const std::string& party_id, std::int64_t now) {
  long long n = now;
  db_.with([&](soci::session& s) { s << sql::kSetParty, use(party_id), use(n), use(id); });
}

std::vector<EventRow> Store::events_of_party(const std::string& party_id) {
  return db_.with(
      [&](soci::session& s) { return db::select_rows(s, sql::kEvent, sql::kEventsOfParty, db::uses(party_id)); });
}

std::vector<EventRow> Store::due_to_start(std::int64_t now) {
  long long n = now;
  return db_.with([&](soci::session& s) { return db::select_rows(s, sql::kEvent, sql::kDueToStart, db::uses(n)); });
}

std::vector<EventRow> Store::due_to_end(std::int64_t now) {
  long long n = now;
  return db_.with([&](soci::session& s) { return db::select_rows(s, sql::kEvent, sql::kDueToEnd, db::uses(n)); });
}

bool Store::user_exists(const std::string& user_id) {
  return db_.with([&](soci::session& s) { return db::fetch_count(s, sql::kCountUser, db::uses(user_id)) > 0; });
}

std::vector<EventRow> Store::feed(const std::string& user_id, std::int64_t since) {
  long long n = since;
  return db_.with(
      [&](soci::session& s) { return db::select_rows(s, sql::kEvent, sql::kFeed, db::uses(n, user_id, user_id)); });
}

// ---------------------------------------------------------------- attendance

AttendanceResult Store::change_attendance(const std::string& event_id, const std::string& user_id, std::int64_t now,
                                          const DecideAttendance& decide) {
  long long t = now;
  return db_.tx([&](soci::session& s) {
    auto locked = lock_event(s, db_.dialect(), event_id);
    auto current = attendee_in(s, event_id, user_id);
    auto change = decide(locked, current);
    bool was_going = current && current->status == AttendeeStatus::going;
    bool is_going = false;
    AttendanceResult result;
    switch (change.kind) {
      case AttendanceChange::Kind::keep: result.row = current; return result;
      case AttendanceChange::Kind::remove:
        if (current) s << sql::kDeleteAttendee, use(event_id), use(user_id);
        break;
      case AttendanceChange::Kind::put: {
        std::string status(to_string(change.status));
        is_going = change.status == AttendeeStatus::going;
        // Whoever enters the waitlist (or asks) takes the next ticket: the order is the order of the lock.
        bool new_ticket = !current || (current->status != change.status && !is_going);
        long long seq = new_ticket ? take_ticket(s, event_id) : current->seq;
        if (!current) {
          std::string id = new_uuid();
          s << sql::kInsertAttendee, use(id), use(event_id), use(user_id), use(status), use(seq), use(t), use(t);
        } else {
          s << sql::kUpdateAttendee, use(status), use(seq), use(t), use(event_id), use(user_id);
        }
        break;
      }
    }
    int delta = static_cast<int>(is_going) - static_cast<int>(was_going);
    if (delta != 0) s << sql::kMoveGoing, use(delta), use(event_id);
    locked.going += delta;
    if (delta < 0) result.promoted = promote(s, locked, t);
    result.row = attendee_in(s, event_id, user_id);
    return result;
  });
}

std::vector<std::string> Store::fill_seats(const std::string& event_id, std::int64_t now) {
  long long t = now;
  return db_.tx([&](soci::session& s) { return promote(s, lock_event(s, db_.dialect(), event_id), t); });
}

std::optional<AttendeeRow> Store::attendee(const std::string& event_id, const std::string& user_id) {
  return db_.with([&](soci::session& s) { return attendee_in(s, event_id, user_id); });
}

std::vector<AttendeeRow> Store::attendees(const std::string& event_id, std::optional<AttendeeStatus> status,
                                          int limit, int offset) {
  return db_.with([&](soci::session& s) {
    if (!status) return db::select_rows(s, sql::kAttendee, sql::kAttendees, db::uses(event_id, limit, offset));
    std::string st(to_string(*status));
    return db::select_rows(s, sql::kAttendee, sql::kAttendeesByStatus, db::uses(event_id, st, limit, offset));
  });
}

long long Store::count_attendees(const std::string& event_id, std::optional<AttendeeStatus> status) {
  return db_.with([&](soci::session& s) {
    if (!status) return db::fetch_count(s, sql::kCountAttendees, db::uses(event_id));
    std::string st(to_string(*status));
    return db::fetch_count(s, sql::kCountAttendeesByStatus, db::uses(event_id, st));
  });
}

std::vector<std::string> Store::going_ids(const std::string& event_id) {
  return db_.with([&](soci::session& s) {
    std::vector<std::string> out;
    std::string id;
    soci::statement st = (s.prepare << sql::kGoingIds, into(id), use(event_id));
    st.execute();
    while (st.fetch()) out.push_back(id);
    return out;
  });
}

Counts Store::counts(const std::string& event_id) {
  return db_.with([&](soci::session& s) {
    auto by_status = [&](const char* st) {
      std::string v = st;
      return db::fetch_count(s, sql::kCountAttendeesByStatus, db::uses(event_id, v));
    };
    auto by_response = [&](const char* r) {
      std::string v = r;
      return db::fetch_count(s, sql::kCountRsvps, db::uses(event_id, v));
    };
    return Counts{by_status("going"), by_response("maybe"), by_response("not_going"), by_status("waitlisted"),
                  by_status("pending")};
  });
}

std::map<std::string, Counts> Store::counts_of(const std::vector<std::string>& event_ids) {
  std::map<std::string, Counts> out;
  if (event_ids.empty()) return out;
  db::NamedParams p;
  std::string in = "(";
  for (std::size_t i = 0; i < event_ids.size(); ++i) {
    out[event_ids[i]] = {};
    in += (i ? ", :e" : ":e") + std::to_string(i);
    p.add("e" + std::to_string(i), event_ids[i]);
  }
  in += ")";
  db_.with([&](soci::session& s) {
    // Each row: an event, a status (or an RSVP answer), how many.
    auto each = [&](std::string text, const std::function<void(Counts&, const std::string&, long long)>& add) {
      std::string event, what;
      long long n = 0;
      soci::statement st(s);
      st.exchange(into(event));
      st.exchange(into(what));
      st.exchange(into(n));
      p.bind(st);
      st.alloc();
      st.prepare(text);
      st.define_and_bind();
      if (st.execute(true)) {
        do add(out[event], what, n);
        while (st.fetch());
      }
    };
    each(sql::kStatusCountsIn + in + sql::kByStatus, [](Counts& c, const std::string& status, long long n) {
      (status == "going" ? c.going : status == "waitlisted" ? c.waitlisted : c.pending) = n;
    });
    each(sql::kRsvpCountsIn + in + sql::kByResponse, [](Counts& c, const std::string& response, long long n) {
      if (response == "maybe") c.maybe = n;
      if (response == "not_going") c.not_going = n;
    });
  });
  return out;
}

void Store::set_preferences(const std::string& event_id, const std::string& user_id, const std::string& json,
                            std::int64_t now) {
  long long t = now;
  db_.with([&](soci::session& s) { s << sql::kSetPreferences, use(json), use(t), use(event_id), use(user_id); });
}

// ---------------------------------------------------------------- invitations and RSVPs

std::optional<InvitationRow> Store::invitation(const std::string& event_id, const std::string& invitee_id) {
  return db_.with([&](soci::session& s) {
    return db::select_one(s, sql::kInvitation, std::string(sql::kInvitationFrom) + sql::kInvitationOf,
                          db::uses(event_id, invitee_id));
  });
}

void Store::put_invitation(const std::string& event_id, const std::string& inviter_id, const std::string& invitee_id,
                           bool exists, std::int64_t now) {
  long long t = now;
  db_.with([&](soci::session& s) {
    if (exists) {
      s << sql::kRenewInvitation, use(inviter_id), use(t), use(event_id), use(invitee_id);
    } else {
      std::string id = new_uuid();
      s << sql::kInsertInvitation, use(id), use(event_id), use(inviter_id), use(invitee_id), use(t);
    }
  });
}

void Store::answer_invitation(const std::string& event_id, const std::string& invitee_id, InvitationStatus status,
                              std::int64_t now) {
  std::string st(to_string(status));
  long long t = now;
  db_.with([&](soci::session& s) { s << sql::kAnswerInvitation, use(st), use(t), use(event_id), use(invitee_id); });
}

std::vector<InvitationRow> Store::pending_invitations(const std::string& user_id, int limit, int offset) {
  return db_.with([&](soci::session& s) {
    return db::select_rows(s, sql::kInvitation, std::string(sql::kInvitationFrom) + sql::kPendingOf,
                           db::uses(user_id, limit, offset));
  });
}

long long Store::count_pending_invitations(const std::string& user_id) {
  return db_.with([&](soci::session& s) { return db::fetch_count(s, sql::kCountPendingOf, db::uses(user_id)); });
}

std::optional<RsvpRow> Store::rsvp(const std::string& event_id, const std::string& user_id) {
  return db_.with(
      [&](soci::session& s) { return db::select_one(s, sql::kRsvp, sql::kRsvpOf, db::uses(event_id, user_id)); });
}

void Store::set_rsvp(const std::string& event_id, const std::string& user_id, RsvpResponse response,
                     const std::string& note, std::int64_t now) {
  std::string r(to_string(response));
  long long t = now;
  db_.tx([&](soci::session& s) {
    soci::statement st = (s.prepare << sql::kUpdateRsvp, use(r), use(note), use(t), use(event_id), use(user_id));
    if (db::execute_counting(st) > 0) return;
    std::string id = new_uuid();
    s << sql::kInsertRsvp, use(id), use(event_id), use(user_id), use(r), use(note), use(t), use(t);
  });
}

void Store::delete_rsvp(const std::string& event_id, const std::string& user_id) {
  db_.with([&](soci::session& s) { s << sql::kDeleteRsvp, use(event_id), use(user_id); });
}

// ---------------------------------------------------------------- reminders

void Store::plan_reminders(const std::string& event_id, const std::string& user_id, const std::vector<int>& offsets,
                           std::int64_t start_time, std::int64_t now) {
  db_.tx([&](soci::session& s) {
    s << sql::kDeleteUnsentOf, use(event_id), use(user_id);
    for (int offset : offsets) {
      long long due = start_time - static_cast<long long>(offset) * 60000;
      if (due <= now) continue;
      // An offset already sent for this start stays sent.
      if (db::fetch_count(s, sql::kCountReminder, db::uses(event_id, user_id, offset)) > 0) continue;
      std::string id = new_uuid();
      s << sql::kInsertReminder, use(id), use(event_id), use(user_id), use(offset), use(due);
    }
  });
}

void Store::drop_reminders(const std::string& event_id, const std::string& user_id) {
  db_.with([&](soci::session& s) { s << sql::kDeleteRemindersOf, use(event_id), use(user_id); });
}

void Store::drop_event_reminders(const std::string& event_id) {
  db_.with([&](soci::session& s) { s << sql::kDeleteEventReminders, use(event_id); });
}

std::vector<DueReminder> Store::due_reminders(std::int64_t now) {
  long long n = now;
  return db_.with(
      [&](soci::session& s) { return db::select_rows(s, sql::kDueReminder, sql::kDueReminders, db::uses(n, n)); });
}

bool Store::claim_reminder(const std::string& id, const std::string& worker, std::int64_t now, std::int64_t until) {
  long long t = now, u = until;
  return db_.with([&](soci::session& s) {
    soci::statement st = (s.prepare << sql::kClaimReminder, use(u), use(worker), use(id), use(t));
    return db::execute_counting(st) == 1;
  });
}

void Store::mark_reminder_sent(const std::string& id, const std::string& worker, std::int64_t now) {
  long long t = now;
  db_.with([&](soci::session& s) { s << sql::kMarkReminderSent, use(t), use(worker), use(id); });
}

// ---------------------------------------------------------------- calendar feed

std::optional<std::string> Store::calendar_token(const std::string& user_id) {
  return db_.with([&](soci::session& s) -> std::optional<std::string> {
    std::string token;
    s << sql::kTokenOf, into(token), use(user_id);
    if (!s.got_data()) return std::nullopt;
    return token;
  });
}

void Store::replace_calendar_token(const std::string& user_id, const std::string& token, std::int64_t now) {
  long long t = now;
  db_.tx([&](soci::session& s) {
    s << sql::kDeleteToken, use(user_id);
    s << sql::kInsertToken, use(user_id), use(token), use(t);
  });
}

std::optional<std::string> Store::user_of_calendar_token(const std::string& token) {
  return db_.with([&](soci::session& s) -> std::optional<std::string> {
    std::string user;
    s << sql::kUserOfToken, into(user), use(token);
    if (!s.got_data()) return std::nullopt;
    return user;
  });
}

}  // namespace wp::events

#include "modules/support/policy.hpp"

#include "core/clock.hpp"

namespace wp::support {

namespace {

bool finished(TicketStatus s) { return s == TicketStatus::resolved || s == TicketStatus::closed; }

}  // namespace

bool owner_may_never(TicketStatus to) { return to == TicketStatus::pending || to == TicketStatus::resolved; }

std::optional<std::string> refuse_status(const TicketRow& t, TicketStatus to, bool staff, std::int64_t now,
                                         int reopen_days) {
  if (t.status == to) return std::nullopt;
  if (staff) {
    if (t.status == TicketStatus::closed && to != TicketStatus::open)
      return "A closed ticket is reopened before it changes again.";
    return std::nullopt;
  }
  if (owner_may_never(to)) return "Only staff set a ticket to " + std::string(to_string(to)) + ".";
  if (to == TicketStatus::closed) return std::nullopt;
  // to == open: a reopen.
  if (!finished(t.status)) return std::nullopt;
  auto since = t.resolved_at ? t.resolved_at : t.closed_at;
  if (since && now - *since > std::int64_t{reopen_days} * kDayMs)
    return "This ticket can no longer be reopened (" + std::to_string(reopen_days) + " days have passed); open a new one.";
  return std::nullopt;
}

std::optional<TicketStatus> status_after_reply(TicketStatus now, bool from_staff, bool internal) {
  if (internal) return now;
  if (now == TicketStatus::closed) return std::nullopt;
  if (from_staff) return now == TicketStatus::open ? TicketStatus::pending : now;
  if (now == TicketStatus::resolved) return std::nullopt;
  return TicketStatus::open;
}

void stamp_status(TicketRow& t, TicketStatus to, std::int64_t now) {
  if (to == TicketStatus::resolved && t.status != TicketStatus::resolved) t.resolved_at = now;
  if (to == TicketStatus::closed && t.status != TicketStatus::closed) t.closed_at = now;
  if (to == TicketStatus::open || to == TicketStatus::pending) t.resolved_at.reset(), t.closed_at.reset();
  t.status = to;
}

}  // namespace wp::support

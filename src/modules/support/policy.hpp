#pragma once
// The pure rules of tickets: the status machine, who may move it where, and
// what a reply does to the status. Tested directly (tests/unit/support_policy_test.cpp).
#include <cstdint>
#include <optional>
#include <string>

#include "modules/support/model.hpp"

namespace wp::support {

// Why `to` may not follow the ticket's status for this caller (nullopt: it
// may). Staff move a ticket freely, except that a closed ticket is reopened
// (to open) before anything else; the owner may close it, and reopen a
// resolved or closed one within `reopen_days` of its resolution (or closing).
std::optional<std::string> refuse_status(const TicketRow& t, TicketStatus to, bool staff, std::int64_t now,
                                         int reopen_days);

// Whether the refusal is the owner's lack of permission (403) rather than the ticket's state (409).
bool owner_may_never(TicketStatus to);

// The status after a reply: a staff reply to an open ticket waits for the
// user (pending), a user's reply to a pending one is open again; internal
// notes change nothing. nullopt: no reply may be added now (a closed ticket,
// or the owner on a resolved one: they reopen it first).
std::optional<TicketStatus> status_after_reply(TicketStatus now, bool from_staff, bool internal);

// The times a move to `to` sets: resolved_at with resolved, closed_at with
// closed, both cleared by a reopen.
void stamp_status(TicketRow& t, TicketStatus to, std::int64_t now);

}  // namespace wp::support

// Tickets: create, see, list, the staff queue, status, assignment, summary.
#include "modules/support/service.hpp"

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "modules/support/policy.hpp"

namespace wp::support {

namespace json = boost::json;

void SupportService::require_staff(const Principal& me) const {
  if (!me.staff()) throw_forbidden("Only staff may do this.");
}

TicketRow SupportService::existing(const std::string& id) {
  auto t = store_.ticket(id);
  if (!t) throw_not_found("No such ticket.");
  return *t;
}

TicketRow SupportService::create(const Principal& me, const TicketInput& in) {
  bool appeal = in.category == TicketCategory::appeal;
  if (appeal && !in.moderation_action_id)
    throw_validation("moderation_action_id", "An appeal names the moderation action it is about.");
  if (!appeal && in.moderation_action_id)
    throw_validation("moderation_action_id", "Only an appeal names a moderation action.");
  if (appeal && appeal_check_ && !appeal_check_(me.id, *in.moderation_action_id))
    throw_validation("moderation_action_id", "No moderation action of yours has this id.");
  TicketRow t;
  t.id = new_uuid();
  t.user_id = me.id;
  t.subject = in.subject;
  t.description = in.description;
  t.category = in.category;
  t.priority = in.priority;
  t.moderation_action_id = in.moderation_action_id;
  t.created_at = t.updated_at = now_ms();
  store_.insert_ticket(t, in.attachment_ids);
  return existing(t.id);
}

void SupportService::require_appeal(const Principal& me, const std::string& ticket_id) {
  if (get(me, ticket_id).category != TicketCategory::appeal) throw_not_found("No such ticket.");
}

TicketRow SupportService::get(const Principal& me, const std::string& id) {
  auto t = store_.ticket(id);
  if (!t || (t->user_id != me.id && !me.staff())) throw_not_found("No such ticket.");
  return *t;
}

std::vector<TicketRow> SupportService::mine(const Principal& me, TicketFilter f, int limit, int offset,
                                            long long& count) {
  f.owner = me.id;
  f.assignee.reset();
  f.unassigned = false;
  count = store_.count_tickets(f);
  return store_.tickets(f, limit, offset);
}

std::vector<TicketRow> SupportService::queue(const Principal& me, const TicketFilter& f, int limit, int offset,
                                             long long& count) {
  require_staff(me);
  count = store_.count_tickets(f);
  return store_.tickets(f, limit, offset);
}

TicketRow SupportService::change(const Principal& me, const std::string& id, const TicketChange& c) {
  auto t = get(me, id);
  bool staff = me.staff();
  if (!staff && (c.priority || c.category || c.admin_notes)) throw_forbidden("Only staff change this.");
  auto before = t;
  auto now = now_ms();
  bool seen_by_owner = false;
  if (c.status && *c.status != t.status) {
    if (auto why = refuse_status(t, *c.status, staff, now, settings_.reopen_days)) {
      if (!staff && owner_may_never(*c.status)) throw_forbidden(*why);
      throw_conflict(*why);
    }
    stamp_status(t, *c.status, now);
    seen_by_owner = true;
  }
  if (c.priority && *c.priority != t.priority) t.priority = *c.priority, seen_by_owner = true;
  if (c.category && *c.category != t.category) t.category = *c.category, seen_by_owner = true;
  if (c.admin_notes) t.admin_notes = *c.admin_notes;
  // Staff-only fields never move what the owner sees.
  if (seen_by_owner) t.updated_at = now;
  if (!store_.update_ticket(t, before.status)) throw_conflict("The ticket changed meanwhile; load it and try again.");
  auto after = existing(id);
  if (after.status != before.status) tell_status(me, after);
  return after;
}

TicketRow SupportService::assign(const Principal& me, const std::string& id,
                                 const std::optional<std::string>& assignee) {
  require_staff(me);
  existing(id);
  if (assignee && !store_.is_active_staff(*assignee))
    throw_validation("assignee_id", "Tickets are assigned to active staff members only.");
  store_.assign(id, assignee);
  return existing(id);
}

Summary SupportService::summary(const Principal& me, int days) {
  require_staff(me);
  return store_.summary(now_ms() - std::int64_t{days} * kDayMs);
}

void SupportService::tell_status(const Principal& me, const TicketRow& t) {
  json::object data{{"ticket_id", t.id}, {"ticket_subject", t.subject}, {"status", to_string(t.status)}};
  // The other side: the owner when staff moved it, the assignee when the owner did.
  std::string to = me.id == t.user_id ? t.assigned_to.value_or("") : t.user_id;
  if (to.empty() || to == me.id) return;
  notify_quietly(notifier_, Notice{to, "ticket_status", json::serialize(data), "", me.id, ""});
}

}  // namespace wp::support

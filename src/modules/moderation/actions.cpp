// ModerationService: actions on users and content (an append-only trail),
// and a user's standing.
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "modules/moderation/service.hpp"

namespace wp::moderation {

namespace {

bool needs_period(ActionType a) { return a == ActionType::mute || a == ActionType::suspend; }

std::string until_text(const std::optional<std::int64_t>& at) { return at ? " until " + to_rfc3339(*at) : ""; }

// The action as its subject reads it in the notice.
std::string action_text(const ActionRow& a) {
  switch (a.action) {
    case ActionType::warn: return "Warning";
    case ActionType::remove_content: return "Content removed";
    case ActionType::mute: return "Muted in chat and messages" + until_text(a.ends_at);
    case ActionType::suspend: return "Account suspended" + until_text(a.ends_at);
    case ActionType::ban: return "Account banned";
    case ActionType::lift: return a.content_type ? "Content restored" : "Restrictions lifted";
  }
  return "Moderation";
}

}  // namespace

void ModerationService::check_target(const Principal& staff, const std::string& user_id) const {
  if (user_id == staff.id) throw_forbidden("You cannot moderate your own account.");
  auto user = lookup(ContentType::user, user_id);
  if (!user) throw_not_found("User not found.");
  // As with deactivation: only a superuser acts on staff.
  if (user->staff && !staff.is_superuser) throw_forbidden("Only a superuser may act on a staff account.");
}

ActionRow ModerationService::act(const Principal& staff, ActionInput in) {
  require_staff(staff);
  if (in.reason.empty()) throw_validation("reason", "A reason is required.");
  if (needs_period(in.action) && (!in.duration_s || *in.duration_s < 60 || *in.duration_s > kMaxPeriodS))
    throw_validation("duration_s", "Required for mute and suspend: 60 s to 10 years.");
  if (in.report_id) {
    auto r = store_.report(*in.report_id);
    if (!r) throw_validation("report_id", "No such report.");
    if (!in.content_type && !in.object_id) in.content_type = r->content_type, in.object_id = r->object_id;
    if (!in.user_id && r->owner_id) in.user_id = r->owner_id;
  }
  if (in.content_type.has_value() != in.object_id.has_value())
    throw_validation("object_id", "content_type and object_id go together.");
  if (in.content_type && !in.user_id) {
    if (auto view = lookup(*in.content_type, *in.object_id); view && !view->author_id.empty())
      in.user_id = view->author_id;
  }
  ActionRow a;
  a.id = new_uuid();
  a.action = in.action;
  a.staff_id = staff.id;
  a.content_type = in.content_type;
  a.object_id = in.object_id;
  a.report_id = in.report_id;
  a.reason = in.reason;
  a.user_id = in.user_id;
  a.created_at = now_ms();
  if (needs_period(in.action)) a.duration_s = in.duration_s, a.ends_at = a.created_at + *in.duration_s * 1000;
  if (in.action == ActionType::remove_content) return remove_content(staff, std::move(a));
  if (in.action == ActionType::lift && a.content_type) return restore_content(staff, std::move(a));
  return standing_action(staff, std::move(a));
}

ActionRow ModerationService::remove_content(const Principal& staff, ActionRow a) {
  if (!a.content_type) throw_validation("content_type", "remove_content needs the content (content_type, object_id).");
  auto* h = handlers(*a.content_type);
  if (!h || !h->remove) throw_validation("content_type", "This content type cannot be removed here.");
  if (a.user_id) check_target(staff, *a.user_id);
  if (store_.tombstone(*a.content_type, *a.object_id)) throw_conflict("This content is removed already.");
  auto snapshot = h->remove(*a.object_id);
  if (!snapshot) throw_not_found("Nothing to remove: it does not exist or is deleted.");
  TombstoneRow t{*a.content_type, *a.object_id, *snapshot, a.id, a.created_at};
  if (!store_.record_removal(a, t)) {
    // Another removal won between the check and now; its tombstone keeps the original.
    throw_conflict("This content is removed already.");
  }
  resolve_linked(staff, a);
  tell(a, staff.id);
  return a;
}

ActionRow ModerationService::restore_content(const Principal& staff, ActionRow a) {
  auto* h = handlers(*a.content_type);
  auto t = store_.tombstone(*a.content_type, *a.object_id);
  if (!h || !h->restore || !t) throw_not_found("This content is not removed by moderation.");
  if (!h->restore(*a.object_id, t->snapshot)) throw_not_found("The content is gone: it cannot be restored.");
  if (!store_.record_restore(a)) throw_conflict("This content was restored already.");
  tell(a, staff.id);
  return a;
}

ActionRow ModerationService::standing_action(const Principal& staff, ActionRow a) {
  if (!a.user_id) throw_validation("user_id", "Whose standing: user_id (or content with an author).");
  check_target(staff, *a.user_id);
  store_.record_standing_action(a);
  spdlog::info("moderation: {} of user {} by {} ({})", to_string(a.action), *a.user_id, staff.id, a.id);
  if ((a.action == ActionType::suspend || a.action == ActionType::ban) && end_sessions_) end_sessions_(*a.user_id);
  resolve_linked(staff, a);
  tell(a, staff.id);
  return a;
}

// A removal closes every open report and flag of its object; an action on a
// user closes only the report it names (the object may deserve more).
void ModerationService::resolve_linked(const Principal& staff, const ActionRow& a) {
  if (a.action == ActionType::lift) return;
  if (a.action == ActionType::remove_content)
    store_.resolve_object(*a.content_type, *a.object_id, ReportStatus::actioned, staff.id, a.created_at);
  if (a.report_id) {
    if (auto r = store_.report(*a.report_id); r && (r->status == ReportStatus::open || r->status == ReportStatus::reviewing)) {
      r->status = ReportStatus::actioned;
      r->resolved_at = a.created_at;
      r->resolved_by = staff.id;
      r->updated_at = a.created_at;
      store_.update_report(*r);
    }
  }
}

// The subject learns what was done and why, never who reported.
void ModerationService::tell(const ActionRow& a, const std::string& actor_id) {
  if (!a.user_id) return;
  boost::json::object data{{"target_kind", a.content_type ? std::string(to_string(*a.content_type)) : "account"},
                           {"action", action_text(a)},
                           {"reason", a.reason},
                           {"action_id", a.id},
                           {"link", "/standing"}};
  notify_quietly(notifier_, {*a.user_id, "moderation_action", boost::json::serialize(data), "", actor_id});
}

std::vector<ActionRow> ModerationService::actions(const Principal& staff, const std::optional<std::string>& user_id,
                                                  const Window& w, long long& count) {
  require_staff(staff);
  count = store_.count_actions(user_id);
  return store_.actions(user_id, w);
}

Standing ModerationService::standing_of(const std::string& user_id) {
  Standing out;
  auto row = store_.standing(user_id);
  if (!row) return out;
  auto now = now_ms();
  out.warnings = row->warnings;
  out.banned = row->banned;
  if (row->suspended_until && *row->suspended_until > now) out.suspended_until = row->suspended_until;
  if (row->muted_until && *row->muted_until > now) out.muted_until = row->muted_until;
  out.state = out.banned            ? StandingState::banned
              : out.suspended_until ? StandingState::suspended
              : out.muted_until     ? StandingState::muted
                                    : StandingState::good;
  return out;
}

StandingView ModerationService::my_standing(const Principal& user, const Window& w) {
  StandingView v;
  v.standing = standing_of(user.id);
  v.actions = store_.actions(user.id, w);
  v.count = store_.count_actions(user.id);
  return v;
}

std::optional<std::string> ModerationService::login_refusal(const std::string& user_id) {
  auto s = standing_of(user_id);
  if (s.banned) return "This account is banned. You can appeal through a support ticket.";
  if (s.suspended_until)
    return "This account is suspended until " + to_rfc3339(*s.suspended_until) +
           ". You can appeal through a support ticket.";
  return std::nullopt;
}

std::vector<std::string> ModerationService::user_ids_in(StandingState state) {
  return store_.user_ids_in(state, now_ms());
}

}  // namespace wp::moderation

// ModerationService: bulk actions of /api/admin/users/bulk/.
#include "modules/moderation/service.hpp"

namespace wp::moderation {

namespace {

ActionType action_of(BulkAction b) {
  switch (b) {
    case BulkAction::warn: return ActionType::warn;
    case BulkAction::mute: return ActionType::mute;
    case BulkAction::suspend: return ActionType::suspend;
    case BulkAction::ban: return ActionType::ban;
    case BulkAction::unsuspend: break;
    case BulkAction::deactivate: break;
    case BulkAction::activate: break;
  }
  return ActionType::lift;
}

}  // namespace

std::vector<BulkResult> ModerationService::bulk(const Principal& staff, const BulkInput& in) {
  require_staff(staff);
  std::vector<BulkResult> out;
  for (auto& id : in.ids) {
    BulkResult result{id, std::nullopt, std::nullopt};
    try {
      if (in.action == BulkAction::deactivate || in.action == BulkAction::activate) {
        if (!account_active_) throw Error(ErrorCode::not_implemented, "Accounts are not wired.");
        account_active_(staff, id, in.action == BulkAction::activate);
      } else {
        ActionInput a;
        a.action = action_of(in.action);
        a.user_id = id;
        a.reason = in.reason;
        a.duration_s = in.duration_s;
        result.action = act(staff, a);
      }
    } catch (const Error& e) {
      result.error = e;  // one refusal (a staff account, an unknown id) does not stop the rest
    }
    out.push_back(std::move(result));
  }
  return out;
}

}  // namespace wp::moderation

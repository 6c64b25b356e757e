#include "core/plans.hpp"

#include "core/error.hpp"

namespace wp {

void throw_plan_limit(const PlanLimits& limits, const std::string& limit, std::string message) {
  FieldErrors f;
  f["limit"].push_back(limit);
  f["plan"].push_back(limits.plan);
  throw Error(ErrorCode::plan_limit, std::move(message), std::move(f));
}

void check_plan_segment(const Plans* plans, bool plan_audience, const std::optional<std::string>& plan) {
  if (!plan_audience) {
    if (plan) throw_validation("plan", "Only with audience plan.");
    return;
  }
  if (!plan) throw_validation("plan", "Name the plan whose users to tell.");
  if (plans ? !plans->has_plan(*plan) : *plan != kFreePlan) throw_validation("plan", "No such plan.");
}

}  // namespace wp

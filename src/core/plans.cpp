#include "core/plans.hpp"

#include "core/error.hpp"

namespace wp {

void throw_plan_limit(const PlanLimits& limits, const std::string& limit, std::string message) {
  FieldErrors f;
  f["limit"].push_back(limit);
  f["plan"].push_back(limits.plan);
  throw Error(ErrorCode::plan_limit, std::move(message), std::move(f));
}

}  // namespace wp

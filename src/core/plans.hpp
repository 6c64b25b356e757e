#pragma once
// A user's current plan limits, as every module reads them. The billing
// module implements it (a subscription in grace after a failed payment keeps
// its plan until the grace ends; then, and without a subscription, the free
// plan). A module enforces the limits it owns and refuses with
// throw_plan_limit. A downgrade deletes nothing: limits only stop new use.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace wp {

// Everyone without a subscription that counts has this plan.
inline constexpr const char* kFreePlan = "free";

struct PlanLimits {
  std::string plan = kFreePlan;              // the plan's id in the billing config
  int max_party_size = 10000;             // members of a party the user hosts (the largest max_participants)
  std::int64_t max_upload_bytes = 0;      // one upload; 0: only the server's max_upload_bytes
  std::int64_t storage_quota_bytes = 0;   // the user's uploaded files together; 0: no quota
  bool hd_renditions = true;              // renditions above 480p for the user's uploads
  bool downloads = true;                  // downloading originals others allow
  bool voice_above_mesh = true;           // voice chats of the user's parties beyond rtc_mesh_max (the SFU)
};

class Plans {
 public:
  virtual ~Plans() = default;
  // Runs SQL: call it on the blocking pool. Never throws for an unknown user (free limits).
  virtual PlanLimits limits_of(const std::string& user_id) = 0;
  // Segments (staff filters, broadcasts): every user whose current plan is not
  // the free plan, with that plan's id. Runs SQL, like limits_of.
  virtual std::map<std::string, std::string> paying_users() = 0;
  // Whether id names a plan of the billing configuration (the free one included).
  virtual bool has_plan(const std::string& id) const = 0;
};

// 403 PLAN_LIMIT; errors.limit names the limit and errors.plan the user's plan.
[[noreturn]] void throw_plan_limit(const PlanLimits& limits, const std::string& limit, std::string message);

// A segment's plan field (broadcasts): required, and a known plan, when the
// audience is a plan; refused otherwise. Without Plans only the free plan exists.
void check_plan_segment(const Plans* plans, bool plan_audience, const std::optional<std::string>& plan);

// The plan a user is on, by id.
inline std::string plan_of(Plans* plans, const std::string& user_id) {
  return plans ? plans->limits_of(user_id).plan : kFreePlan;
}

// A user's limits ("": anonymous, the free plan); with no Plans wired (null), PlanLimits{}.
inline PlanLimits limits_of(Plans* plans, const std::string& user_id) {
  return plans ? plans->limits_of(user_id) : PlanLimits{};
}

}  // namespace wp

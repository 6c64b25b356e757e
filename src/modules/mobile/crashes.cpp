// Crash reports grouped by signature, staff's view of the groups, and the
// app's sessions with the figures staff read from them.
#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/domain_events.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "modules/mobile/crash_signature.hpp"
#include "modules/mobile/semver.hpp"
#include "modules/mobile/service.hpp"

namespace wp::mobile {

namespace {

// A fixed group reopens for a crash of the fixed version or a later one; an
// older build crashing the old way is expected, and so is an unparsable version.
bool regresses(const CrashGroupRow& g, const std::string& app_version) {
  if (!g.fixed_in_version) return false;
  auto fixed = parse_semver(*g.fixed_in_version), mine = parse_semver(app_version);
  return fixed && mine && compare_semver(*mine, *fixed) >= 0;
}

}  // namespace

void MobileService::limit_anonymous(const std::optional<Principal>& user, const std::string& client_ip,
                                    const char* what) {
  if (user || !limiter_) return;
  if (auto wait = limiter_->acquire(std::string("mobile.") + what + ":" + client_ip, crash_settings_.anonymous_limit,
                                    60000))
    throw Error(ErrorCode::rate_limited, "Too many reports from this address; slow down.").with_retry_after(*wait);
}

CrashGroupRow MobileService::report_crash(const std::optional<Principal>& user, const std::string& client_ip,
                                          const CrashInput& in) {
  auto platform = require_enum<Platform>("platform", in.platform);
  if (in.stack_trace.size() > crash_settings_.max_stack_bytes)
    throw_validation("stack_trace", "At most " + std::to_string(crash_settings_.max_stack_bytes) + " bytes.");
  limit_anonymous(user, client_ip, "crash");
  auto now = now_ms();
  CrashRow c;
  c.id = new_uuid();
  if (user) c.user_id = user->id;
  c.platform = std::string(to_string(platform));
  c.app_version = in.app_version;
  c.os_version = in.os_version;
  c.device_model = in.device_model;
  c.stack_trace = in.stack_trace;
  c.breadcrumbs = in.breadcrumbs;
  c.occurred_at = in.occurred_at.value_or(now);
  c.received_at = now;
  auto sig = crash_signature(c.platform, c.stack_trace);
  return store_.record_crash(c, sig.signature, sig.title,
                             [&](const CrashGroupRow& g) { return regresses(g, c.app_version); });
}

MobileService::CrashGroupPage MobileService::crash_groups(const std::optional<std::string>& status, int limit,
                                                          int offset) {
  std::optional<CrashStatus> st;
  if (status) st = require_enum<CrashStatus>("status", *status);
  return {store_.crash_groups(st, limit, offset), store_.count_crash_groups(st)};
}

MobileService::CrashGroupDetail MobileService::crash_group(const std::string& id) {
  auto g = is_uuid(id) ? store_.crash_group(id) : std::nullopt;
  if (!g) throw_not_found("No such crash group.");
  return {*g, store_.crash_versions(id), store_.recent_crashes(id, 20)};
}

CrashGroupRow MobileService::mark_fixed(const std::string& id, const std::string& version) {
  if (!parse_semver(version)) throw_validation("version", "Must be a version such as 1.4.2.");
  if (!is_uuid(id) || !store_.mark_fixed(id, version)) throw_not_found("No such crash group.");
  return *store_.crash_group(id);
}

void MobileService::record_session(const std::optional<Principal>& user, const std::string& client_ip,
                                   const SessionRow& in) {
  require_enum<Platform>("platform", in.platform);
  if (in.ended_at && *in.ended_at < in.started_at) throw_validation("ended_at", "Must not be before started_at.");
  limit_anonymous(user, client_ip, "session");
  SessionRow row = in;
  if (user) row.user_id = user->id;
  if (!store_.upsert_session(row)) throw_conflict("This session id belongs to another device.");
  if (!row.ended_at) return;
  boost::json::object data{{"platform", row.platform},       {"app_version", row.app_version},
                           {"network_type", row.network_type}, {"screen_views", row.screen_views},
                           {"crashed", row.crashed},           {"session_id", row.id}};
  publish_event(events_, {.type = "mobile.session",
                          .user_id = row.user_id.value_or(""),
                          .amount = (*row.ended_at - row.started_at) / 1000,
                          .data_json = boost::json::serialize(data)});
}

std::vector<PlatformFigures> MobileService::figures(int days) {
  if (days < 1 || days > 365) throw_validation("days", "Must be between 1 and 365.");
  return store_.figures_since(now_ms() - std::int64_t{days} * 86400 * 1000);
}

}  // namespace wp::mobile

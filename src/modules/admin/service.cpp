// The audit trail, the error groups, the performance series, the users
// export and staff actions on content. Health is in service_health.cpp,
// broadcasts in broadcast.cpp.
#include "modules/admin/service.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "modules/admin/signature.hpp"

namespace wp::admin {

namespace json = boost::json;

namespace {
constexpr std::int64_t kDayMs = 86400LL * 1000;
// A series longer than this is refused: the dashboard asks for hours or days, not months.
constexpr std::int64_t kMaxSeriesSpanMs = 31 * kDayMs;

void require_staff(const Principal& me) {
  if (!me.staff()) throw_forbidden("Staff access is required.");
}
}  // namespace

AdminService::AdminService(Store& store, Settings settings) : store_(store), settings_(std::move(settings)) {}

// ---------------------------------------------------------------- SystemLog

void AdminService::record(const AuditEntry& e) {
  SystemLogRow r;
  r.id = new_uuid();
  r.level = e.level;
  r.category = e.category;
  r.message = e.message.substr(0, 1000);
  r.context = e.context_json.empty() ? "{}" : e.context_json;
  r.user_id = e.user_id;
  r.created_at = now_ms();
  store_.insert_log(r);
}

void AdminService::audit(const Principal& me, AuditCategory category, std::string message, std::string context_json) {
  record_quietly(this, {AuditLevel::info, category, std::move(message), std::move(context_json), me.id});
}

std::vector<SystemLogRow> AdminService::logs(const Principal& me, const LogFilter& filter, int limit, int offset,
                                             long long& count) {
  require_staff(me);
  return store_.logs(filter, limit, offset, count);
}

// ---------------------------------------------------------------- ErrorLog

void AdminService::record_error(const ErrorEvent& e) {
  store_.record_error(error_signature(e.method, e.route, e.message), e, new_uuid(), now_ms());
}

std::vector<ErrorLogRow> AdminService::errors(const Principal& me, int limit, int offset, long long& count) {
  require_staff(me);
  return store_.errors(limit, offset, count);
}

std::pair<ErrorLogRow, std::vector<std::string>> AdminService::error(const Principal& me, const std::string& signature) {
  require_staff(me);
  auto row = store_.error(signature);
  if (!row) throw_not_found("No such error.");
  return {*row, store_.recent_request_ids(signature, 20)};
}

// ---------------------------------------------------------------- PerformanceMetric

std::vector<MetricPoint> AdminService::series(const Principal& me, const std::string& name, std::int64_t since,
                                              std::int64_t until) {
  require_staff(me);
  if (until <= since) throw_validation("until", "Must be after since.");
  if (until - since > kMaxSeriesSpanMs) throw_validation("since", "A series spans at most 31 days.");
  return store_.series(name, since, until);
}

std::vector<std::string> AdminService::series_names(const Principal& me, std::int64_t since) {
  require_staff(me);
  return store_.series_names(since);
}

long long AdminService::prune(std::int64_t now) {
  return store_.prune_logs(now - settings_.log_retention_days * kDayMs) +
         store_.prune_errors(now - settings_.error_retention_days * kDayMs) +
         store_.prune_metrics(now - settings_.metrics_retention_days * kDayMs);
}

// ---------------------------------------------------------------- users export

std::shared_ptr<UserExport> AdminService::start_export(const Principal& me, const ExportRequest& request) {
  require_staff(me);
  if (!users_page_) throw Error(ErrorCode::unavailable, "The users export is not available.");
  const bool emails = std::find(request.fields.begin(), request.fields.end(), ExportField::email) != request.fields.end();
  if (emails && !me.is_superuser) throw_forbidden("Only a superuser may export email addresses.");
  json::array fields;
  for (auto f : request.fields) fields.push_back(json::string(to_string(f)));
  json::object context{{"format", to_string(request.format)}, {"fields", fields}, {"includes_email", emails}};
  if (request.is_active) context["is_active"] = *request.is_active;
  auto category = emails ? AuditCategory::security : AuditCategory::admin;
  audit(me, category, "Users export started", json::serialize(context));
  auto on_done = [this, me, category, context](long long rows) mutable {
    context["rows"] = rows;
    audit(me, category, "Users export finished", json::serialize(context));
  };
  return std::make_shared<UserExport>(users_page_, request, settings_.export_batch, std::move(on_done));
}

// ---------------------------------------------------------------- parties and videos

void AdminService::set_content(ContentKind kind, ContentHooks hooks) {
  (kind == ContentKind::party ? parties_ : videos_) = std::move(hooks);
}

const ContentHooks& AdminService::hooks_of(ContentKind kind) const {
  return kind == ContentKind::party ? parties_ : videos_;
}

std::vector<ContentItem> AdminService::content(const Principal& me, ContentKind kind, const ContentQuery& q,
                                               long long& count) {
  require_staff(me);
  const auto& hooks = hooks_of(kind);
  if (!hooks.list) throw Error(ErrorCode::unavailable, "Not available.");
  return hooks.list(me, q, count);
}

ContentItem AdminService::end_content(const Principal& me, ContentKind kind, const std::string& id) {
  require_staff(me);
  const auto& hooks = hooks_of(kind);
  if (!hooks.end) throw_not_found("Only a party can be ended.");
  auto item = hooks.end(me, id);
  audit(me, AuditCategory::admin, std::string("Staff ended a ") + std::string(to_string(kind)),
        json::serialize(json::object{{"kind", to_string(kind)}, {"id", id}, {"title", item.title}}));
  return item;
}

void AdminService::remove_content(const Principal& me, ContentKind kind, const std::string& id) {
  require_staff(me);
  const auto& hooks = hooks_of(kind);
  if (!hooks.remove) throw Error(ErrorCode::unavailable, "Not available.");
  hooks.remove(me, id);
  audit(me, AuditCategory::admin, std::string("Staff removed a ") + std::string(to_string(kind)),
        json::serialize(json::object{{"kind", to_string(kind)}, {"id", id}}));
}

}  // namespace wp::admin

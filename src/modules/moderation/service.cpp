// ModerationService: reports and the staff queue.
#include "modules/moderation/service.hpp"

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"

namespace wp::moderation {

ModerationService::ModerationService(Store& store, RateLimiter& limiter, Settings settings)
    : store_(store), limiter_(limiter), settings_(std::move(settings)) {}

void ModerationService::add_content(ContentType type, ContentHandlers handlers) {
  content_[type] = std::move(handlers);
}

const ContentHandlers* ModerationService::handlers(ContentType type) const {
  auto it = content_.find(type);
  return it == content_.end() ? nullptr : &it->second;
}

std::optional<ContentView> ModerationService::lookup(ContentType type, const std::string& object_id) const {
  auto* h = handlers(type);
  if (!h || !h->lookup) return std::nullopt;
  return h->lookup(object_id);
}

void ModerationService::require_staff(const Principal& p) const {
  if (!p.staff()) throw_forbidden("Only staff may moderate.");
}

ReportRow ModerationService::report(const Principal& reporter, const ReportInput& in) {
  if (!is_uuid(in.object_id)) throw_validation("object_id", "Must be an id (UUID).");
  std::optional<std::string> owner;
  if (auto* h = handlers(in.content_type); h && h->lookup) {
    auto view = h->lookup(in.object_id);
    if (!view || view->removed) throw_not_found("Nothing to report: it does not exist.");
    if (!view->author_id.empty()) owner = view->author_id;
  } else if (in.content_type == ContentType::user) {
    owner = in.object_id;
  }
  if (in.content_type == ContentType::user && in.object_id == reporter.id)
    throw_validation("object_id", "You cannot report yourself.");
  for (auto& r : store_.open_reports_of(in.content_type, in.object_id))
    if (r.reporter_id == reporter.id) throw_conflict("You already reported this; it is being reviewed.");
  ReportRow r;
  r.id = new_uuid();
  r.reporter_id = reporter.id;
  r.content_type = in.content_type;
  r.object_id = in.object_id;
  r.owner_id = owner;
  r.report_type = in.report_type;
  r.description = in.description;
  r.created_at = r.updated_at = now_ms();
  // Two reports at once: the partial unique index refuses the second (409).
  store_.insert_report(r);
  return r;
}

std::string ModerationService::report(const Principal& reporter, ContentType type, const std::string& object_id,
                                      const std::string& report_type, const std::string& description) {
  ReportInput in{type, object_id, require_enum<ReportType>("reason", report_type), description};
  return report(reporter, in).id;
}

std::vector<ReportRow> ModerationService::my_reports(const Principal& user, const Window& w) {
  return store_.reports_of_reporter(user.id, w);
}

Listed ModerationService::reports(const Principal& staff, const ReportFilter& f, const Window& w) {
  require_staff(staff);
  return {store_.reports(f, w), store_.count_reports(f)};
}

ReportRow ModerationService::update_report(const Principal& staff, const std::string& id,
                                           std::optional<ReportStatus> status, std::optional<std::string> admin_notes) {
  require_staff(staff);
  auto r = store_.report(id);
  if (!r) throw_not_found("Report not found.");
  auto now = now_ms();
  if (status && *status != r->status) {
    r->status = *status;
    bool closed = *status == ReportStatus::actioned || *status == ReportStatus::dismissed;
    r->resolved_at = closed ? std::optional(now) : std::nullopt;
    r->resolved_by = closed ? std::optional(staff.id) : std::nullopt;
  }
  if (admin_notes) r->admin_notes = *admin_notes;
  r->updated_at = now;
  store_.update_report(*r);
  return *r;
}

std::vector<QueueItem> ModerationService::queue(const Principal& staff, std::optional<ContentType> type,
                                                const Window& w, long long& count) {
  require_staff(staff);
  count = store_.count_queue(type);
  std::vector<QueueItem> out;
  for (auto& row : store_.queue(type, w)) {
    QueueItem item;
    item.row = row;
    item.content = lookup(row.content_type, row.object_id);
    item.removed_by_moderation = store_.tombstone(row.content_type, row.object_id).has_value();
    item.reports = store_.open_reports_of(row.content_type, row.object_id);
    item.flags = store_.open_flags_of(row.content_type, row.object_id);
    out.push_back(std::move(item));
  }
  return out;
}

long long ModerationService::resolve(const Principal& staff, ContentType type, const std::string& object_id,
                                     ReportStatus status) {
  require_staff(staff);
  if (status != ReportStatus::actioned && status != ReportStatus::dismissed)
    throw_validation("status", "Must be actioned or dismissed.");
  return store_.resolve_object(type, object_id, status, staff.id, now_ms());
}

std::vector<FlagRow> ModerationService::flags(const Principal& staff, std::optional<FlagStatus> status,
                                              const Window& w) {
  require_staff(staff);
  return store_.flags(status, w);
}

}  // namespace wp::moderation

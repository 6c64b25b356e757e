#include "modules/moderation/dto.hpp"

#include "core/clock.hpp"
#include "http/json.hpp"

namespace wp::moderation {

namespace json = boost::json;

namespace {

using http::time_or_null;

json::value text_or_null(const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); }

template <class E>
json::value name(E e) {
  return json::value(std::string(to_string(e)));
}

json::value content_json(const std::optional<ContentView>& c) {
  if (!c) return nullptr;
  return json::object{{"author_id", c->author_id.empty() ? json::value(nullptr) : json::value(c->author_id)},
                      {"text", c->text},
                      {"context", c->context},
                      {"removed", c->removed}};
}

}  // namespace

json::object my_report_json(const ReportRow& r) {
  return {{"id", r.id},
          {"content_type", name(r.content_type)},
          {"object_id", r.object_id},
          {"report_type", name(r.report_type)},
          {"description", r.description},
          {"status", name(r.status)},
          {"created_at", to_rfc3339(r.created_at)},
          {"resolved_at", time_or_null(r.resolved_at)}};
}

json::object report_json(const ReportRow& r) {
  auto o = my_report_json(r);
  o["reporter_id"] = text_or_null(r.reporter_id);
  o["owner_id"] = text_or_null(r.owner_id);
  o["admin_notes"] = r.admin_notes;
  o["updated_at"] = to_rfc3339(r.updated_at);
  o["resolved_by"] = text_or_null(r.resolved_by);
  return o;
}

json::object my_action_json(const ActionRow& a) {
  return {{"id", a.id},
          {"action", name(a.action)},
          {"content_type", a.content_type ? name(*a.content_type) : json::value(nullptr)},
          {"object_id", text_or_null(a.object_id)},
          {"reason", a.reason},
          {"duration_s", a.duration_s ? json::value(*a.duration_s) : json::value(nullptr)},
          {"ends_at", time_or_null(a.ends_at)},
          {"created_at", to_rfc3339(a.created_at)}};
}

json::object action_json(const ActionRow& a) {
  auto o = my_action_json(a);
  o["user_id"] = text_or_null(a.user_id);
  o["staff_id"] = text_or_null(a.staff_id);
  o["report_id"] = text_or_null(a.report_id);
  return o;
}

json::object flag_json(const FlagRow& f) {
  return {{"id", f.id},
          {"content_type", name(f.content_type)},
          {"object_id", f.object_id},
          {"user_id", text_or_null(f.user_id)},
          {"signal", name(f.signal)},
          {"detail", f.detail},
          {"excerpt", f.excerpt},
          {"status", name(f.status)},
          {"created_at", to_rfc3339(f.created_at)},
          {"resolved_at", time_or_null(f.resolved_at)}};
}

json::object queue_item_json(const QueueItem& item) {
  json::object by_type;
  json::array reports, flags;
  for (auto& r : item.reports) {
    auto key = std::string(to_string(r.report_type));
    by_type[key] = (by_type.contains(key) ? by_type[key].as_int64() : 0) + 1;
    reports.push_back(report_json(r));
  }
  for (auto& f : item.flags) flags.push_back(flag_json(f));
  return {{"content_type", name(item.row.content_type)},
          {"object_id", item.row.object_id},
          {"reports_count", item.row.reports},
          {"flags_count", item.row.flags},
          {"report_types", std::move(by_type)},
          {"first_at", to_rfc3339(item.row.first_at)},
          {"last_at", to_rfc3339(item.row.last_at)},
          {"content", content_json(item.content)},
          {"removed_by_moderation", item.removed_by_moderation},
          {"reports", std::move(reports)},
          {"flags", std::move(flags)}};
}

json::object standing_json(const Standing& s) {
  return {{"state", name(s.state)},
          {"muted_until", time_or_null(s.muted_until)},
          {"suspended_until", time_or_null(s.suspended_until)},
          {"banned", s.banned},
          {"warnings", s.warnings}};
}

}  // namespace wp::moderation

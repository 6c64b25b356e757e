#include "modules/mobile/dto.hpp"

#include "core/clock.hpp"
#include "http/json.hpp"

namespace wp::mobile {

namespace json = boost::json;

namespace {

using http::time_or_null;

json::value parsed_or_empty(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return ec ? json::value(json::object{}) : v;
}

json::object page_json(const TypePage& p) {
  json::array upserts, deletes;
  for (const auto& c : p.changes) {
    if (c.deleted)
      deletes.push_back(json::object{{"id", c.record_id}, {"seq", c.seq}});
    else
      upserts.push_back(json::object{{"id", c.record_id}, {"seq", c.seq}, {"data", parsed_or_empty(c.payload)}});
  }
  return {{"upserts", std::move(upserts)}, {"deletes", std::move(deletes)}, {"cursor", p.cursor}, {"has_more", p.has_more}};
}

}  // namespace

json::object crash_group_json(const CrashGroupRow& g) {
  return {{"id", g.id},
          {"signature", g.signature},
          {"platform", g.platform},
          {"title", g.title},
          {"status", to_string(g.status)},
          {"fixed_in_version", g.fixed_in_version ? json::value(*g.fixed_in_version) : json::value(nullptr)},
          {"count", g.count},
          {"first_seen", to_rfc3339(g.first_seen)},
          {"last_seen", to_rfc3339(g.last_seen)}};
}

json::object crash_json(const CrashRow& c) {
  return {{"id", c.id},
          {"user_id", c.user_id ? json::value(*c.user_id) : json::value(nullptr)},
          {"platform", c.platform},
          {"app_version", c.app_version},
          {"os_version", c.os_version},
          {"device_model", c.device_model},
          {"stack_trace", c.stack_trace},
          {"breadcrumbs", parsed_or_empty(c.breadcrumbs)},
          {"occurred_at", to_rfc3339(c.occurred_at)},
          {"received_at", to_rfc3339(c.received_at)}};
}

json::object device_json(const DeviceRow& d) {
  // The token itself stays on the server: the app knows it, the list only says whether there is one.
  return {{"id", d.id},
          {"device_id", d.device_id},
          {"name", d.name},
          {"platform", to_string(d.platform)},
          {"model", d.model},
          {"os_version", d.os_version},
          {"app_version", d.app_version},
          {"has_push_token", d.push_token.has_value()},
          {"push_enabled", d.push_enabled},
          {"settings", parsed_or_empty(d.settings)},
          {"disabled", d.disabled},
          {"created_at", to_rfc3339(d.created_at)},
          {"updated_at", to_rfc3339(d.updated_at)},
          {"last_active", to_rfc3339(d.last_active)}};
}

json::object sync_row_json(const SyncRow& s) {
  return {{"id", s.id},
          {"device", s.device_id},
          {"sync_type", to_string(s.sync_type)},
          {"status", to_string(s.status)},
          {"data_types", parsed_or_empty(s.data_types)},
          {"size", s.size_bytes},
          {"records_count", s.records_count},
          {"pages", s.pages},
          {"started_at", to_rfc3339(s.started_at)},
          {"completed_at", time_or_null(s.completed_at)},
          {"duration_ms", s.duration_ms ? json::value(*s.duration_ms) : json::value(nullptr)},
          {"error", s.error},
          {"retry_count", s.retry_count}};
}

json::object sync_result_json(const SyncResult& r) {
  json::object changes;
  for (const auto& p : r.pages) changes[to_string(p.type)] = page_json(p);
  json::object out{{"sync", sync_row_json(r.sync)}, {"changes", std::move(changes)}, {"has_more", r.has_more}};
  if (r.push) {
    auto result = parsed_or_empty(r.push->result_json);
    if (result.is_object()) result.as_object()["duplicate"] = r.push->duplicate;
    out["push"] = std::move(result);
  }
  return out;
}

json::value record_json(const ChangeRow& c) { return parsed_or_empty(c.payload); }

}  // namespace wp::mobile

#include "modules/mobile/routes.hpp"

#include "core/crypto.hpp"
#include "core/fields.hpp"
#include "http/json.hpp"
#include "http/module_routes.hpp"
#include "modules/mobile/dto.hpp"
#include "modules/mobile/sync_input.hpp"

namespace wp::mobile {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

constexpr std::size_t kMaxSettingsBytes = 8192;

// The device's settings: a JSON object, kept as text.
std::optional<std::string> settings_field(Fields& f) {
  auto o = f.optional_object("settings");
  if (!o) return std::nullopt;
  auto text = json::serialize(*o);
  if (text.size() > kMaxSettingsBytes) f.add_error("settings", "At most 8192 bytes of JSON.");
  return text;
}

Response register_device(MobileService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  DeviceInput in;
  in.device_id = f.required_string("device_id", 1, 128);
  in.platform = f.required_string("platform", 1, 16);
  in.name = f.optional_string("name", 100).value_or("");
  in.model = f.optional_string("model", 100).value_or("");
  in.os_version = f.optional_string("os_version", 64).value_or("");
  in.app_version = f.optional_string("app_version", 64).value_or("");
  in.push_token = f.optional_string("push_token", 4096);
  in.push_enabled = f.optional_bool("push_enabled").value_or(true);
  in.settings = settings_field(f).value_or("{}");
  f.done();
  bool created = false;
  auto row = svc.register_device(req.current_user(), in, created);
  return http::json_response(device_json(row), created ? 201 : 200);
}

Response list_devices(MobileService& svc, Request& req) {
  json::array out;
  for (const auto& d : svc.devices(req.current_user())) out.push_back(device_json(d));
  return http::json_response(json::object{{"results", std::move(out)}});
}

Response update_device(MobileService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  DevicePatch p;
  p.name = f.optional_string("name", 100);
  p.disabled = f.optional_bool("disabled");
  p.push_enabled = f.optional_bool("push_enabled");
  p.settings = settings_field(f);
  f.done();
  return http::json_response(device_json(svc.update_device(req.current_user(), req.param("id"), p)));
}

Response remove_device(MobileService& svc, Request& req) {
  svc.remove_device(req.current_user(), req.param("id"));
  return Response{.status = 204};
}

Response sync(MobileService& svc, Request& req) {
  auto request = parse_sync_request(http::parse_object_body(req));
  return http::json_response(sync_result_json(svc.sync(req.current_user(), request)));
}

Response list_syncs(MobileService& svc, Request& req) {
  json::array out;
  for (const auto& s : svc.syncs(req.current_user(), 50)) out.push_back(sync_row_json(s));
  return http::json_response(json::object{{"results", std::move(out)}});
}

Response records(const std::vector<ChangeRow>& rows) {
  json::array out;
  for (const auto& r : rows) out.push_back(record_json(r));
  return http::json_response(json::object{{"results", std::move(out)}});
}

Response add_download(MobileService& svc, Request& req) {
  auto body = http::parse_object_body(req);
  Fields f(body);
  auto quality = f.optional_string("quality", 16).value_or("auto");
  f.done();
  svc.add_download(req.current_user(), req.param("video_id"), quality);
  return http::success_response();
}

Response remove_download(MobileService& svc, Request& req) {
  svc.remove_download(req.current_user(), req.param("video_id"));
  return Response{.status = 204};
}

// Cacheable: an ETag of the body, and a max-age; an answer for a logged-in
// caller (their flags) is private to them.
Response app_config(MobileService& svc, Request& req) {
  auto body = json::serialize(svc.app_config(req.user, req.query("platform"), req.query("app_version").value_or(""),
                                             req.query("device_id").value_or("")));
  auto etag = "\"" + crypto::sha256_hex(body).substr(0, 32) + "\"";
  Response r;
  if (auto inm = req.header("If-None-Match"); inm && *inm == etag) {
    r.status = 304;
  } else {
    r.body = std::move(body);
  }
  r.set_header("ETag", etag);
  r.set_header("Cache-Control", std::string(req.user ? "private" : "public") +
                                    ", max-age=" + std::to_string(svc.config_max_age_s()));
  r.set_header("Vary", "Authorization");
  return r;
}

}  // namespace

void add_routes(http::Router& router, MobileService& svc) {
  const auto U = Access::user;
  http::ModuleRoutes routes(router, svc, "mobile");
  routes.add("GET", "/api/mobile/config/",
             "The app's config: versions and force_update (?platform=&app_version=), flags, URLs, ICE hint, "
             "maintenance",
             Access::anonymous, app_config);
  routes.add("POST", "/api/mobile/devices/", "Register or update my device by its install id (device_id)", U,
             register_device);
  routes.add("GET", "/api/mobile/devices/", "My devices", U, list_devices);
  routes.add("PATCH", "/api/mobile/devices/{id}/", "Rename, disable or mute a device of mine", U, update_device);
  routes.add("DELETE", "/api/mobile/devices/{id}/", "Remove a device of mine (its push token is revoked)", U,
             remove_device);
  routes.add("POST", "/api/mobile/sync/", "Delta sync: changes since my cursors, and my offline changes", U, sync);
  routes.add("GET", "/api/mobile/syncs/", "My last 50 syncs (MobileSyncData)", U, list_syncs);
  routes.add("GET", "/api/mobile/downloads/", "My downloads list", U,
             [](MobileService& s, Request& r) { return records(s.downloads(r.current_user())); });
  routes.add("PUT", "/api/mobile/downloads/{video_id}/", "Add a video to my downloads list", U, add_download);
  routes.add("DELETE", "/api/mobile/downloads/{video_id}/", "Remove a video from my downloads list", U,
             remove_download);
  routes.add("GET", "/api/mobile/settings/", "My synced app settings", U,
             [](MobileService& s, Request& r) { return records(s.settings(r.current_user())); });
  add_crash_routes(router, svc);
}

}  // namespace wp::mobile

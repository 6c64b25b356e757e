// Devices: registration by install id, the list, rename/disable/remove, and
// the push token's life (handed to push while the device may receive it).
#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "core/enum_names.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "modules/mobile/service.hpp"

namespace wp::mobile {

DeviceRow MobileService::register_device(const Principal& user, const DeviceInput& in, bool& created) {
  auto now = now_ms();
  DeviceRow row;
  row.id = new_uuid();
  row.user_id = user.id;
  row.device_id = in.device_id;
  row.name = in.name;
  row.platform = require_enum<Platform>("platform", in.platform);
  row.model = in.model;
  row.os_version = in.os_version;
  row.app_version = in.app_version;
  if (in.push_token && !in.push_token->empty()) row.push_token = in.push_token;
  row.push_enabled = in.push_enabled;
  row.settings = in.settings;
  row.session_id = user.session_id;
  row.created_at = row.updated_at = row.last_active = now;
  auto w = store_.upsert_device(row);
  created = !w.before;
  if (w.token_released > 0) spdlog::info("mobile: a push token moved to device {} of user {}", w.row.id, user.id);
  rebind_push(user, w.before, w.row);
  return w.row;
}

// The push module holds a token exactly while its device may receive pushes;
// a token given up (replaced, disabled, muted) is forgotten there, so that
// neither this user nor a previous owner of the token is pushed to through it.
void MobileService::rebind_push(const Principal& user, const std::optional<DeviceRow>& before, const DeviceRow& after) {
  if (!push_.bind || !push_.forget) return;
  if (before && before->push_token && before->push_token != after.push_token) push_.forget(*before->push_token);
  if (after.pushable())
    push_.bind(user, *after.push_token, after.platform);
  else if (after.push_token)
    push_.forget(*after.push_token);
}

std::vector<DeviceRow> MobileService::devices(const Principal& user) { return store_.devices_of(user.id); }

DeviceRow MobileService::update_device(const Principal& user, const std::string& id, const DevicePatch& patch) {
  if (!is_uuid(id)) throw_not_found("No such device.");
  auto before = store_.device_of(user.id, id);
  if (!before) throw_not_found("No such device.");
  DeviceRow after = *before;
  if (patch.name) after.name = *patch.name;
  if (patch.disabled) after.disabled = *patch.disabled;
  if (patch.push_enabled) after.push_enabled = *patch.push_enabled;
  if (patch.settings) after.settings = *patch.settings;
  after.updated_at = now_ms();
  if (!store_.update_device(after)) throw_not_found("No such device.");
  rebind_push(user, before, after);
  return after;
}

void MobileService::remove_device(const Principal& user, const std::string& id) {
  if (!is_uuid(id)) throw_not_found("No such device.");
  auto row = store_.device_of(user.id, id);
  if (!row || !store_.delete_device(user.id, id)) throw_not_found("No such device.");
  if (row->push_token && push_.forget) push_.forget(*row->push_token);
}

void MobileService::sessions_ended(const std::string& user_id, const std::optional<std::string>& only_session,
                                   const std::optional<std::string>& except_session) {
  for (const auto& d : store_.devices_of(user_id)) {
    if (!d.push_token) continue;
    if (only_session && d.session_id != *only_session) continue;
    if (except_session && d.session_id == *except_session) continue;
    store_.clear_token(d.id);
    if (push_.forget) push_.forget(*d.push_token);
  }
}

DeviceRow MobileService::active_device(const Principal& user, const std::string& device_id) {
  auto d = store_.device_by_install(user.id, device_id);
  if (!d) throw_not_found("This device is not registered; register it at POST /api/mobile/devices/ first.");
  if (d->disabled) throw_forbidden("This device is disabled.");
  store_.touch_device(d->id, now_ms(), settings_.last_active_interval_ms);
  return *d;
}

}  // namespace wp::mobile

#include "modules/notifications/service.hpp"

#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "modules/notifications/dto.hpp"

namespace wp::notifications {

namespace json = boost::json;

namespace {

json::object data_object(const std::string& text) {
  if (text.empty()) return {};
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) throw Error(ErrorCode::internal, "notice data must be a JSON object");
  return v.as_object();
}

}  // namespace

NotificationsService::NotificationsService(Store& store, UserChannel& channel, PushSender& push, Options options)
    : store_(store), channel_(channel), push_(push), options_(std::move(options)) {}

bool NotificationsService::enabled(Type type, Channel channel, const std::vector<PreferenceRow>& overrides) const {
  for (auto& p : overrides)
    if (p.type == type && p.channel == channel) return p.enabled;
  return default_enabled(type, channel);
}

void NotificationsService::notify(const Notice& notice) {
  auto type = parse_enum<Type>(notice.type);
  if (!type) throw Error(ErrorCode::internal, "unknown notification type '" + notice.type + "'");
  auto data = data_object(notice.data_json);
  if (notice.user_id.empty() || notice.user_id == notice.actor_id) return;
  if (!notice.actor_id.empty() && relations_ && relations_->blocked_between(notice.actor_id, notice.user_id)) return;

  Delivery d;
  d.user_id = notice.user_id;
  d.type = *type;
  d.settings = store_.settings(notice.user_id).value_or(SettingsRow{});
  d.overrides = store_.preferences(notice.user_id);
  bool grouped = false;
  if (enabled(*type, Channel::in_app, d.overrides)) {
    auto now = now_ms();
    NotificationRow row;
    row.id = new_uuid();
    row.user_id = notice.user_id;
    row.type = *type;
    d.text = render_notice(*type, data, 1);
    data["url"] = d.text.url;
    row.title = d.text.title;
    row.message = d.text.message;
    row.data = json::serialize(data);
    row.group_key = notice.group_key;
    if (!notice.actor_id.empty()) row.actor_id = notice.actor_id;
    row.created_at = row.updated_at = now;
    auto regroup = [](NotificationRow& g) {
      auto text = render_notice(g.type, data_object(g.data), g.group_count);
      g.title = text.title;
      g.message = text.message;
    };
    auto stored = store_.insert(row, now - std::int64_t{options_.group_window_s} * 1000, regroup, notice.dedupe_key);
    if (stored.duplicate) return;
    grouped = stored.grouped;
    d.notification_id = stored.row.id;
    d.text.title = stored.row.title;
    d.text.message = stored.row.message;
    publish_row(stored.row, stored.grouped);
    publish_count(notice.user_id, stored.unread);
  } else {
    if (!notice.dedupe_key.empty() && !store_.claim_key(notice.user_id, notice.dedupe_key, now_ms())) return;
    d.text = render_notice(*type, data, 1);
    data["url"] = d.text.url;
  }
  d.data_json = json::serialize(data);
  // A repeat that joined a group was announced already by mail and push.
  if (!grouped) deliver_outside_app(d);
}

void NotificationsService::publish_row(const NotificationRow& row, bool grouped) {
  auto o = notification_json(row);
  o["grouped"] = grouped;
  channel_.publish(row.user_id, "notification", json::serialize(o));
}

void NotificationsService::publish_count(const std::string& user_id, const UnreadCount& unread) {
  channel_.publish(user_id, "unread_count", json::serialize(unread_json(unread)));
}

// ---------------------------------------------------------------- in-app

Page NotificationsService::list(const Principal& me, const ListFilter& f) {
  return {store_.list(me.id, f), store_.count(me.id, f)};
}

UnreadCount NotificationsService::unread(const Principal& me) { return store_.unread(me.id); }

NotificationRow NotificationsService::get(const Principal& me, const std::string& id) {
  auto row = store_.get(me.id, id);
  if (!row) throw_not_found("No such notification.");
  return *row;
}

NotificationRow NotificationsService::mark_read(const Principal& me, const std::string& id) {
  bool changed = false;
  auto unread = store_.mark_read(me.id, id, now_ms(), changed);
  if (!unread) throw_not_found("No such notification.");
  if (changed) publish_count(me.id, *unread);
  return get(me, id);
}

long long NotificationsService::mark_all_read(const Principal& me) {
  long long changed = 0;
  auto unread = store_.mark_all_read(me.id, now_ms(), changed);
  if (changed > 0) publish_count(me.id, unread);
  return changed;
}

void NotificationsService::remove(const Principal& me, const std::string& id) {
  auto unread = store_.remove(me.id, id);
  if (!unread) throw_not_found("No such notification.");
  publish_count(me.id, *unread);
}

// ---------------------------------------------------------------- preferences

Preferences NotificationsService::preferences(const Principal& me) {
  Preferences p;
  auto overrides = store_.preferences(me.id);
  for (auto& info : type_catalog())
    for (auto channel : {Channel::in_app, Channel::email, Channel::push})
      p.channels[info.type][channel] = enabled(info.type, channel, overrides);
  p.settings = store_.settings(me.id).value_or(SettingsRow{});
  if (contact_of_)
    if (auto c = contact_of_(me.id)) p.timezone = c->timezone;
  return p;
}

Preferences NotificationsService::update_preferences(const Principal& me, const PreferencesPatch& patch) {
  if (patch.set_quiet_hours && patch.quiet_start.has_value() != patch.quiet_end.has_value())
    throw_validation("quiet_hours", "Give both start and end, or null for none.");
  if (patch.set_quiet_hours && patch.quiet_start && *patch.quiet_start == *patch.quiet_end)
    throw_validation("quiet_hours", "Start and end must differ.");
  std::function<void(SettingsRow&)> edit;
  if (patch.muted || patch.digest_mode || patch.set_quiet_hours)
    edit = [&](SettingsRow& s) {
      if (patch.muted) s.muted = *patch.muted;
      if (patch.digest_mode) s.digest_mode = *patch.digest_mode;
      if (patch.set_quiet_hours) {
        s.quiet_start = patch.quiet_start;
        s.quiet_end = patch.quiet_end;
      }
    };
  store_.update_preferences(me.id, patch.channels, edit, now_ms());
  return preferences(me);
}

}  // namespace wp::notifications

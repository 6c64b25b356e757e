// Admin broadcasts: the request records the broadcast and hands the fan-out
// to the background (Submit: the blocking pool); the fan-out walks the
// audience in pages, inserts each page's rows in one transaction, then
// publishes the live events and hands push and email on per user.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "modules/notifications/dto.hpp"
#include "modules/notifications/service.hpp"
#include "modules/notifications/templates.hpp"

namespace wp::notifications {

namespace json = boost::json;

BroadcastRow NotificationsService::start_broadcast(const Principal& me, const BroadcastInput& in) {
  if (!me.staff()) throw_forbidden();
  if (in.audience == Audience::followers && !in.user_id) throw_validation("user_id", "Name whose followers to tell.");
  check_plan_segment(plans_, in.audience == Audience::plan, in.plan);
  BroadcastRow b;
  b.id = new_uuid();
  b.created_by = me.id;
  b.audience = in.audience;
  b.subject_user_id = in.audience == Audience::followers ? in.user_id : std::nullopt;
  b.plan = in.plan;
  b.title = in.title;
  b.message = in.message;
  b.url = in.url;
  b.created_at = now_ms();
  store_.insert_broadcast(b);
  auto id = b.id;
  if (!submit_ || !submit_([this, id] { run_broadcast(id); })) {
    store_.broadcast_finished(id, BroadcastStatus::failed, now_ms());
    throw Error(ErrorCode::unavailable, "The server is too busy to send a broadcast now; try again.");
  }
  return b;
}

BroadcastRow NotificationsService::broadcast(const Principal& me, const std::string& id) {
  if (!me.staff()) throw_forbidden();
  auto b = store_.broadcast(id);
  if (!b) throw_not_found("No such broadcast.");
  return *b;
}

bool NotificationsService::FanoutPrefs::on(const std::string& user, Channel c) const {
  auto u = overrides.find(user);
  if (u != overrides.end())
    if (auto ch = u->second.find(c); ch != u->second.end()) return ch->second;
  return default_enabled(Type::admin_broadcast, c);
}

void NotificationsService::run_broadcast(const std::string& id) {
  auto b = store_.broadcast(id);
  if (!b || b->status != BroadcastStatus::queued) return;
  store_.broadcast_started(id, now_ms());
  try {
    json::object data{{"title", b->title}, {"message", b->message}, {"link", b->url}, {"broadcast_id", b->id}};
    auto text = render_notice(Type::admin_broadcast, data, 1);
    data["url"] = text.url;
    FanoutPrefs prefs{store_.overrides_for(Type::admin_broadcast), store_.all_settings()};
    // A plan's segment: everyone, less (free) or only (a paid plan) the paying users of the plan.
    std::map<std::string, std::string> paying;
    if (b->audience == Audience::plan && plans_) paying = plans_->paying_users();
    auto outside = [&](const std::string& user) {
      if (b->audience != Audience::plan) return false;
      auto it = paying.find(user);
      return (it == paying.end() ? std::string(kFreePlan) : it->second) != b->plan.value_or("");
    };
    std::string after;
    for (;;) {
      auto page = store_.audience_page(b->audience, b->subject_user_id.value_or(""), after,
                                       std::max(1, options_.broadcast_batch));
      if (page.empty()) break;
      after = page.back();
      std::erase_if(page, outside);
      if (!page.empty()) fan_out_page(*b, text, json::serialize(data), page, prefs);
    }
    store_.broadcast_finished(id, BroadcastStatus::done, now_ms());
  } catch (const std::exception& e) {
    spdlog::error("broadcast {} failed: {}", id, e.what());
    store_.broadcast_finished(id, BroadcastStatus::failed, now_ms());
  }
}

// One page of the audience: the rows in one batch, then the live events, then mail and push.
void NotificationsService::fan_out_page(const BroadcastRow& b, const Rendered& text, const std::string& data_json,
                                        const std::vector<std::string>& page, const FanoutPrefs& prefs) {
  std::vector<NotificationRow> rows;
  auto now = now_ms();
  for (auto& user : page) {
    if (!prefs.on(user, Channel::in_app)) continue;
    NotificationRow r;
    r.id = new_uuid();
    r.user_id = user;
    r.type = Type::admin_broadcast;
    r.title = text.title;
    r.message = text.message;
    r.data = data_json;
    r.actor_id = b.created_by;
    r.created_at = r.updated_at = now;
    rows.push_back(std::move(r));
  }
  auto counts = store_.insert_many(rows);
  store_.broadcast_progress(b.id, static_cast<long long>(rows.size()));
  std::map<std::string, std::string> row_of;
  for (auto& r : rows) {
    publish_row(r, false);
    publish_count(r.user_id, counts[r.user_id]);
    row_of[r.user_id] = r.id;
  }
  for (auto& user : page) {
    auto s = prefs.settings.find(user);
    if (s != prefs.settings.end() && s->second.muted) continue;
    if (!prefs.on(user, Channel::email) && !prefs.on(user, Channel::push)) continue;
    Delivery d;
    d.user_id = user;
    d.type = Type::admin_broadcast;
    d.text = text;
    d.data_json = data_json;
    for (auto c : {Channel::in_app, Channel::email, Channel::push})
      d.overrides.push_back({Type::admin_broadcast, c, prefs.on(user, c)});
    if (s != prefs.settings.end()) d.settings = s->second;
    d.notification_id = row_of[user];
    deliver_outside_app(d);
  }
}

}  // namespace wp::notifications

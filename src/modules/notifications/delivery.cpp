// Email and push for a notice, after its in-app row: mute, the channel
// preferences, digest mode and quiet hours decide; the mail is composed
// from the template files; the one-click unsubscribe of each mail.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "modules/notifications/quiet_hours.hpp"
#include "modules/notifications/service.hpp"
#include "modules/notifications/templates.hpp"

namespace wp::notifications {

namespace json = boost::json;

void NotificationsService::deliver_outside_app(const Delivery& d) {
  if (d.settings.muted) return;
  bool want_email = enabled(d.type, Channel::email, d.overrides) && d.settings.digest_mode != DigestMode::off;
  bool want_push = enabled(d.type, Channel::push, d.overrides);
  if (!want_email && !want_push) return;
  bool has_quiet_hours = d.settings.quiet_start && d.settings.quiet_end;
  // Asked only when needed: a broadcast's push to users without quiet hours asks nobody.
  std::optional<Contact> contact = d.contact;
  if (!contact && contact_of_ && (want_email || has_quiet_hours)) contact = contact_of_(d.user_id);
  if (contact && !contact->active) return;
  auto now = now_ms();
  std::optional<std::int64_t> quiet;
  if (has_quiet_hours)
    quiet = quiet_until(now, contact ? contact->timezone : "", *d.settings.quiet_start, *d.settings.quiet_end);
  if (want_push) {
    PushMessage m;
    m.user_id = d.user_id;
    m.notification_id = d.notification_id;
    m.type = std::string(to_string(d.type));
    m.title = d.text.title;
    m.body = d.text.message;
    m.url = d.text.url;
    m.data_json = d.data_json;
    m.urgency = std::string(type_info(d.type).urgency);
    m.not_before_ms = quiet.value_or(0);
    push_.enqueue(m);
  }
  if (!want_email || !contact || contact->email.empty()) return;
  if (d.settings.digest_mode == DigestMode::daily || quiet) {
    // Daily: the batch the user has waiting, or a new one due in a day.
    // Quiet hours: folded into a batch that goes when they end.
    std::int64_t due = quiet.value_or(now + std::int64_t{options_.digest_interval_s} * 1000);
    if (d.settings.digest_mode == DigestMode::daily) {
      auto waiting = store_.digest_due(d.user_id);
      due = waiting > 0 ? waiting : now + std::int64_t{options_.digest_interval_s} * 1000;
    }
    store_.add_digest_item({new_uuid(), d.user_id, std::string(to_string(d.type)), d.text.title, d.text.message,
                            link(d.text.url), now, due});
    return;
  }
  enqueue_email(d, *contact);
}

void NotificationsService::enqueue_email(const Delivery& d, const Contact& contact) {
  auto type = std::string(to_string(d.type));
  json::object vars{{"username", contact.username},
                    {"title", d.text.title},
                    {"message", d.text.message},
                    {"link", link(d.text.url)},
                    {"type_label", type_info(d.type).label},
                    {"unsubscribe_url", unsubscribe_url(d.user_id, type)},
                    {"settings_url", link("/settings/notifications")}};
  EmailRow e;
  e.id = new_uuid();
  e.user_id = d.user_id;
  if (!d.notification_id.empty()) e.notification_id = d.notification_id;
  e.type = type;
  e.to_address = contact.email;
  e.subject = render(keyed_lines(template_file("email/subjects.txt"))["notification"], vars, Escape::text);
  e.body_text = render(template_file("email/notification.txt"), vars, Escape::text);
  e.body_html = render(template_file("email/notification.html"), vars, Escape::html);
  e.unsubscribe_url = vars["unsubscribe_url"].as_string().c_str();
  e.max_attempts = options_.email_max_attempts;
  e.created_at = e.next_attempt_at = now_ms();
  store_.enqueue_email(e);
}

std::string NotificationsService::link(const std::string& path) const {
  if (path.rfind("http://", 0) == 0 || path.rfind("https://", 0) == 0) return path;
  std::string base = options_.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + (path.empty() || path.front() != '/' ? "/" : "") + path;
}

const std::string& NotificationsService::unsubscribe_key() {
  std::call_once(key_once_, [this] {
    key_ = store_.instance_secret("notifications_unsubscribe_key", random_hex(32), now_ms());
  });
  return key_;
}

std::string NotificationsService::unsubscribe_url(const std::string& user_id, const std::string& kind) {
  return link("/api/notifications/unsubscribe/?token=" + sign_unsubscribe(unsubscribe_key(), {user_id, kind}));
}

UnsubscribeTarget NotificationsService::unsubscribe(const std::string& token, bool apply) {
  auto target = verify_unsubscribe(unsubscribe_key(), token);
  bool digest = target && target->kind == "digest";
  if (!target || (!digest && !parse_enum<Type>(target->kind)))
    throw_validation("token", "This unsubscribe link is not valid.");
  if (!apply) return *target;
  if (digest)
    store_.set_digest_mode(target->user_id, DigestMode::off, now_ms());
  else
    store_.set_preferences(target->user_id, {{*parse_enum<Type>(target->kind), Channel::email, false}}, now_ms());
  spdlog::info("notifications: user {} unsubscribed from {} mail", target->user_id, target->kind);
  return *target;
}

}  // namespace wp::notifications

// The worker's steps: send one due mail of the outbox under a lease (retried
// with exponential backoff, failed for good after max attempts), fold due
// digests into mails, delete old notifications, and tell of parties starting.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "modules/notifications/service.hpp"
#include "modules/notifications/templates.hpp"

namespace wp::notifications {

namespace json = boost::json;

namespace {

// base * 2^(attempt-1), at most a day.
std::int64_t backoff_ms(int base_s, int attempt) {
  std::int64_t ms = std::int64_t{base_s} * 1000;
  for (int i = 1; i < attempt && ms < 86400000; ++i) ms *= 2;
  return std::min<std::int64_t>(ms, 86400000);
}

}  // namespace

bool NotificationsService::send_next_email(const std::string& worker_id, Mailer& mailer) {
  auto e = store_.claim_email(worker_id, now_ms(), std::int64_t{options_.email_lease_s} * 1000);
  if (!e) return false;
  Mail m;
  m.to = e->to_address;
  m.subject = e->subject;
  m.body = e->body_text;
  m.html_body = e->body_html;
  // One id for every attempt: a receiver can drop a copy sent again after a crash.
  m.message_id = e->id + "@watchparty";
  m.headers = {{"List-Unsubscribe", "<" + e->unsubscribe_url + ">"},
               {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}};
  try {
    mailer.send(m);
  } catch (const Error& err) {
    bool spent = e->attempts >= e->max_attempts;
    std::optional<std::int64_t> retry_at;
    if (!spent) retry_at = now_ms() + backoff_ms(options_.email_retry_base_s, e->attempts);
    store_.email_failed(e->id, worker_id, err.what(), retry_at, now_ms());
    spdlog::warn("notification mail {} to {} failed (attempt {} of {}): {}", e->id, e->to_address, e->attempts,
                 e->max_attempts, err.what());
    return true;
  }
  if (!store_.email_sent(e->id, worker_id, now_ms()))
    spdlog::warn("notification mail {} was sent after its lease passed to another worker", e->id);
  return true;
}

int NotificationsService::fold_due_digests() {
  int folded = 0;
  auto now = now_ms();
  for (auto& user_id : store_.due_digest_users(now)) {
    auto contact = contact_of_ ? contact_of_(user_id) : std::nullopt;
    auto mode = store_.settings(user_id).value_or(SettingsRow{}).digest_mode;
    // Made before the transaction: the first use of the key writes it (SQLite has one writer).
    auto unsubscribe = unsubscribe_url(user_id, "digest");
    bool done = store_.fold_digest(user_id, now, [&](const std::vector<DigestItemRow>& items) -> std::optional<EmailRow> {
      if (!contact || !contact->active || contact->email.empty() || mode == DigestMode::off) return std::nullopt;
      std::string text_items, html_items;
      for (auto& i : items) {
        json::object iv{{"title", i.title}, {"message", i.message}, {"link", i.url}};
        text_items += render(template_file("email/digest_item.txt"), iv, Escape::text);
        html_items += render(template_file("email/digest_item.html"), iv, Escape::html);
      }
      json::object vars{{"username", contact->username},
                        {"count", static_cast<std::int64_t>(items.size())},
                        {"mode", mode == DigestMode::daily ? "a daily digest" : "quiet hours"},
                        {"unsubscribe_url", unsubscribe},
                        {"settings_url", link("/settings/notifications")}};
      EmailRow e;
      e.id = new_uuid();
      e.user_id = user_id;
      e.type = "digest";
      e.to_address = contact->email;
      e.subject = render(keyed_lines(template_file("email/subjects.txt"))["digest"], vars, Escape::text);
      vars["items"] = text_items;
      e.body_text = render(template_file("email/digest.txt"), vars, Escape::text);
      vars["items"] = html_items;
      e.body_html = render(template_file("email/digest.html"), vars, Escape::html);
      e.unsubscribe_url = vars["unsubscribe_url"].as_string().c_str();
      e.max_attempts = options_.email_max_attempts;
      e.created_at = e.next_attempt_at = now;
      return e;
    });
    if (done) ++folded;
  }
  return folded;
}

long long NotificationsService::enforce_retention() {
  auto cutoff = now_ms() - std::int64_t{options_.retention_days} * 86400000;
  auto n = store_.delete_older_than(cutoff);
  if (n > 0) spdlog::info("notifications: {} older than {} days deleted", n, options_.retention_days);
  return n;
}

int NotificationsService::notify_party_starts() {
  if (!party_starts_) return 0;
  auto now = now_ms();
  auto until = now + std::int64_t{options_.party_start_lead_s} * 1000;
  auto from = store_.cursor("party_starting", now);
  // Whoever moves the cursor tells of the parties in between: once across workers.
  if (until <= from || !store_.advance_cursor("party_starting", from, until)) return 0;
  int told = 0;
  for (auto& p : party_starts_(from, until)) {
    json::object data{{"party_id", p.party_id}, {"party_title", p.title}, {"starts_at", to_rfc3339(p.scheduled_start)}};
    auto text = json::serialize(data);
    for (auto& user_id : p.user_ids) {
      try {
        notify({user_id, "party_starting", text, "", p.host_id});
        ++told;
      } catch (const Error& e) {
        spdlog::warn("party_starting for {} of party {} not stored: {}", user_id, p.party_id, e.what());
      }
    }
  }
  return told;
}

}  // namespace wp::notifications

#include "modules/push/store.hpp"

#include <soci/soci.h>

#include "core/ids.hpp"
#include "db/affected.hpp"
#include "db/columns.hpp"
#include "db/soci_optional.hpp"
#include "modules/push/sql.hpp"

namespace wp::push {

using soci::use;

namespace {

// A push is failed as expired only this long after its TTL ran out: one with
// TTL 0 ("deliver now or never", RFC 8030 5.2) still goes out once, at once,
// and the push service drops it when the browser is not there.
constexpr std::int64_t kExpiryGraceMs = 60 * 1000;

using db::changed;

void insert_push(soci::session& s, const NewPush& p, Channel channel, const std::optional<std::string>& sub,
                 const std::optional<std::string>& device, std::int64_t now) {
  std::string id = new_uuid_v7(), ch(to_string(channel)), urg(to_string(p.urgency));
  long long due = std::max(now, p.due_at), expires = due + static_cast<long long>(p.ttl_s) * 1000, t = now;
  s << sql::kInsertPush, use(id), use(p.user_id), use(ch), use(sub), use(device), use(p.notification_id),
      use(p.type), use(p.title), use(p.body), use(p.url), use(p.data), use(p.ttl_s), use(urg), use(p.max_attempts),
      use(due), use(expires), use(t), use(t);
}

}  // namespace

// ---------------------------------------------------------------- subscriptions and devices

SubscriptionRow Store::upsert_subscription(const SubscriptionRow& r, bool& created) {
  return db_.tx([&](soci::session& s) {
    long long c = r.created_at;
    s << sql::kUpsertSubscription, use(r.id), use(r.user_id), use(r.endpoint), use(r.p256dh), use(r.auth),
        use(r.user_agent), use(c);
    auto row = db::select_one(s, sql::kSubscription, sql::kSubscriptionByEndpoint, db::uses(r.endpoint));
    if (!row) throw Error(ErrorCode::unavailable, "The subscription changed meanwhile; try again.");
    created = row->id == r.id;
    return *row;
  });
}

std::vector<SubscriptionRow> Store::subscriptions_of(const std::string& user_id) {
  return db_.with(
      [&](soci::session& s) { return db::select_rows(s, sql::kSubscription, sql::kSubscriptionsOf, db::uses(user_id)); });
}

bool Store::delete_subscription_of(const std::string& id, const std::string& user_id) {
  return db_.with([&](soci::session& s) { return changed((s.prepare << sql::kDeleteSubscriptionOf, use(id), use(user_id))); });
}

DeviceTokenRow Store::upsert_device(const DeviceTokenRow& r, bool& created) {
  return db_.tx([&](soci::session& s) {
    long long c = r.created_at;
    std::string platform(to_string(r.platform));
    s << sql::kUpsertDevice, use(r.id), use(r.user_id), use(r.token), use(platform), use(c);
    auto row = db::select_one(s, sql::kDevice, sql::kDeviceByToken, db::uses(r.token));
    if (!row) throw Error(ErrorCode::unavailable, "The device changed meanwhile; try again.");
    created = row->id == r.id;
    return *row;
  });
}

std::vector<DeviceTokenRow> Store::devices_of(const std::string& user_id) {
  return db_.with([&](soci::session& s) { return db::select_rows(s, sql::kDevice, sql::kDevicesOf, db::uses(user_id)); });
}

bool Store::delete_device_of(const std::string& id, const std::string& user_id) {
  return db_.with([&](soci::session& s) { return changed((s.prepare << sql::kDeleteDeviceOf, use(id), use(user_id))); });
}

bool Store::delete_device_token(const std::string& token) {
  return db_.with([&](soci::session& s) { return changed((s.prepare << sql::kDeleteDeviceToken, use(token))); });
}

// ---------------------------------------------------------------- the outbox

int Store::enqueue(const NewPush& p, bool with_devices, std::int64_t now) {
  return db_.tx([&](soci::session& s) {
    int n = 0;
    for (auto& sub : db::select_rows(s, sql::kSubscription, sql::kSubscriptionsOf, db::uses(p.user_id))) {
      insert_push(s, p, Channel::web, sub.id, std::nullopt, now);
      ++n;
    }
    if (!with_devices) return n;
    for (auto& dev : db::select_rows(s, sql::kDevice, sql::kDevicesOf, db::uses(p.user_id))) {
      insert_push(s, p, Channel::fcm, std::nullopt, dev.id, now);
      ++n;
    }
    return n;
  });
}

std::vector<PushRow> Store::pushes_of(const std::string& user_id, int limit, int offset) {
  return db_.with(
      [&](soci::session& s) { return db::select_rows(s, sql::kPush, sql::kPushesOf, db::uses(user_id, limit, offset)); });
}

long long Store::count_pushes_of(const std::string& user_id) {
  return db_.with([&](soci::session& s) { return db::fetch_count(s, sql::kCountPushesOf, db::uses(user_id)); });
}

std::optional<PushRow> Store::push_of(const std::string& id, const std::string& user_id) {
  return db_.with([&](soci::session& s) { return db::select_one(s, sql::kPush, sql::kPushOfUser, db::uses(id, user_id)); });
}

std::vector<AttemptRow> Store::attempts_of(const std::string& push_id) {
  return db_.with([&](soci::session& s) { return db::select_rows(s, sql::kAttempt, sql::kAttemptsOf, db::uses(push_id)); });
}

std::vector<Delivery> Store::claim(const std::string& worker_id, const ClaimRules& rules) {
  return db_.tx([&](soci::session& s) {
    long long t = rules.now, stale = rules.now - rules.lease_ms, expired_before = rules.now - kExpiryGraceMs;
    const std::string lost = "the worker stopped during the request; not sent again (it may have arrived)";
    const std::string expired = "expired: its TTL passed before it could be sent";
    const std::string orphan = "the subscription or device was removed";
    s << sql::kRecordLostSends, use(lost), use(t), use(stale);
    s << sql::kFailLostSends, use(lost), use(t), use(stale);
    s << sql::kFailExpired, use(expired), use(t), use(expired_before), use(stale);
    s << sql::kFailOrphans, use(orphan), use(t);
    std::string due = sql::kDue;
    if (db_.dialect() == db::Dialect::postgresql) due += sql::kSkipLocked;
    std::vector<std::string> picked;
    {
      soci::rowset<std::string> rows = (s.prepare << due, use(t), use(stale), use(rules.limit));
      picked.assign(rows.begin(), rows.end());
    }
    std::vector<Delivery> out;
    for (auto& id : picked) {
      s << sql::kLease, use(worker_id), use(t), use(id);
      Delivery d;
      d.push = *db::select_one(s, sql::kPush, sql::kPushById, db::uses(id));
      if (d.push.subscription_id)
        d.subscription = db::select_one(s, sql::kSubscription, sql::kSubscriptionById, db::uses(*d.push.subscription_id));
      if (d.push.device_id) d.device = db::select_one(s, sql::kDevice, sql::kDeviceById, db::uses(*d.push.device_id));
      // A target taken over by another account since (a shared phone or
      // browser) is not this push's any more: it counts as gone.
      if (d.subscription && d.subscription->user_id != d.push.user_id) d.subscription.reset();
      if (d.device && d.device->user_id != d.push.user_id) d.device.reset();
      out.push_back(std::move(d));
    }
    return out;
  });
}

bool Store::start_send(const std::string& push_id, const std::string& worker_id, std::int64_t now) {
  return db_.with([&](soci::session& s) {
    long long t = now;
    return changed((s.prepare << sql::kStartSend, use(t), use(t), use(push_id), use(worker_id)));
  });
}

bool Store::finish(const Delivery& d, const std::string& worker_id, const Outcome& o, std::int64_t started_at,
                   std::int64_t now) {
  return db_.tx([&](soci::session& s) {
    long long t = now, started = started_at, next = o.next_attempt_at;
    const std::string& id = d.push.id;
    bool held = false;
    switch (o.verdict) {
      case Verdict::sent:
        held = changed((s.prepare << sql::kFinishSent, use(o.http_status), use(t), use(t), use(id), use(worker_id)));
        break;
      case Verdict::retry:
        held = changed((s.prepare << sql::kFinishRetry, use(o.http_status), use(o.error), use(next), use(t), use(id),
                        use(worker_id)));
        break;
      case Verdict::failed:
      case Verdict::gone:
        held = changed((s.prepare << sql::kFinishFailed, use(o.http_status), use(o.error), use(t), use(id),
                        use(worker_id)));
        break;
    }
    if (!held) return false;
    int attempt = d.push.attempts + 1;  // start_send counted it
    std::string attempt_id = id + "/" + std::to_string(attempt);
    s << sql::kInsertAttempt, use(attempt_id), use(id), use(attempt), use(worker_id), use(o.http_status), use(o.error),
        use(started), use(t);
    const bool web = d.push.channel == Channel::web;
    const std::optional<std::string>& target = web ? d.push.subscription_id : d.push.device_id;
    if (!target) return true;
    if (o.verdict == Verdict::sent) s << (web ? sql::kSubscriptionUsed : sql::kDeviceUsed), use(t), use(*target);
    if (o.verdict == Verdict::gone) s << (web ? sql::kDeleteSubscription : sql::kDeleteDevice), use(*target);
    return true;
  });
}

void Store::release(const std::string& push_id, const std::string& worker_id) {
  db_.with([&](soci::session& s) { s << sql::kRelease, use(push_id), use(worker_id); });
}

long long Store::purge_settled(std::int64_t cutoff) {
  return db_.with([&](soci::session& s) {
    long long c = cutoff;
    soci::statement st = (s.prepare << sql::kPurgeSettled, use(c));
    return db::execute_counting(st);
  });
}

}  // namespace wp::push

// Staff broadcasts: recorded, announced to every socket on every node at
// once (each node records how many sockets it handed the message to), and
// handed to the notifications module's fan-out for the segment.
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "modules/admin/protocol.hpp"
#include "modules/admin/service.hpp"

namespace wp::admin {

namespace json = boost::json;

BroadcastRow AdminService::start_broadcast(const Principal& me, const BroadcastInput& in) {
  if (!me.staff()) throw_forbidden("Staff access is required.");
  const auto now = now_ms();
  if (in.expires_at && *in.expires_at <= now) throw_validation("expires_at", "Must be in the future.");
  BroadcastRow b;
  b.id = new_uuid();
  b.created_by = me.id;
  b.message = in.message;
  b.severity = in.severity;
  b.audience = in.audience;
  b.expires_at = in.expires_at;
  b.created_at = now;
  store_.insert_broadcast(b);
  audit(me, AuditCategory::admin, "Broadcast sent",
        json::serialize(json::object{{"broadcast_id", b.id},
                                     {"severity", to_string(b.severity)},
                                     {"audience", to_string(b.audience)},
                                     {"notify", in.notify}}));
  if (broadcast_hooks_.announce) broadcast_hooks_.announce(protocol::broadcast_message(b));
  if (in.notify && broadcast_hooks_.notify) {
    try {
      auto id = broadcast_hooks_.notify(me, b);
      store_.set_notification_broadcast(b.id, id);
      b.notification_broadcast_id = id;
    } catch (const Error& e) {
      // The sockets have it already; the notification is the part that failed.
      spdlog::warn("broadcast {}: notification fan-out not started: {}", b.id, e.what());
    }
  }
  return b;
}

void AdminService::delivered(const std::string& id, int sockets) {
  store_.record_delivery(id, settings_.node_id, sockets, now_ms());
}

BroadcastStatus AdminService::broadcast(const Principal& me, const std::string& id) {
  if (!me.staff()) throw_forbidden("Staff access is required.");
  auto b = store_.broadcast(id);
  if (!b) throw_not_found("No such broadcast.");
  BroadcastStatus s{*b, store_.deliveries(id), std::nullopt};
  if (b->notification_broadcast_id && broadcast_hooks_.progress)
    s.notification = broadcast_hooks_.progress(me, *b->notification_broadcast_id);
  return s;
}

std::vector<BroadcastRow> AdminService::broadcasts(const Principal& me, int limit, int offset, long long& count) {
  if (!me.staff()) throw_forbidden("Staff access is required.");
  return store_.broadcasts(limit, offset, count);
}

std::vector<BroadcastRow> AdminService::active_broadcasts() { return store_.active_broadcasts(now_ms()); }

}  // namespace wp::admin

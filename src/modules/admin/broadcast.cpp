// Staff broadcasts: recorded, announced at once to every socket on every node
// when the audience is everyone (each node records how many sockets it handed
// the message to), and handed to the notifications module's fan-out for the
// segment. A segment's banner (staff, a plan) shows only to its members.
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "modules/admin/protocol.hpp"
#include "modules/admin/service.hpp"

namespace wp::admin {

namespace json = boost::json;

bool AdminService::in_segment(const Principal& me, const BroadcastRow& b) {
  switch (b.audience) {
    case Segment::all: return true;
    case Segment::staff: return me.staff();
    case Segment::plan: return b.plan && plan_of(plans_, me.id) == *b.plan;
  }
  return false;
}

BroadcastRow AdminService::start_broadcast(const Principal& me, const BroadcastInput& in) {
  if (!me.staff()) throw_forbidden("Staff access is required.");
  const auto now = now_ms();
  if (in.expires_at && *in.expires_at <= now) throw_validation("expires_at", "Must be in the future.");
  check_plan_segment(plans_, in.audience == Segment::plan, in.plan);
  BroadcastRow b;
  b.id = new_uuid();
  b.created_by = me.id;
  b.message = in.message;
  b.severity = in.severity;
  b.audience = in.audience;
  b.plan = in.plan;
  b.expires_at = in.expires_at;
  b.created_at = now;
  store_.insert_broadcast(b);
  audit(me, AuditCategory::admin, "Broadcast sent",
        json::serialize(json::object{{"broadcast_id", b.id},
                                     {"severity", to_string(b.severity)},
                                     {"audience", to_string(b.audience)},
                                     {"notify", in.notify}}));
  if (b.audience == Segment::all && broadcast_hooks_.announce) broadcast_hooks_.announce(protocol::broadcast_message(b));
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

std::vector<BroadcastRow> AdminService::active_broadcasts(const Principal& me) {
  auto rows = store_.active_broadcasts(now_ms());
  std::erase_if(rows, [&](const BroadcastRow& b) { return !in_segment(me, b); });
  return rows;
}

}  // namespace wp::admin

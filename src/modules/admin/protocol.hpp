#pragma once
// The one realtime message of the admin area (docs/realtime.md,
// "admin_broadcast"): the same text on party sockets and /ws/user/ sockets.
#include <string>

#include "modules/admin/model.hpp"

namespace wp::admin::protocol {

// {"type":"admin_broadcast","data":{"id","message","severity","expires_at","created_at"}}
std::string broadcast_message(const BroadcastRow& b);
// The broadcast id inside such a message (to record who delivered it); empty when none.
std::string broadcast_id_of(const std::string& message_json);

}  // namespace wp::admin::protocol

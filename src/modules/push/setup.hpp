#pragma once
// The push service as the settings describe it: the VAPID key (configured,
// or kept in the data dir), the FCM client when a service account is set.
#include <memory>

#include "core/config.hpp"
#include "modules/push/service.hpp"

namespace wp::push {

// Throws std::runtime_error with a message for the operator (a bad key, an
// unreadable service account, a lease not longer than two request timeouts).
std::unique_ptr<PushService> make_service(Store& store, const Config& config);

}  // namespace wp::push

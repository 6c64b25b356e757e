#include "core/notifier.hpp"

#include <spdlog/spdlog.h>

#include "core/error.hpp"

namespace wp {

void notify_quietly(Notifier* notifier, const Notice& notice) {
  if (!notifier) return;
  try {
    notifier->notify(notice);
  } catch (const Error& e) {
    spdlog::warn("notification {} for user {} not delivered: {}", notice.type, notice.user_id, e.what());
  }
}

}  // namespace wp

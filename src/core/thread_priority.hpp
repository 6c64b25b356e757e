#pragma once
// The OS priority of a pool's threads: bulk work (analytics ingestion) runs
// below the I/O threads so that the kernel schedules realtime work first.
// Linux: a thread's nice value and policy are its own (setpriority on its
// tid, sched_setscheduler(0)); lowering either needs no privilege.
#include <optional>
#include <string>

#include "core/enum_names.hpp"

namespace wp {

enum class SchedPolicy { other, batch, idle };

struct ThreadPriority {
  SchedPolicy policy = SchedPolicy::other;
  int nice = 0;  // 0..19 (SCHED_IDLE is below every nice value whatever this is)
};

// Applies p to the calling thread. Returns the reason when the kernel
// refused (the thread then keeps its priority), nullopt on success.
std::optional<std::string> apply_to_this_thread(const ThreadPriority& p);

// The calling thread's priority as the kernel reports it.
ThreadPriority this_thread_priority();

}  // namespace wp

WP_ENUM_NAMES(wp::SchedPolicy, {wp::SchedPolicy::other, "other"}, {wp::SchedPolicy::batch, "batch"},
              {wp::SchedPolicy::idle, "idle"});

#include "core/thread_priority.hpp"

#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wp {

namespace {

int policy_of(SchedPolicy p) {
  switch (p) {
    case SchedPolicy::batch: return SCHED_BATCH;
    case SchedPolicy::idle: return SCHED_IDLE;
    case SchedPolicy::other: break;
  }
  return SCHED_OTHER;
}

pid_t this_tid() { return static_cast<pid_t>(::syscall(SYS_gettid)); }

}  // namespace

std::optional<std::string> apply_to_this_thread(const ThreadPriority& p) {
  // On Linux both calls act on one thread when given its tid (or 0), not on the process.
  sched_param param{};
  if (::sched_setscheduler(0, policy_of(p.policy), &param) != 0)
    return std::string("sched_setscheduler: ") + std::strerror(errno);
  if (::setpriority(PRIO_PROCESS, static_cast<id_t>(this_tid()), p.nice) != 0)
    return std::string("setpriority: ") + std::strerror(errno);
  return std::nullopt;
}

ThreadPriority this_thread_priority() {
  ThreadPriority p;
  switch (::sched_getscheduler(0)) {
    case SCHED_BATCH: p.policy = SchedPolicy::batch; break;
    case SCHED_IDLE: p.policy = SchedPolicy::idle; break;
    default: p.policy = SchedPolicy::other; break;
  }
  errno = 0;
  p.nice = ::getpriority(PRIO_PROCESS, static_cast<id_t>(this_tid()));
  return p;
}

}  // namespace wp

#include "core/memory.hpp"

#include <malloc.h>

#include <atomic>

namespace wp::memory {

void cap_arenas(int arenas) {
  if (arenas > 0) mallopt(M_ARENA_MAX, arenas);
}

namespace {
std::atomic<bool>& queued_flag() {
  static std::atomic<bool> queued{false};
  return queued;
}
}  // namespace

bool claim_trim() { return !queued_flag().exchange(true); }

void trim() {
  // Cleared first: memory freed while this trim runs asks for the next one.
  queued_flag() = false;
  malloc_trim(0);
}

}  // namespace wp::memory

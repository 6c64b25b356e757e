#pragma once
// Giving memory back to the system. glibc keeps freed memory in its arenas
// (one per thread that allocated, up to 8 per core): after a burst of large
// requests the process stays at its peak. The arena count is capped at
// start, and after a large body the free tops of the arenas are returned.
#include <cstddef>

namespace wp::memory {

// Caps glibc's arena count (M_ARENA_MAX); 0 leaves glibc's default.
void cap_arenas(int arenas);

// A request body or message this large is worth a trim once it is freed.
inline constexpr std::size_t kTrimAfterBytes = 256 * 1024;

// Whether the caller should queue a trim(): true for one caller until that
// trim starts, so a burst of large bodies queues one trim, and memory freed
// while it runs queues the next.
bool claim_trim();
// Returns free memory to the system (malloc_trim). Takes arena locks and
// walks free lists: run it on the blocking pool, never on an I/O thread.
void trim();

}  // namespace wp::memory

#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace wp {

// Random (version 4) UUID in canonical lower-case form.
std::string new_uuid();
// A request's id, in the shape of a UUID (36 characters): unique, not
// secret. A random 64-bit start per thread and a counter, so that making
// one costs no system call (new_uuid asks the kernel for randomness).
std::string new_request_id();
// Time-ordered (version 7) UUID: ids made later in this process compare
// greater, even within one millisecond. ms_out receives its timestamp.
std::string new_uuid_v7(std::int64_t* ms_out = nullptr);
// True for a canonical 8-4-4-4-12 hex UUID (either case).
bool is_uuid(std::string_view s);
// Hex of n cryptographically random bytes.
std::string random_hex(std::size_t n_bytes);

}  // namespace wp

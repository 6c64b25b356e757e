#pragma once
// A crash's signature: its top frames with what varies between builds and
// runs taken out (addresses, line numbers, offsets, frame indexes), so that
// the same crash groups together across reports and app versions.
#include <string>
#include <string_view>
#include <vector>

namespace wp::mobile {

constexpr std::size_t kSignatureFrames = 5;

// One frame line without its address, line number, offset or index.
std::string normalize_frame(std::string_view line);
// The first frames of a stack trace (the lines after its first, the
// exception's, when there are any), normalized.
std::vector<std::string> top_frames(std::string_view stack_trace, std::size_t n = kSignatureFrames);

struct CrashSignature {
  std::string signature;  // hex SHA-256 of the platform and the top frames
  std::string title;      // the trace's first line, for people
};
CrashSignature crash_signature(std::string_view platform, std::string_view stack_trace);

}  // namespace wp::mobile

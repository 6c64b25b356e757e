#pragma once
// Child processes (ffprobe, ffmpeg) with a deadline, a stop check, stdout
// read line by line and the tail of stderr kept for error reports.
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace wp {

struct ProcessResult {
  int exit_code = -1;      // -1 when killed by a signal
  bool timed_out = false;  // killed because the deadline passed
  bool stopped = false;    // killed because should_stop said so
  std::string out;         // stdout, when collected (bounded)
  std::string err_tail;    // the last few KiB of stderr

  bool ok() const { return exit_code == 0 && !timed_out && !stopped; }
  // One line for logs and job errors.
  std::string describe() const;
};

struct ProcessOptions {
  std::chrono::milliseconds timeout{std::chrono::hours(1)};
  std::function<void(std::string_view line)> on_line;  // each stdout line, when set
  std::function<bool()> should_stop;                   // polled a few times a second
  bool collect_stdout = false;                         // keep stdout in ProcessResult::out
  std::size_t max_stdout = 4 * 1024 * 1024;
};

// Runs argv[0] (looked up on PATH) with argv. The child gets no stdin and
// dies with the thread that started it (PR_SET_PDEATHSIG). Throws
// std::runtime_error when the process cannot be started at all.
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options);

}  // namespace wp

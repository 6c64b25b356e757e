// Child processes: exit codes, stdout lines, stderr tail, deadline and stop.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>

#include "core/process.hpp"

using namespace std::chrono_literals;

TEST(Process, ExitCodeLinesAndStderrTail) {
  wp::ProcessOptions o;
  std::vector<std::string> lines;
  o.on_line = [&](std::string_view l) { lines.emplace_back(l); };
  o.collect_stdout = true;
  auto r = wp::run_process({"sh", "-c", "echo one; echo two; echo broken >&2; exit 3"}, o);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(lines, (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(r.out, "one\ntwo\n");
  EXPECT_EQ(r.err_tail, "broken\n");
  EXPECT_EQ(r.describe(), "exited with 3: broken");
}

TEST(Process, DeadlineKills) {
  wp::ProcessOptions o;
  o.timeout = 200ms;
  auto t0 = std::chrono::steady_clock::now();
  auto r = wp::run_process({"sleep", "10"}, o);
  EXPECT_TRUE(r.timed_out);
  EXPECT_FALSE(r.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
}

TEST(Process, StopCheckKills) {
  std::atomic<bool> stop{false};
  wp::ProcessOptions o;
  o.should_stop = [&] { return stop.load(); };
  o.on_line = [&](std::string_view) { stop = true; };
  auto r = wp::run_process({"sh", "-c", "echo go; sleep 10"}, o);
  EXPECT_TRUE(r.stopped);
  EXPECT_FALSE(r.timed_out);
}

TEST(Process, MissingProgram) {
  auto r = wp::run_process({"/nonexistent/wp-no-such-binary"}, {});
  EXPECT_EQ(r.exit_code, 127);
  EXPECT_FALSE(r.ok());
}

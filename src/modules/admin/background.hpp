#pragma once
// The admin area's periodic work on this node: the heartbeat (health of
// every node), a PerformanceMetric snapshot, and the retention of logs,
// errors and metrics. A thread keeps the time; the work itself runs on the
// blocking pool (SQL, Redis), one task of each kind at a time.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "core/metrics.hpp"
#include "modules/admin/service.hpp"

namespace wp::admin {

struct Intervals {
  std::chrono::milliseconds heartbeat{std::chrono::seconds(10)};
  std::chrono::milliseconds sample{std::chrono::seconds(60)};
  std::chrono::milliseconds prune{std::chrono::hours(1)};
};

class Background {
 public:
  using Submit = std::function<bool(std::function<void()>)>;
  // Queue depths to keep as series (queue_<name>), read when sampling.
  using Queues = std::function<std::map<std::string, long long>()>;

  Background(AdminService& service, Submit submit, Intervals intervals, Queues queues = {});
  ~Background() { stop(); }
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  void start();
  void stop();

 private:
  void run();
  // Runs job on the pool unless the previous one of its kind is still running.
  void once(std::atomic<bool>& busy, const char* what, std::function<void()> job);
  void sample();

  AdminService& service_;
  Submit submit_;
  Intervals intervals_;
  Queues queues_;
  Metrics::Snapshot last_;
  std::chrono::steady_clock::time_point last_at_;
  std::atomic<bool> beating_{false}, sampling_{false}, pruning_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace wp::admin

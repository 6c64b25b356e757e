// The rules that keep bulk work (analytics ingestion) behind realtime work:
// the lag gate's shedding decisions and the bulk pool's thread priority.
#include <gtest/gtest.h>

#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <future>
#include <thread>

#include "core/blocking_pool.hpp"
#include "core/config.hpp"
#include "core/lag_gate.hpp"
#include "core/thread_priority.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = wp::LagGate::Clock;

wp::LagGate gate(std::chrono::milliseconds threshold, std::chrono::milliseconds hold) {
  return wp::LagGate({.interval = 10ms, .threshold = threshold, .hold = hold});
}

TEST(LagGate, AProbeOnTimeOrEarlyIsNoLag) {
  auto g = gate(5ms, 1000ms);
  auto t = Clock::now();
  EXPECT_EQ(g.observe(t, t), 0us);
  EXPECT_EQ(g.observe(t, t - 3ms), 0us);
  EXPECT_EQ(g.observe(t, t + 2ms), 2000us);
  EXPECT_FALSE(g.shedding(t + 2ms));
  EXPECT_EQ(g.late_probes(), 0u);
}

TEST(LagGate, ALateProbeShedsForTheHoldAndEachLateProbeRestartsIt) {
  auto g = gate(5ms, 1000ms);
  auto t = Clock::now();
  g.observe(t, t + 5ms);  // at the threshold: not over it
  EXPECT_FALSE(g.shedding(t + 5ms));
  g.observe(t, t + 6ms);
  EXPECT_TRUE(g.shedding(t + 6ms));
  EXPECT_TRUE(g.shedding(t + 1005ms));
  EXPECT_FALSE(g.shedding(t + 1006ms));
  // Lagging again half-way through the hold pushes its end back.
  g.observe(t + 500ms, t + 520ms);
  EXPECT_TRUE(g.shedding(t + 1400ms));
  EXPECT_FALSE(g.shedding(t + 1520ms));
  EXPECT_EQ(g.late_probes(), 2u);
}

TEST(LagGate, AnEarlierLateProbeNeverShortensTheHold) {
  auto g = gate(5ms, 1000ms);
  auto t = Clock::now();
  g.observe(t + 900ms, t + 950ms);
  g.observe(t, t + 10ms);  // an older probe reported last (another I/O thread)
  EXPECT_TRUE(g.shedding(t + 1900ms));
}

TEST(LagGate, ThresholdZeroNeverSheds) {
  auto g = gate(0ms, 1000ms);
  auto t = Clock::now();
  g.observe(t, t + 5s);
  EXPECT_FALSE(g.shedding(t + 5s));
  EXPECT_EQ(g.late_probes(), 0u);
}

TEST(LagGate, RetryAfterIsTheRestOfTheHoldInWholeSecondsAtLeastOne) {
  auto g = gate(5ms, 2500ms);
  auto t = Clock::now();
  g.observe(t, t + 10ms);  // shedding until t + 2510 ms
  EXPECT_EQ(g.retry_after_s(t + 10ms), 3);
  EXPECT_EQ(g.retry_after_s(t + 1600ms), 1);
  EXPECT_EQ(g.retry_after_s(t + 2500ms), 1);
  EXPECT_EQ(g.retry_after_s(t + 9s), 1);
}

TEST(LagGate, TheMetricIsTheLargestLagOfTheLastWholeSecond) {
  auto g = gate(0ms, 0ms);
  auto t = Clock::now();
  g.observe(t, t);  // opens the first window
  g.observe(t + 100ms, t + 103ms);
  g.observe(t + 200ms, t + 208ms);
  g.observe(t + 300ms, t + 301ms);
  EXPECT_EQ(g.recent_max_lag_s(), 0.0);  // the first second is not over yet
  g.observe(t + 1000ms, t + 1001ms);
  EXPECT_DOUBLE_EQ(g.recent_max_lag_s(), 0.008);
  g.observe(t + 2100ms, t + 2100ms);
  EXPECT_DOUBLE_EQ(g.recent_max_lag_s(), 0.001);
}

TEST(LagGate, ShedRefusalsAreCounted) {
  auto g = gate(5ms, 1000ms);
  g.count_shed();
  g.count_shed();
  EXPECT_EQ(g.shed(), 2u);
}

// What the kernel says about the thread a pool task runs on.
struct Seen {
  int policy = -1;
  int nice = -100;
  wp::ThreadPriority reported;
};

Seen seen_on(wp::BlockingPool& pool) {
  std::promise<Seen> p;
  auto f = p.get_future();
  EXPECT_TRUE(pool.try_submit([&p] {
    Seen s;
    auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    s.policy = ::sched_getscheduler(static_cast<pid_t>(tid));
    errno = 0;
    s.nice = ::getpriority(PRIO_PROCESS, tid);
    s.reported = wp::this_thread_priority();
    p.set_value(s);
  }));
  return f.get();
}

TEST(BulkPool, ItsThreadsRunAtTheAskedNiceValueAndPolicy) {
  const int base = ::getpriority(PRIO_PROCESS, 0);
  if (base > 10) GTEST_SKIP() << "the test process runs at nice " << base;
  wp::BlockingPool batch(2, 4, {wp::SchedPolicy::batch, 19});
  auto s = seen_on(batch);
  EXPECT_EQ(s.policy, SCHED_BATCH);
  EXPECT_EQ(s.nice, 19);
  EXPECT_EQ(s.reported.policy, wp::SchedPolicy::batch);
  EXPECT_EQ(s.reported.nice, 19);

  wp::BlockingPool idle(1, 4, {wp::SchedPolicy::idle, 19});
  EXPECT_EQ(seen_on(idle).policy, SCHED_IDLE);

  wp::BlockingPool niced(1, 4, {wp::SchedPolicy::other, 12});
  auto n = seen_on(niced);
  EXPECT_EQ(n.policy, SCHED_OTHER);
  EXPECT_EQ(n.nice, 12);
}

TEST(BulkPool, AnOrdinaryPoolAndTheCallerKeepTheProcesssPriority) {
  const int base = ::getpriority(PRIO_PROCESS, 0);
  wp::BlockingPool low(1, 4, {wp::SchedPolicy::batch, 19});
  (void)seen_on(low);
  wp::BlockingPool plain(1, 4);
  auto s = seen_on(plain);
  EXPECT_EQ(s.policy, SCHED_OTHER);
  EXPECT_EQ(s.nice, base);
  // The priority is the pool thread's own, not the process's.
  EXPECT_EQ(::sched_getscheduler(0), SCHED_OTHER);
  EXPECT_EQ(::getpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid))), base);
}

TEST(BulkPool, DefaultsPutIngestionBelowTheIoThreadsAndGiveItDatabaseConnections) {
  wp::Config c;
  EXPECT_EQ(c.bulk_policy, "batch");
  EXPECT_EQ(c.bulk_nice, 19);
  EXPECT_GT(c.bulk_shed_lag_ms, 0);
  c.database_url = "postgresql://wp@127.0.0.1/wp";
  EXPECT_EQ(c.effective_db_pool_size(), c.blocking_threads + c.bulk_threads);
}

TEST(DbPool, SqliteGetsConnectionsForTheCoresNotForEveryThread) {
  wp::Config c;
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  EXPECT_EQ(c.effective_db_pool_size(), std::min(c.blocking_threads + c.bulk_threads, std::max(4, 2 * cores)));
  c.blocking_threads = 1;
  c.bulk_threads = 1;
  EXPECT_EQ(c.effective_db_pool_size(), 2);  // never more than the threads that use them
  c.db_pool_size = 7;
  EXPECT_EQ(c.effective_db_pool_size(), 7);  // as configured, on either database
  c.database_url = "sqlite:///tmp/x.db";
  EXPECT_EQ(c.effective_db_pool_size(), 7);
}

}  // namespace

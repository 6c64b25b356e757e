#include "modules/videos/worker.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"

namespace wp::videos {

Workers::Workers(VideosService& service, int threads) : service_(service), count_(threads) {
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  id_prefix_ = std::string(host) + ":" + std::to_string(::getpid()) + ":" + random_hex(4);
}

Workers::~Workers() { stop(); }

void Workers::add_periodic(std::string name, std::chrono::milliseconds every, std::function<void()> job) {
  periodic_.push_back({std::move(name), every, std::move(job), std::chrono::steady_clock::now()});
}

void Workers::run_due_periodic(const std::string& worker_id) {
  auto now = std::chrono::steady_clock::now();
  for (auto& p : periodic_) {
    if (now < p.next) continue;
    p.next = now + p.every;
    try {
      p.job();
    } catch (const std::exception& e) {
      spdlog::warn("worker {}: {} failed: {}", worker_id, p.name, log::redact_sql_error(e.what()));
    }
  }
}

void Workers::start() {
  for (int i = 0; i < count_; ++i) threads_.emplace_back([this, i] { loop(i); });
  spdlog::info("{} video worker thread(s) started ({})", count_, id_prefix_);
}

void Workers::stop() {
  if (threads_.empty()) return;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
  spdlog::info("video workers stopped");
}

void Workers::loop(int index) {
  std::string worker_id = id_prefix_ + "/" + std::to_string(index);
  auto stopping = [this] { return stopping_.load(); };
  bool failing = false;  // log a failure streak once, not at every poll
  // Thread 0 also expires abandoned tus uploads, at most once a minute.
  auto janitor_every = std::chrono::seconds(std::min(60, service_.upload_expiry_s()));
  auto next_janitor = std::chrono::steady_clock::now();
  while (!stopping_) {
    if (index == 0 && std::chrono::steady_clock::now() >= next_janitor) {
      next_janitor = std::chrono::steady_clock::now() + janitor_every;
      try {
        service_.expire_uploads();
      } catch (const std::exception& e) {
        spdlog::warn("worker {}: cannot expire uploads: {}", worker_id, log::redact_sql_error(e.what()));
      }
    }
    if (index == 0) run_due_periodic(worker_id);
    std::optional<JobRow> job;
    try {
      job = service_.claim_job(worker_id);
      if (failing) spdlog::info("worker {}: claiming jobs again", worker_id);
      failing = false;
    } catch (const std::exception& e) {
      // Database down, or the schema not migrated yet: wait and try again.
      if (!failing) spdlog::warn("worker {}: cannot claim a job: {}", worker_id, log::redact_sql_error(e.what()));
      failing = true;
    }
    if (job) {
      try {
        service_.run_job(*job, worker_id, stopping);
      } catch (const Error& e) {
        // The database went away mid-job: the lease expires and the job is retried.
        spdlog::error("worker {}: job {} interrupted: {}", worker_id, job->id, e.what());
      } catch (const std::exception& e) {
        // A bug or a resource failure (fork, disk): logged; the lease expires and the job is retried.
        spdlog::error("worker {}: job {} crashed: {}", worker_id, job->id, e.what());
      }
      continue;
    }
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(service_.worker_poll_ms()), [this] { return stopping_.load(); });
  }
}

}  // namespace wp::videos

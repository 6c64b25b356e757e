#pragma once
// A bounded set of threads that claim processing jobs and run them. Used by
// `watchparty worker` and, when run_workers_in_serve is on, by `serve`.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "modules/videos/service.hpp"

namespace wp::videos {

class Workers {
 public:
  Workers(VideosService& service, int threads);
  ~Workers();
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  // Before start: a housekeeping job of another module (app.cpp wires it),
  // run by the first thread every `every`, between processing jobs.
  void add_periodic(std::string name, std::chrono::milliseconds every, std::function<void()> job);

  void start();
  // Running ffmpeg processes are killed and their jobs go back to the queue.
  void stop();

 private:
  void loop(int index);
  void run_due_periodic(const std::string& worker_id);

  struct Periodic {
    std::string name;
    std::chrono::milliseconds every;
    std::function<void()> job;
    std::chrono::steady_clock::time_point next;
  };
  std::vector<Periodic> periodic_;  // only thread 0 touches it once started

  VideosService& service_;
  int count_;
  std::string id_prefix_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::thread> threads_;
};

}  // namespace wp::videos

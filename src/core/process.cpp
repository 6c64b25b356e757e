#include "core/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace wp {

namespace {

constexpr std::size_t kErrTail = 4096;

struct Pipe {
  int fd[2] = {-1, -1};
  Pipe() {
    if (::pipe2(fd, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  void close_read() {
    if (fd[0] >= 0) ::close(fd[0]);
    fd[0] = -1;
  }
  void close_write() {
    if (fd[1] >= 0) ::close(fd[1]);
    fd[1] = -1;
  }
};

}  // namespace

std::string ProcessResult::describe() const {
  std::string what = timed_out ? "timed out" : stopped ? "stopped" : "exited with " + std::to_string(exit_code);
  auto tail = err_tail;
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.pop_back();
  if (auto nl = tail.rfind('\n'); nl != std::string::npos && tail.size() - nl > 20) tail = tail.substr(nl + 1);
  if (tail.size() > 500) tail = tail.substr(tail.size() - 500);
  return tail.empty() ? what : what + ": " + tail;
}

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
  if (argv.empty()) throw std::invalid_argument("run_process: empty argv");
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  Pipe out, err;
  int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (devnull < 0) throw std::runtime_error("cannot open /dev/null");
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(devnull);
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::setpgid(0, 0);  // its own group, so a kill reaches anything it started
    ::dup2(devnull, 0);
    ::dup2(out.fd[1], 1);
    ::dup2(err.fd[1], 2);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also here, so the group exists before any kill below
  ::close(devnull);
  out.close_write();
  err.close_write();

  ProcessResult result;
  auto deadline = std::chrono::steady_clock::now() + options.timeout;
  std::string line_buf;
  bool killed = false;
  auto kill_child = [&] {
    if (!killed) {
      ::kill(-pid, SIGKILL);
      ::kill(pid, SIGKILL);
    }
    killed = true;
  };
  char buf[16384];
  while (out.fd[0] >= 0 || err.fd[0] >= 0) {
    pollfd fds[2];
    int n = 0;
    int out_i = -1, err_i = -1;
    if (out.fd[0] >= 0) {
      fds[n] = {out.fd[0], POLLIN, 0};
      out_i = n++;
    }
    if (err.fd[0] >= 0) {
      fds[n] = {err.fd[0], POLLIN, 0};
      err_i = n++;
    }
    int rc = ::poll(fds, static_cast<nfds_t>(n), 200);
    if (rc < 0 && errno != EINTR) {
      kill_child();
      break;
    }
    if (!killed && std::chrono::steady_clock::now() > deadline) {
      result.timed_out = true;
      kill_child();
    }
    if (!killed && options.should_stop && options.should_stop()) {
      result.stopped = true;
      kill_child();
    }
    if (rc <= 0) continue;
    if (out_i >= 0 && (fds[out_i].revents & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t got = ::read(out.fd[0], buf, sizeof buf);
      if (got <= 0) {
        if (got == 0 || errno != EINTR) out.close_read();
      } else {
        std::string_view chunk(buf, static_cast<std::size_t>(got));
        if (options.collect_stdout && result.out.size() < options.max_stdout)
          result.out.append(chunk.substr(0, options.max_stdout - result.out.size()));
        if (options.on_line) {
          line_buf.append(chunk);
          std::size_t start = 0, nl;
          while ((nl = line_buf.find('\n', start)) != std::string::npos) {
            options.on_line(std::string_view(line_buf).substr(start, nl - start));
            start = nl + 1;
          }
          line_buf.erase(0, start);
          if (line_buf.size() > 65536) line_buf.clear();
        }
      }
    }
    if (err_i >= 0 && (fds[err_i].revents & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t got = ::read(err.fd[0], buf, sizeof buf);
      if (got <= 0) {
        if (got == 0 || errno != EINTR) err.close_read();
      } else {
        result.err_tail.append(buf, static_cast<std::size_t>(got));
        if (result.err_tail.size() > kErrTail) result.err_tail.erase(0, result.err_tail.size() - kErrTail);
      }
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (result.exit_code == 127 && result.err_tail.empty()) result.err_tail = "cannot run " + argv[0];
  return result;
}

}  // namespace wp

// wp_sendfloor: what the kernel alone charges a sender for one small write to
// each of N loopback TCP sockets, the floor under figure 3's "server CPU per
// delivery". No WebSocket, no JSON, no allocation per write: one process
// accepts N connections and writes the same bytes to each of them, R times
// a second, from T threads that each own a share of the sockets (as the
// server's I/O threads do); a second process reads them all from one epoll
// thread (as wp_loadgen does). Prints the sender's CPU per write, user and
// system apart, measured over the sending phase only.
//
//   wp_sendfloor [--sockets 1000] [--bytes 200] [--rate 10] [--seconds 3] [--threads 2]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Options {
  int sockets = 1000;
  int bytes = 200;
  int rate = 10;
  int seconds = 3;
  int threads = 2;
};

[[noreturn]] void fail(const char* what) {
  std::perror(what);
  std::exit(1);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    const int v = std::atoi(argv[i + 1]);
    if (v <= 0) {
      std::fprintf(stderr, "%s needs a positive number\n", k.c_str());
      std::exit(2);
    }
    if (k == "--sockets") o.sockets = v;
    else if (k == "--bytes") o.bytes = v;
    else if (k == "--rate") o.rate = v;
    else if (k == "--seconds") o.seconds = v;
    else if (k == "--threads") o.threads = v;
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      std::exit(2);
    }
  }
  return o;
}

// Reads everything from every client socket until all of them hit EOF.
void read_all(const std::vector<int>& clients) {
  const int ep = epoll_create1(0);
  if (ep < 0) fail("epoll_create1");
  for (int fd : clients) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0) fail("epoll_ctl");
  }
  std::vector<epoll_event> events(256);
  char buf[65536];
  std::size_t open = clients.size();
  while (open > 0) {
    const int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), -1);
    if (n < 0) fail("epoll_wait");
    for (int i = 0; i < n; ++i) {
      const ssize_t got = read(events[i].data.fd, buf, sizeof buf);
      if (got == 0) {
        close(events[i].data.fd);
        --open;
      }
    }
  }
}

double cpu_seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; }

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);

  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(listener, reinterpret_cast<sockaddr*>(&addr), len) != 0) fail("bind");
  if (listen(listener, 4096) != 0) fail("listen");
  if (getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) fail("getsockname");

  std::vector<int> clients, servers;
  for (int i = 0; i < o.sockets; ++i) {
    const int c = socket(AF_INET, SOCK_STREAM, 0);
    if (c < 0) fail("socket (each connection takes two descriptors in this process: see ulimit -n)");
    if (connect(c, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) fail("connect");
    const int s = accept(listener, nullptr, nullptr);
    if (s < 0) fail("accept");
    clients.push_back(c);
    servers.push_back(s);
  }

  const pid_t reader = fork();
  if (reader < 0) fail("fork");
  if (reader == 0) {
    for (int s : servers) close(s);
    read_all(clients);
    return 0;
  }
  for (int c : clients) close(c);

  const std::string frame(static_cast<std::size_t>(o.bytes), 'x');
  const auto start = std::chrono::steady_clock::now();
  rusage before{};
  getrusage(RUSAGE_SELF, &before);

  std::vector<std::thread> senders;
  for (int t = 0; t < o.threads; ++t) {
    senders.emplace_back([&, t] {
      for (int round = 0; round < o.rate * o.seconds; ++round) {
        std::this_thread::sleep_until(start + std::chrono::microseconds(1'000'000LL * round / o.rate));
        for (std::size_t i = static_cast<std::size_t>(t); i < servers.size(); i += static_cast<std::size_t>(o.threads)) {
          if (send(servers[i], frame.data(), frame.size(), MSG_DONTWAIT | MSG_NOSIGNAL) != o.bytes) fail("send");
        }
      }
    });
  }
  for (auto& s : senders) s.join();

  rusage after{};
  getrusage(RUSAGE_SELF, &after);
  for (int s : servers) close(s);
  waitpid(reader, nullptr, 0);

  const double writes = static_cast<double>(o.sockets) * o.rate * o.seconds;
  const double user = cpu_seconds(after.ru_utime) - cpu_seconds(before.ru_utime);
  const double sys = cpu_seconds(after.ru_stime) - cpu_seconds(before.ru_stime);
  std::printf("{\"sockets\": %d, \"bytes\": %d, \"writes\": %.0f, \"cpu_us_per_write\": %.2f, "
              "\"user_us_per_write\": %.2f, \"system_us_per_write\": %.2f}\n",
              o.sockets, o.bytes, writes, (user + sys) / writes * 1e6, user / writes * 1e6, sys / writes * 1e6);
  return 0;
}

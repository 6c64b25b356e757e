// wp_loadgen: a load generator for watchparty that speaks the party protocol
// over real sockets. One process, one I/O thread, thousands of WebSocket
// clients (Asio coroutines; HTTP with Beast, WebSocket with raw_ws.hpp).
// Every mode prints one JSON object on
// stdout with what it measured; progress goes to stderr.
//
//   wp_loadgen register  --port P --users N --out FILE          users -> "id token username" lines
//   wp_loadgen sync      --port P [--port2 P2] --tokens FILE --clients N --rounds R
//   wp_loadgen idle      --port P --tokens FILE --parties P --users U --tabs T --server-pid PID
//   wp_loadgen fanout    --port P [--port2 P2] --tokens FILE --members M [--users U] --rate HZ --duration S --rounds R
//                        [--server-pid PID --server-pid2 PID2] [--idle-s S: idle before the RSS per member is read, default 10]
//                        [--proxy-pids P1,P2,...: a proxy's processes (nginx workers), their CPU per delivery too]
//   wp_loadgen throughput --port P --tokens FILE --parties P --members M --duration S --rounds R --server-pid PID
//   wp_loadgen login     --port P --tokens FILE --users N --concurrency C --duration S --rounds R
//   wp_loadgen redis-restart --port P --port2 P2 --tokens FILE --members M --redis-port RP --ready-file F
//                        [--interval-ms 50 --after-s 4 --max-s 60]
//
// With --port2 (two nodes on one PostgreSQL and one Redis), party sockets
// alternate between the two nodes; client 0 (the host, controller or
// sender) stays on the first, and HTTP goes to the first.
// Loopback only: the host is always 127.0.0.1.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "raw_ws.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using asio::awaitable;
constexpr auto as_tuple = asio::as_tuple(asio::use_awaitable);
using namespace std::chrono_literals;

namespace {

// ---------------------------------------------------------------- options, clocks, stats

std::map<std::string, std::string> g_args;
std::string g_mode;
tcp::endpoint g_ep;
std::string g_host_header;
// WebSocket endpoints: one per node (--port, then --port2).
std::vector<tcp::endpoint> g_eps;
std::vector<std::string> g_hosts;
const std::string kPassword = "Bench-Watch-Pass-9!";

std::string arg(const std::string& k, const std::string& def = "") {
  auto it = g_args.find(k);
  return it == g_args.end() ? def : it->second;
}
double num(const std::string& k, double def) {
  auto it = g_args.find(k);
  return it == g_args.end() ? def : std::stod(it->second);
}

const auto g_start = std::chrono::steady_clock::now();
// Monotonic ms since start: latencies inside this one process.
double mono_ms() { return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - g_start).count(); }
// Wall clock ms since the epoch: the client's clock for ping/pong, as a browser's Date.now().
double wall_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void log(const std::string& s) { std::cerr << "[loadgen " << g_mode << " " << static_cast<long>(mono_ms()) << "ms] " << s << std::endl; }

double pct(std::vector<double> v, double p) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  double idx = p / 100.0 * (v.size() - 1);
  auto lo = static_cast<std::size_t>(std::floor(idx)), hi = static_cast<std::size_t>(std::ceil(idx));
  return v[lo] + (v[hi] - v[lo]) * (idx - lo);
}
json::object summary(const std::vector<double>& v) {
  if (v.empty()) return {{"n", 0}};
  return {{"n", v.size()}, {"p50", pct(v, 50)}, {"p99", pct(v, 99)},
          {"max", *std::max_element(v.begin(), v.end())}, {"mean", std::accumulate(v.begin(), v.end(), 0.0) / v.size()}};
}

// A line of /proc/PID/status in KiB: VmRSS (all resident pages), RssAnon (the process's own memory,
// without the file pages it maps: SQLite maps the database file once per pooled connection, and each
// mapping counts its pages in VmRSS again).
long status_kib(int pid, std::string_view field) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line))
    if (line.size() > field.size() && line.compare(0, field.size(), field) == 0 && line[field.size()] == ':')
      return std::stol(line.substr(field.size() + 1));
  return -1;
}
long rss_kib(int pid) { return status_kib(pid, "VmRSS"); }
// utime and stime of a process, seconds.
std::pair<double, double> cpu_times(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(f)), {});
  auto p = all.rfind(')');
  if (p == std::string::npos) return {-1, 0};
  std::istringstream in(all.substr(p + 2));
  std::string field;
  double ut = 0, st = 0;
  for (int i = 3; i <= 15 && in >> field; ++i) {
    if (i == 14) ut = std::stod(field);
    if (i == 15) st = std::stod(field);
  }
  auto tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  return {ut / tick, st / tick};
}
double cpu_s(int pid) {
  auto [user, sys] = cpu_times(pid);
  return user + sys;
}
// The user part alone: the server's own code. On loopback the system part also carries the
// receiving side's TCP processing, which a send runs in the sender's context.
double user_cpu_s(int pid) { return cpu_times(pid).first; }
double self_cpu_s() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

awaitable<void> sleep_ms(double ms) {
  asio::steady_timer t(co_await asio::this_coro::executor);
  t.expires_after(std::chrono::microseconds(static_cast<long long>(ms * 1000)));
  co_await t.async_wait(as_tuple);
}

// Polls cond every few ms; false on timeout.
awaitable<bool> wait_for(std::function<bool()> cond, double timeout_ms, double step_ms = 2) {
  double until = mono_ms() + timeout_ms;
  while (!cond()) {
    if (mono_ms() > until) co_return false;
    co_await sleep_ms(step_ms);
  }
  co_return true;
}

// ---------------------------------------------------------------- HTTP

struct HttpResult {
  int status = 0;
  std::string body;
  double ms = 0;
};

// One keep-alive connection; reconnects once when the server closed it.
struct HttpConn {
  std::unique_ptr<beast::tcp_stream> s;
  beast::flat_buffer buf;

  awaitable<HttpResult> request(bhttp::verb verb, const std::string& target, const std::string& body,
                                const std::string& token) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      double t0 = mono_ms();
      if (!s) {
        s = std::make_unique<beast::tcp_stream>(co_await asio::this_coro::executor);
        s->expires_after(30s);
        auto [ec] = co_await s->async_connect(g_ep, as_tuple);
        if (ec) {
          s.reset();
          co_return HttpResult{-1, ec.message(), 0};
        }
        buf.clear();
      }
      bhttp::request<bhttp::string_body> req{verb, target, 11};
      req.set(bhttp::field::host, g_host_header);
      req.set(bhttp::field::user_agent, "wp_loadgen");
      if (!token.empty()) req.set(bhttp::field::authorization, "Bearer " + token);
      if (!body.empty()) {
        req.set(bhttp::field::content_type, "application/json");
        req.body() = body;
      }
      req.keep_alive(true);
      req.prepare_payload();
      s->expires_after(60s);
      auto [wec, wn] = co_await bhttp::async_write(*s, req, as_tuple);
      bhttp::response<bhttp::string_body> res;
      beast::error_code rec;
      if (!wec) {
        auto [e, rn] = co_await bhttp::async_read(*s, buf, res, as_tuple);
        rec = e;
      }
      if (wec || rec) {
        s.reset();
        if (attempt == 0) continue;
        co_return HttpResult{-1, (wec ? wec : rec).message(), 0};
      }
      bool keep = res.keep_alive();
      HttpResult r{static_cast<int>(res.result_int()), std::move(res.body()), mono_ms() - t0};
      if (!keep) s.reset();
      co_return r;
    }
    co_return HttpResult{-1, "unreachable", 0};
  }
};

struct User {
  std::string id, token, username;
};

std::vector<User> load_users(std::size_t need) {
  std::vector<User> users;
  std::ifstream f(arg("tokens"));
  User u;
  while (f >> u.id >> u.token >> u.username) users.push_back(u);
  if (users.size() < need) {
    std::cerr << "tokens file " << arg("tokens") << " has " << users.size() << " users, need " << need << std::endl;
    std::exit(2);
  }
  return users;
}

awaitable<std::string> create_party(HttpConn& http, const User& host, int max_participants) {
  json::object body{{"title", "bench party"},
                    {"visibility", "public"},
                    {"max_participants", std::clamp(max_participants, 2, 10000)},
                    {"settings", {{"control", "host_only"}, {"slow_mode_seconds", 0}}}};
  auto r = co_await http.request(bhttp::verb::post, "/api/parties/", json::serialize(body), host.token);
  if (r.status != 201) {
    log("create party failed: " + std::to_string(r.status) + " " + r.body);
    std::exit(3);
  }
  co_return std::string(json::parse(r.body).at("id").as_string());
}

// ---------------------------------------------------------------- WebSocket clients

struct Client {
  int idx = 0;
  int node = 0;  // index into g_eps
  const User* user = nullptr;
  std::string party;
  std::unique_ptr<wp::loadgen::RawWs> ws;
  bool open = false, got_state = false, closed = false;
  int close_code = 0;
  // clock
  double best_rtt = 1e18, offset = 0;
  int pongs = 0;
  // playback
  int pb_count = 0;
  double pb_position = 0, pb_rate = 1, pb_anchor = 0, pb_recv_mono = 0;
  long long pb_version = -1;
  std::string pb_status;
  // chat
  long chats = 0, errors = 0;
  double arrival_mono = 0;  // when the kernel got the message being handled (RawWs)
  long long next_seq = 0;
  bool awaiting_echo = false;
};

std::vector<std::unique_ptr<Client>> g_clients;

// Per-mode hooks on received chat messages: (receiver, sender index, seq, send time mono).
std::function<void(Client&, int, long long, double, double)> g_on_chat;
std::function<void(Client&, std::string_view)> g_on_error;
// Called for every playback_state (not party_state), after it is applied.
std::function<void(Client&, double)> g_on_playback;

void send(Client& c, const std::string& text) {
  if (c.open && !c.closed) c.ws->send_text(text);
}

void send_ping(Client& c) {
  send(c, json::serialize(json::object{{"type", "ping"}, {"client_time", wall_ms()}}));
}

void send_chat(Client& c, const char* tag = "LG") {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s|%d|%lld|%.3f", tag, c.idx, c.next_seq++, mono_ms());
  send(c, json::serialize(json::object{{"type", "chat_message"}, {"content", buf}}));
}

void apply_playback(Client& c, const json::object& pb, double recv) {
  c.pb_status = std::string(pb.at("status").as_string());
  c.pb_position = pb.at("position").to_number<double>();
  c.pb_rate = pb.at("rate").to_number<double>();
  c.pb_anchor = pb.at("anchor_server_time").to_number<double>();
  c.pb_version = pb.at("version").to_number<long long>();
  c.pb_recv_mono = recv;
  ++c.pb_count;
}

void on_text(Client& c, std::string_view sv, double recv_mono, double recv_wall) {
  // Chat is the hot path: find the marker without a full parse.
  if (sv.find("\"type\":\"chat_message\"") != std::string_view::npos) {
    ++c.chats;
    auto m = sv.find("LG|");
    if (m == std::string_view::npos || !g_on_chat) return;
    const char* p = sv.data() + m + 3;
    const char* end = sv.data() + sv.size();
    int sender = 0;
    long long seq = 0;
    double t = 0;
    auto r1 = std::from_chars(p, end, sender);
    auto r2 = std::from_chars(r1.ptr + 1, end, seq);
    std::from_chars(r2.ptr + 1, end, t);
    g_on_chat(c, sender, seq, t, recv_mono);
    return;
  }
  if (sv.find("\"type\":\"user_") != std::string_view::npos || sv.find("\"type\":\"typing\"") != std::string_view::npos)
    return;
  if (sv.rfind("{\"type\":\"party_state\"", 0) == 0) {
    // Big (the whole participant list): parse only the flat playback object.
    c.got_state = true;
    auto at = sv.find("\"playback\":{");
    if (at != std::string_view::npos) {
      auto from = at + 11, to = sv.find('}', from);
      boost::system::error_code pec;
      auto pb = json::parse(sv.substr(from, to - from + 1), pec);
      if (!pec && pb.is_object()) {
        apply_playback(c, pb.as_object(), recv_mono);
        c.pb_count = 0;
      }
    }
    return;
  }
  boost::system::error_code ec;
  auto v = json::parse(sv, ec);
  if (ec || !v.is_object()) return;
  auto& o = v.as_object();
  auto type = o.if_contains("type");
  if (!type || !type->is_string()) return;
  auto t = type->as_string();
  if (t == "pong") {
    double t0 = o.at("client_time").to_number<double>(), t1 = o.at("server_time").to_number<double>();
    double rtt = recv_wall - t0;
    ++c.pongs;
    if (rtt < c.best_rtt) {
      c.best_rtt = rtt;
      c.offset = t1 - (t0 + recv_wall) / 2;
    }
  } else if (t == "playback_state") {
    apply_playback(c, o.at("playback").as_object(), recv_mono);
    if (g_on_playback) g_on_playback(c, recv_mono);
  } else if (t == "party_state") {
    c.got_state = true;
    if (auto pb = o.if_contains("playback"); pb && pb->is_object()) {
      apply_playback(c, pb->as_object(), recv_mono);
      c.pb_count = 0;
    }
  } else if (t == "error") {
    ++c.errors;
    if (g_on_error) g_on_error(c, sv);
  }
}

awaitable<void> reader(Client* c) {
  co_await c->ws->read_all([c](std::string_view sv, double arrival_wall) {
    double rm = mono_ms(), rw = wall_ms();
    c->arrival_mono = rm - (rw - arrival_wall);
    on_text(*c, sv, rm, rw);
  });
  c->closed = true;
  c->close_code = c->ws->close_code();
}

awaitable<bool> connect_ws(Client* c) {
  auto ex = co_await asio::this_coro::executor;
  c->ws = std::make_unique<wp::loadgen::RawWs>(ex);
  if (!co_await c->ws->open(g_eps[c->node], g_hosts[c->node], "/ws/party/" + c->party + "/?token=" + c->user->token)) {
    c->closed = true;
    co_return false;
  }
  c->open = true;
  asio::co_spawn(ex, reader(c), asio::detached);
  co_return true;
}

// Connects clients [from, to) with at most `parallel` handshakes in flight,
// then waits until each has its party_state (or was refused).
awaitable<double> connect_all(std::size_t from, std::size_t to, int parallel) {
  double t0 = mono_ms();
  std::size_t next = from;
  int running = 0;
  auto ex = co_await asio::this_coro::executor;
  while (next < to || running > 0) {
    while (running < parallel && next < to) {
      ++running;
      Client* c = g_clients[next++].get();
      asio::co_spawn(ex, [c, &running]() -> awaitable<void> {
        co_await connect_ws(c);
        // Pace on the server's answer, not only the handshake.
        co_await wait_for([c] { return c->got_state || c->closed; }, 30000, 5);
        --running;
      }, asio::detached);
    }
    co_await sleep_ms(1);
  }
  int ok = 0, refused = 0;
  for (std::size_t i = from; i < to; ++i) (g_clients[i]->got_state ? ok : refused)++;
  if (refused) {
    int code = 0;
    for (std::size_t i = from; i < to; ++i)
      if (!g_clients[i]->got_state) code = g_clients[i]->close_code;
    log("connected " + std::to_string(ok) + ", refused " + std::to_string(refused) + " (e.g. close " +
        std::to_string(code) + ")");
  }
  co_return mono_ms() - t0;
}

// NTP-style estimate, as a browser client would do it: each client sends
// `pings` pings one after the other (the next after the pong, then a pause
// of gap_ms), starting at a random moment of a window that grows with the
// number of clients, so that the pings do not all queue up at once.
awaitable<void> estimate_clocks(std::size_t from, std::size_t to, int pings, double gap_ms) {
  auto ex = co_await asio::this_coro::executor;
  std::mt19937 rng(42);
  double window = std::max(200.0, 2.0 * static_cast<double>(to - from));
  std::uniform_real_distribution<double> jitter(0, window);
  int done = 0;
  for (std::size_t i = from; i < to; ++i) {
    Client* c = g_clients[i].get();
    double start = jitter(rng);
    asio::co_spawn(ex, [c, pings, gap_ms, start, &done]() -> awaitable<void> {
      co_await sleep_ms(start);
      for (int k = 0; k < pings && c->open && !c->closed; ++k) {
        int before = c->pongs;
        send_ping(*c);
        co_await wait_for([c, before] { return c->pongs > before || c->closed; }, 2000, 0.5);
        co_await sleep_ms(gap_ms);
      }
      ++done;
    }, asio::detached);
  }
  std::size_t n = to - from;
  co_await wait_for([&] { return done == static_cast<int>(n); }, 120000, 5);
}

// Builds clients for one party: user u of `users`, `tabs` sockets each, in order.
void add_party_clients(const std::string& party, const std::vector<User>& users, std::size_t user_from,
                       std::size_t nusers, int tabs, std::size_t limit) {
  std::size_t made = 0;
  for (int t = 0; t < tabs; ++t)
    for (std::size_t u = 0; u < nusers && made < limit; ++u, ++made) {
      auto c = std::make_unique<Client>();
      c->idx = static_cast<int>(g_clients.size());
      c->user = &users[user_from + u];
      c->party = party;
      g_clients.push_back(std::move(c));
    }
}

// With two nodes, client i goes to node i % 2: client 0 (host, controller,
// sender) on the first, the members split evenly.
void spread_over_nodes() {
  for (auto& c : g_clients) c->node = static_cast<int>(c->idx % g_eps.size());
}

json::object g_result;

// ---------------------------------------------------------------- modes

awaitable<void> mode_register() {
  int n = static_cast<int>(num("users", 10));
  int parallel = static_cast<int>(num("concurrency", 8));
  std::string prefix = arg("prefix", "lg" + std::to_string(::getpid() % 100000));
  std::vector<User> users(n);
  int next = 0, running = 0, failed = 0;
  double t0 = mono_ms();
  auto ex = co_await asio::this_coro::executor;
  for (int w = 0; w < parallel; ++w) {
    ++running;
    asio::co_spawn(ex, [&]() -> awaitable<void> {
      HttpConn http;
      while (next < n) {
        int i = next++;
        std::string name = prefix + "u" + std::to_string(i);
        json::object body{{"username", name}, {"email", name + "@bench.example.com"}, {"password", kPassword},
                          {"first_name", "Bench"}, {"last_name", "User"}};
        auto r = co_await http.request(bhttp::verb::post, "/api/auth/register/", json::serialize(body), "");
        if (r.status != 201) {
          if (failed++ < 3) log("register failed: " + std::to_string(r.status) + " " + r.body.substr(0, 300));
          continue;
        }
        auto v = json::parse(r.body).as_object();
        users[i] = User{std::string(v.at("user").at("id").as_string()), std::string(v.at("access_token").as_string()),
                        name};
      }
      --running;
    }, asio::detached);
  }
  co_await wait_for([&] { return running == 0; }, 600000, 5);
  double secs = (mono_ms() - t0) / 1000;
  std::ofstream out(arg("out"));
  int ok = 0;
  for (auto& u : users)
    if (!u.id.empty()) {
      out << u.id << ' ' << u.token << ' ' << u.username << '\n';
      ++ok;
    }
  g_result = {{"registered", ok}, {"failed", failed}, {"seconds", secs}, {"per_second", ok / secs}};
}

// Figure 1: sync spread after a seek and a scheduled play.
awaitable<void> mode_sync() {
  int n = static_cast<int>(num("clients", 10));
  int rounds = static_cast<int>(num("rounds", 5));
  auto users = load_users(std::min(n, 1000));
  HttpConn http;
  std::string party = co_await create_party(http, users[0], std::min(n, 1000));
  add_party_clients(party, users, 0, std::min<std::size_t>(n, 1000), (n + 999) / 1000, n);
  spread_over_nodes();
  double conn_ms = co_await connect_all(0, g_clients.size(), 64);
  log("connected " + std::to_string(n) + " in " + std::to_string(conn_ms) + " ms; estimating clocks");
  co_await estimate_clocks(0, g_clients.size(), 5, 20);
  std::vector<double> offsets, rtts;
  for (auto& c : g_clients)
    if (c->got_state && !c->closed) {
      offsets.push_back(c->offset);
      rtts.push_back(c->best_rtt);
    }
  Client& host = *g_clients[0];
  json::array per_round;
  for (int r = 0; r < rounds; ++r) {
    auto live = [&] {
      std::vector<Client*> v;
      for (auto& c : g_clients)
        if (c->got_state && !c->closed) v.push_back(c.get());
      return v;
    };
    // Seek (paused), wait for everyone, then a scheduled play.
    int base = host.pb_count;
    for (auto* c : live()) c->pb_count = 0;
    (void)base;
    double seek_pos = 100.0 + 10 * r;
    double t_seek = mono_ms();
    send(host, json::serialize(json::object{{"type", "video_control"}, {"action", "seek"}, {"position", seek_pos}}));
    bool ok1 = co_await wait_for([&] {
      for (auto* c : live())
        if (c->pb_count < 1) return false;
      return true;
    }, 20000);
    double seek_last = 0;
    for (auto* c : live()) seek_last = std::max(seek_last, c->pb_recv_mono - t_seek);
    co_await sleep_ms(50);
    for (auto* c : live()) c->pb_count = 0;
    double t_play = mono_ms();
    send(host, json::serialize(json::object{{"type", "video_control"}, {"action", "play"}}));
    bool ok2 = co_await wait_for([&] {
      for (auto* c : live())
        if (c->pb_count < 1 || c->pb_status != "playing") return false;
      return true;
    }, 20000);
    std::vector<double> recv_lat, recv_lat_node[2];
    for (auto* c : live()) {
      recv_lat.push_back(c->pb_recv_mono - t_play);
      recv_lat_node[c->node].push_back(c->pb_recv_mono - t_play);
    }
    // One shared instant after the scheduled start: every client computes the
    // position with its own offset estimate.
    double anchor = host.pb_anchor;
    co_await wait_for([&] { return wall_ms() + host.offset > anchor + 100; }, 10000);
    double T = wall_ms();
    std::vector<double> pos;
    int stale = 0;
    long long v0 = host.pb_version;
    for (auto* c : live()) {
      if (c->pb_version != v0) ++stale;
      double server_now = T + c->offset;
      double p = c->pb_status == "playing"
                     ? c->pb_position + std::max(0.0, server_now - c->pb_anchor) / 1000 * c->pb_rate
                     : c->pb_position;
      pos.push_back(p);
    }
    double med = pct(pos, 50);
    std::vector<double> dev;
    for (double p : pos) dev.push_back(std::abs(p - med) * 1000 / host.pb_rate);
    double range = (*std::max_element(pos.begin(), pos.end()) - *std::min_element(pos.begin(), pos.end())) * 1000;
    per_round.push_back({{"spread_p50_ms", pct(dev, 50)}, {"spread_p99_ms", pct(dev, 99)},
                         {"spread_max_ms", pct(dev, 100)}, {"range_ms", range},
                         {"control_to_last_ms", pct(recv_lat, 100)}, {"control_to_p50_ms", pct(recv_lat, 50)},
                         {"seek_to_last_ms", seek_last}, {"stale", stale}, {"clients", pos.size()},
                         {"complete", ok1 && ok2}});
    if (g_eps.size() > 1) {
      per_round.back().as_object()["control_to_last_ms_node1"] = pct(recv_lat_node[0], 100);
      per_round.back().as_object()["control_to_last_ms_node2"] = pct(recv_lat_node[1], 100);
    }
    // Pause before the next round.
    for (auto* c : live()) c->pb_count = 0;
    send(host, json::serialize(json::object{{"type", "video_control"}, {"action", "pause"}}));
    co_await wait_for([&] {
      for (auto* c : live())
        if (c->pb_count < 1) return false;
      return true;
    }, 20000);
    co_await sleep_ms(100);
  }
  g_result = {{"clients", n}, {"nodes", g_eps.size()}, {"connect_ms", conn_ms}, {"offset_ms", summary(offsets)},
              {"best_rtt_ms", summary(rtts)}, {"rounds", per_round}};
}

// Figure 2: memory per idle authenticated party socket.
awaitable<void> mode_idle() {
  int parties = static_cast<int>(num("parties", 10));
  int nusers = static_cast<int>(num("users", 100));
  int tabs = static_cast<int>(num("tabs", 10));
  int pid = static_cast<int>(num("server-pid", 0));
  auto users = load_users(nusers);
  HttpConn http;
  std::vector<std::string> ids;
  for (int p = 0; p < parties; ++p) ids.push_back(co_await create_party(http, users[p % nusers], 1000));
  // Warm-up: one socket per party opens and closes, so that first-use
  // allocations (room state, statements) are not counted per socket.
  for (int p = 0; p < parties; ++p) add_party_clients(ids[p], users, 0, 1, 1, 1);
  co_await connect_all(0, g_clients.size(), 16);
  for (auto& c : g_clients) {
    c->ws->close();
  }
  co_await sleep_ms(1500);
  std::size_t warm = g_clients.size();
  long before = rss_kib(pid);
  for (int p = 0; p < parties; ++p) add_party_clients(ids[p], users, 0, nusers, tabs, SIZE_MAX);
  double conn_ms = co_await connect_all(warm, g_clients.size(), 128);
  co_await sleep_ms(3000);
  long after = rss_kib(pid);
  int open = 0;
  for (std::size_t i = warm; i < g_clients.size(); ++i) open += g_clients[i]->got_state && !g_clients[i]->closed;
  g_result = {{"sockets", open},
              {"rss_before_kib", before},
              {"rss_after_kib", after},
              {"kib_per_socket", open ? static_cast<double>(after - before) / open : NAN},
              {"connect_s", conn_ms / 1000},
              {"connects_per_s", open / (conn_ms / 1000)},
              {"loadgen_rss_kib", rss_kib(::getpid())}};
  log("idle: " + json::serialize(g_result));
}

// Figures 3 and 8: one party, one sender chatting at a steady rate.
awaitable<void> mode_fanout() {
  int members = static_cast<int>(num("members", 1000));
  double rate = num("rate", 10), duration = num("duration", 3);
  int rounds = static_cast<int>(num("rounds", 3));
  int pid = static_cast<int>(num("server-pid", 0)), pid2 = static_cast<int>(num("server-pid2", 0));
  // CPU of every node given.
  auto server_cpu = [pid, pid2] { return cpu_s(pid) + (pid2 ? cpu_s(pid2) : 0); };
  auto server_user_cpu = [pid, pid2] { return user_cpu_s(pid) + (pid2 ? user_cpu_s(pid2) : 0); };
  std::vector<int> proxy_pids;
  const std::string proxy_list = arg("proxy-pids");
  for (std::string_view rest = proxy_list; !rest.empty();) {
    auto comma = rest.find(',');
    proxy_pids.push_back(std::stoi(std::string(rest.substr(0, comma))));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  auto proxy_cpu = [&proxy_pids] {
    double sum = 0;
    for (int p : proxy_pids) sum += cpu_s(p);
    return sum;
  };
  // Distinct users (each a member of the party); members beyond them are more tabs of the same users.
  int nusers = static_cast<int>(num("users", std::min(members, 1000)));
  auto users = load_users(nusers);
  HttpConn http;
  std::string party = co_await create_party(http, users[0], nusers);
  add_party_clients(party, users, 0, nusers, (members + nusers - 1) / nusers, members);
  spread_over_nodes();
  // The room fills as users create it: `connect-parallel` joining at a time (#23's join figure).
  long rss0 = rss_kib(pid), anon0 = status_kib(pid, "RssAnon");
  double join_cpu0 = server_cpu();
  double conn_ms = co_await connect_all(0, g_clients.size(), static_cast<int>(num("connect-parallel", 64)));
  double join_cpu_s = server_cpu() - join_cpu0;
  int live = 0;
  for (auto& c : g_clients) live += c->got_state && !c->closed;
  log("connected " + std::to_string(live) + " in " + std::to_string(conn_ms) + " ms, server CPU " +
      std::to_string(join_cpu_s) + " s");
  std::vector<double> lat, lat_node[2], arrival;
  bool recording = false;
  long long delivered = 0;
  // Only this round's messages count: late warm-up or previous-round
  // deliveries (a saturated server) are left out by sequence number.
  long long seq_from = 0, seq_to = 0;
  g_on_chat = [&](Client& c, int, long long seq, double sent, double recv) {
    if (!recording || seq < seq_from || seq >= seq_to) return;
    lat.push_back(recv - sent);
    lat_node[c.node].push_back(recv - sent);
    arrival.push_back(c.arrival_mono - sent);
    ++delivered;
  };
  Client& sender = *g_clients[0];
  // Warm-up: a few messages not recorded.
  for (int i = 0; i < 5; ++i) {
    send_chat(sender);
    co_await sleep_ms(1000 / rate);
  }
  co_await sleep_ms(500);
  json::array per_round;
  for (int r = 0; r < rounds; ++r) {
    lat.clear();
    lat.reserve(static_cast<std::size_t>(live * rate * duration * 1.1));
    lat_node[0].clear();
    lat_node[1].clear();
    arrival.clear();
    delivered = 0;
    recording = true;
    int msgs = static_cast<int>(rate * duration);
    seq_from = sender.next_seq;
    seq_to = seq_from + msgs;
    double cpu0 = server_cpu(), user0 = server_user_cpu(), proxy0 = proxy_cpu(), self0 = self_cpu_s(),
           t0 = mono_ms();
    for (int i = 0; i < msgs; ++i) {
      // Paced on an absolute schedule so that a late tick does not shift the rest.
      double due = t0 + i * 1000 / rate;
      if (due > mono_ms()) co_await sleep_ms(due - mono_ms());
      send_chat(sender);
    }
    long long expected = static_cast<long long>(msgs) * live;
    co_await wait_for([&] { return delivered >= expected; }, 10000, 5);
    double cpu1 = server_cpu(), user1 = server_user_cpu(), proxy1 = proxy_cpu(), self1 = self_cpu_s();
    recording = false;
    // p50/p99/max: until the generator read the message; arrival_*: until the kernel put it in
    // the member's socket, which leaves out the generator's own queue of a thousand sockets.
    per_round.push_back({{"p50_ms", pct(lat, 50)}, {"p99_ms", pct(lat, 99)}, {"max_ms", pct(lat, 100)},
                         {"arrival_p50_ms", pct(arrival, 50)}, {"arrival_p99_ms", pct(arrival, 99)},
                         {"arrival_max_ms", pct(arrival, 100)},
                         {"delivered", delivered}, {"expected", expected},
                         {"server_cpu_s_per_100k", delivered ? (cpu1 - cpu0) / delivered * 1e5 : NAN},
                         {"server_user_cpu_s_per_100k", delivered ? (user1 - user0) / delivered * 1e5 : NAN},
                         {"loadgen_cpu_s_per_100k", delivered ? (self1 - self0) / delivered * 1e5 : NAN}});
    if (!proxy_pids.empty())
      per_round.back().as_object()["proxy_cpu_s_per_100k"] = delivered ? (proxy1 - proxy0) / delivered * 1e5 : NAN;
    if (g_eps.size() > 1) {
      auto& o = per_round.back().as_object();
      o["p99_ms_node1"] = pct(lat_node[0], 99);
      o["p99_ms_node2"] = pct(lat_node[1], 99);
      o["p50_ms_node1"] = pct(lat_node[0], 50);
      o["p50_ms_node2"] = pct(lat_node[1], 50);
    }
    co_await sleep_ms(300);
  }
  // #23's memory figure: what the filled room keeps per member once it has been idle a while.
  double idle_s = num("idle-s", 10);
  co_await sleep_ms(idle_s * 1000);
  long rss1 = rss_kib(pid), anon1 = status_kib(pid, "RssAnon");
  int closed = 0;
  for (auto& c : g_clients) closed += c->closed;
  g_result = {{"members", members}, {"nodes", g_eps.size()}, {"sockets_live", live}, {"closed_during_run", closed},
              {"join_ms", conn_ms}, {"join_server_cpu_s", join_cpu_s},
              {"rss_before_kib", rss0}, {"rss_idle_kib", rss1}, {"idle_s", idle_s},
              {"rss_per_member_kib", live ? static_cast<double>(rss1 - rss0) / live : NAN},
              {"rss_anon_before_kib", anon0}, {"rss_anon_idle_kib", anon1},
              {"rss_anon_per_member_kib", live ? static_cast<double>(anon1 - anon0) / live : NAN},
              {"rate_hz", rate}, {"duration_s", duration}, {"rounds", per_round}};
}

// Figure 4: P parties x M members, every member chatting closed-loop (one
// message in flight each): deliveries per second at saturation.
awaitable<void> mode_throughput() {
  int parties = static_cast<int>(num("parties", 100));
  int members = static_cast<int>(num("members", 10));
  double duration = num("duration", 5);
  int rounds = static_cast<int>(num("rounds", 3));
  int pid = static_cast<int>(num("server-pid", 0));
  auto users = load_users(members);
  HttpConn http;
  for (int p = 0; p < parties; ++p) {
    std::string id = co_await create_party(http, users[p % members], members);
    add_party_clients(id, users, 0, members, 1, members);
  }
  double conn_ms = co_await connect_all(0, g_clients.size(), 64);
  log("connected " + std::to_string(g_clients.size()) + " in " + std::to_string(conn_ms) + " ms");
  bool running = true, counting = false;
  long long deliveries = 0, sent_msgs = 0;
  std::vector<double> lat;
  g_on_chat = [&](Client& c, int sender, long long, double sent, double recv) {
    if (counting) {
      ++deliveries;
      if (sender == c.idx) lat.push_back(recv - sent);
    }
    if (sender == c.idx && running) {
      ++sent_msgs;
      send_chat(c);
    }
  };
  long long refused = 0;
  g_on_error = [&](Client& c, std::string_view) {
    ++refused;
    // server_busy or similar: try again shortly.
    if (running)
      asio::co_spawn(c.ws->executor(), [cp = &c]() -> awaitable<void> {
        co_await sleep_ms(20);
        send_chat(*cp);
      }, asio::detached);
  };
  for (auto& c : g_clients)
    if (c->got_state && !c->closed) send_chat(*c);
  co_await sleep_ms(1000);  // warm-up
  json::array per_round;
  for (int r = 0; r < rounds; ++r) {
    deliveries = 0;
    lat.clear();
    refused = 0;
    double cpu0 = cpu_s(pid), self0 = self_cpu_s(), t0 = mono_ms();
    counting = true;
    co_await sleep_ms(duration * 1000);
    counting = false;
    double secs = (mono_ms() - t0) / 1000, cpu = cpu_s(pid) - cpu0, self = self_cpu_s() - self0;
    per_round.push_back({{"deliveries_per_s", deliveries / secs}, {"messages_per_s", deliveries / secs / members},
                         {"server_cpu_s", cpu}, {"server_cpu_s_per_100k", cpu / deliveries * 1e5},
                         {"loadgen_cpu_s", self}, {"echo_p50_ms", pct(lat, 50)}, {"echo_p99_ms", pct(lat, 99)},
                         {"errors", refused}});
  }
  running = false;
  co_await sleep_ms(500);
  int closed = 0;
  for (auto& c : g_clients) closed += c->closed;
  g_result = {{"parties", parties}, {"members", members}, {"closed_during_run", closed}, {"rounds", per_round}};
}

// Figure 6: logins per second at the configured Argon2id cost, and the
// latency of /api/health/ and /api/auth/profile/ with and without a burst
// of logins running.
struct LoginPhase {
  bool run = true;
  int running = 0;
  double probe_gap = 10;
  std::vector<double> health, profile, login_ms;
  long long logins = 0, login_fail = 0;
  const std::vector<User>* users = nullptr;
};

awaitable<void> probe_loop(LoginPhase* ph, std::string target, std::string token, std::vector<double>* out) {
  HttpConn h;
  while (ph->run) {
    auto r = co_await h.request(bhttp::verb::get, target, "", token);
    if (r.status == 200) out->push_back(r.ms);
    co_await sleep_ms(ph->probe_gap);
  }
  --ph->running;
}

awaitable<void> login_loop(LoginPhase* ph, int w) {
  HttpConn h;
  std::size_t k = static_cast<std::size_t>(w);
  while (ph->run) {
    const User& u = (*ph->users)[k++ % ph->users->size()];
    std::string body = json::serialize(json::object{{"username", u.username}, {"password", kPassword}});
    auto r = co_await h.request(bhttp::verb::post, "/api/auth/login/", body, "");
    if (r.status == 200) {
      ++ph->logins;
      ph->login_ms.push_back(r.ms);
    } else if (ph->login_fail++ < 3) {
      log("login: " + std::to_string(r.status) + " " + r.body.substr(0, 200));
    }
  }
  --ph->running;
}

awaitable<json::object> login_phase(const std::vector<User>* users, bool with_logins, int conc, double duration,
                                    double probe_gap) {
  auto ex = co_await asio::this_coro::executor;
  LoginPhase ph;
  ph.users = users;
  ph.probe_gap = probe_gap;
  ph.running = 2;
  asio::co_spawn(ex, probe_loop(&ph, "/api/health/", "", &ph.health), asio::detached);
  asio::co_spawn(ex, probe_loop(&ph, "/api/auth/profile/", (*users)[0].token, &ph.profile), asio::detached);
  double t0 = mono_ms();
  if (with_logins)
    for (int w = 0; w < conc; ++w) {
      ++ph.running;
      asio::co_spawn(ex, login_loop(&ph, w), asio::detached);
    }
  co_await sleep_ms(duration * 1000);
  ph.run = false;
  double secs = (mono_ms() - t0) / 1000;
  co_await wait_for([&ph] { return ph.running == 0; }, 60000, 5);
  json::object o{{"health_ms", summary(ph.health)}, {"profile_ms", summary(ph.profile)}};
  if (with_logins) {
    o["logins_per_s"] = ph.logins / secs;
    o["login_ms"] = summary(ph.login_ms);
    o["login_failures"] = ph.login_fail;
  }
  co_return o;
}

awaitable<void> mode_login() {
  int nusers = static_cast<int>(num("users", 8));
  int conc = static_cast<int>(num("concurrency", 8));
  double duration = num("duration", 5);
  int rounds = static_cast<int>(num("rounds", 3));
  double probe_gap = num("probe-gap-ms", 10);
  auto users = load_users(nusers);
  users.resize(nusers);
  json::array per_round;
  for (int r = 0; r < rounds; ++r) {
    auto idle = co_await login_phase(&users, false, conc, duration, probe_gap);
    auto busy = co_await login_phase(&users, true, conc, duration, probe_gap);
    per_round.push_back({{"baseline", idle}, {"during_logins", busy}});
    log("round " + std::to_string(r) + ": " + json::serialize(per_round.back()));
  }
  g_result = {{"concurrency", conc}, {"rounds", per_round}};
}

// Figure 7, Redis restart: one party split over two nodes; the host (on the
// first node) seeks every --interval-ms and every member timestamps each
// playback_state it receives. Once steady, this writes --ready-file; the
// script then kills redis-server and starts it again on the same port ~1 s
// later. A probe PINGs Redis every 5 ms to know when it was down and back.
// The run ends --after-s after Redis is back (or --max-s after ready).
struct RedisWatch {
  tcp::endpoint ep;
  bool run = true, done = false;
  double down_at = NAN, up_at = NAN;  // first failed probe; first answered one after it
};

awaitable<void> redis_probe(RedisWatch* w) {
  auto ex = co_await asio::this_coro::executor;
  static const std::string ping = "PING\r\n";
  std::unique_ptr<beast::tcp_stream> s;
  std::string reply;
  while (w->run) {
    bool ok = false;
    if (!s) {
      s = std::make_unique<beast::tcp_stream>(ex);
      s->expires_after(200ms);
      auto [ec] = co_await s->async_connect(w->ep, as_tuple);
      if (ec) s.reset();
    }
    if (s) {
      s->expires_after(200ms);
      auto [wec, wn] = co_await asio::async_write(*s, asio::buffer(ping), as_tuple);
      if (!wec) {
        reply.clear();
        auto [rec, rn] = co_await asio::async_read_until(*s, asio::dynamic_buffer(reply), "\r\n", as_tuple);
        ok = !rec && reply.rfind("+PONG", 0) == 0;
      }
      if (!ok) s.reset();
    }
    double now = mono_ms();
    if (!ok && std::isnan(w->down_at)) {
      w->down_at = now;
      log("redis down");
    }
    if (ok && !std::isnan(w->down_at) && std::isnan(w->up_at)) {
      w->up_at = now;
      log("redis back after " + std::to_string(now - w->down_at) + " ms");
    }
    co_await sleep_ms(5);
  }
  w->done = true;
}

awaitable<void> mode_redis_restart() {
  int members = static_cast<int>(num("members", 100));
  double interval = num("interval-ms", 50), after_s = num("after-s", 4), max_s = num("max-s", 60);
  if (g_eps.size() < 2) throw std::invalid_argument("redis-restart needs --port2");
  auto users = load_users(members);
  HttpConn http;
  std::string party = co_await create_party(http, users[0], members);
  add_party_clients(party, users, 0, members, 1, members);
  spread_over_nodes();
  double conn_ms = co_await connect_all(0, g_clients.size(), 64);
  log("connected " + std::to_string(members) + " in " + std::to_string(conn_ms) + " ms");
  auto ex = co_await asio::this_coro::executor;

  // (receipt time, version) of every playback_state while recording.
  std::vector<std::vector<std::pair<double, long long>>> got(g_clients.size());
  bool recording = false;
  g_on_playback = [&](Client& c, double recv) {
    if (recording) got[c.idx].emplace_back(recv, c.pb_version);
  };
  // Errors the controller got, by code, and when it got `unavailable`.
  std::map<std::string, long> errors;
  std::vector<double> unavailable_at;
  g_on_error = [&](Client& c, std::string_view sv) {
    if (c.idx != 0) return;
    boost::system::error_code ec;
    auto v = json::parse(sv, ec);
    std::string code = "?";
    if (!ec && v.is_object())
      if (auto p = v.as_object().if_contains("code"); p && p->is_string()) code = std::string(p->as_string());
    ++errors[code];
    if (code == "unavailable") unavailable_at.push_back(mono_ms());
  };

  Client& ctl = *g_clients[0];
  bool controlling = true, ctl_done = false;
  long long controls = 0;
  asio::co_spawn(ex, [&]() -> awaitable<void> {
    double t0 = mono_ms();
    for (long long k = 0; controlling; ++k) {
      // Absolute schedule: a late tick does not shift the rest.
      double due = t0 + k * interval;
      if (due > mono_ms()) co_await sleep_ms(due - mono_ms());
      if (!controlling) break;
      send(ctl, json::serialize(json::object{
                    {"type", "video_control"}, {"action", "seek"}, {"position", 10 + (k % 2000) * 0.05}}));
      ++controls;
    }
    ctl_done = true;
  }, asio::detached);
  RedisWatch watch;
  watch.ep = tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(num("redis-port", 6379)));
  asio::co_spawn(ex, redis_probe(&watch), asio::detached);

  co_await sleep_ms(1000);  // warm-up: controls flowing before anything is recorded
  if (!std::isnan(watch.down_at)) throw std::runtime_error("redis was not reachable before the restart");
  recording = true;
  double t_ready = mono_ms();
  long long controls0 = controls;
  std::ofstream(arg("ready-file")) << "ready\n";
  log("ready: waiting for the script to restart redis");
  co_await wait_for([&] {
    return (!std::isnan(watch.up_at) && mono_ms() > watch.up_at + after_s * 1000) || mono_ms() > t_ready + max_s * 1000;
  }, (max_s + 1) * 1000, 5);
  double t_end = mono_ms();
  recording = false;
  controlling = false;
  watch.run = false;
  co_await wait_for([&] { return ctl_done && watch.done; }, 5000, 5);
  long long sent = controls - controls0;
  // Settle, then every member should hold the controller's version.
  co_await sleep_ms(1000);
  int diverged = 0, closed = 0;
  for (auto& c : g_clients) {
    closed += c->closed;
    if (c->got_state && !c->closed && c->pb_version != ctl.pb_version) ++diverged;
  }

  const double down = watch.down_at, up = watch.up_at;
  struct NodeStats {
    int clients = 0;
    long regressions = 0;  // a playback_state older than the one before it
    std::vector<double> max_gaps, first_after_up, first_change_after_up;
    double worst_gap = 0, worst_from = NAN;  // worst gap and where it started (ms after Redis went down)
    int never_changed = 0;
  } nodes[2];
  std::vector<double> steady_gaps;  // gaps that ended before Redis went down
  for (auto& c : g_clients) {
    if (!c->got_state) continue;
    auto& ns = nodes[c->node];
    ++ns.clients;
    double prev = t_ready, max_gap = 0, from = NAN, first_any = NAN, first_change = NAN;
    long long prev_ver = -1;
    auto gap_to = [&](double t) {
      if (t - prev > max_gap) {
        max_gap = t - prev;
        from = prev - down;
      }
    };
    for (auto& [t, ver] : got[c->idx]) {
      gap_to(t);
      if (t < down) steady_gaps.push_back(t - prev);
      if (prev_ver >= 0 && ver < prev_ver) ++ns.regressions;
      if (!std::isnan(up) && t >= up) {
        if (std::isnan(first_any)) first_any = t - up;
        if (std::isnan(first_change) && ver != prev_ver) first_change = t - up;
      }
      prev = t;
      prev_ver = ver;
    }
    gap_to(t_end);  // a member that never heard again counts to the end
    ns.max_gaps.push_back(max_gap);
    if (max_gap > ns.worst_gap) {
      ns.worst_gap = max_gap;
      ns.worst_from = from;
    }
    if (!std::isnan(first_any)) ns.first_after_up.push_back(first_any);
    if (std::isnan(first_change)) ++ns.never_changed;
    else ns.first_change_after_up.push_back(first_change);
  }
  auto node_json = [](const NodeStats& ns) {
    return json::object{{"clients", ns.clients},
                        {"max_gap_ms", ns.worst_gap},
                        {"max_gap_from_ms", ns.worst_from},
                        {"per_client_max_gap_ms", summary(ns.max_gaps)},
                        {"first_delivery_after_up_ms", pct(ns.first_after_up, 0)},
                        {"first_change_after_up_ms", pct(ns.first_change_after_up, 0)},
                        {"all_changed_after_up_ms", ns.never_changed ? NAN : pct(ns.first_change_after_up, 100)},
                        {"clients_without_change_after_up", ns.never_changed},
                        {"version_regressions", ns.regressions}};
  };
  json::object errs;
  for (auto& [k, v] : errors) errs[k] = v;
  g_result = {{"members", members},
              {"interval_ms", interval},
              {"connect_ms", conn_ms},
              {"recorded_s", (t_end - t_ready) / 1000},
              {"controls_sent", sent},
              {"redis_down_at_s", (down - t_ready) / 1000},
              {"redis_down_ms", up - down},
              {"max_gap_node2_ms", nodes[1].worst_gap},
              {"max_gap_node1_ms", nodes[0].worst_gap},
              {"unavailable_errors", errors.count("unavailable") ? errors["unavailable"] : 0},
              {"first_unavailable_after_down_ms", unavailable_at.empty() ? NAN : unavailable_at.front() - down},
              {"last_unavailable_after_up_ms", unavailable_at.empty() ? NAN : unavailable_at.back() - up},
              {"redis_up_to_first_change_node2_ms", nodes[1].first_change_after_up.empty()
                                                        ? NAN
                                                        : pct(nodes[1].first_change_after_up, 0)},
              {"steady_gap_ms", summary(steady_gaps)},
              {"controller_errors", errs},
              {"node1", node_json(nodes[0])},
              {"node2", node_json(nodes[1])},
              {"diverged_at_end", diverged},
              {"closed_during_run", closed}};
  log("redis-restart: " + json::serialize(g_result));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: wp_loadgen MODE --port P [--key value]...\n";
    return 2;
  }
  g_mode = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k.rfind("--", 0) != 0) {
      std::cerr << "bad argument " << k << "\n";
      return 2;
    }
    g_args[k.substr(2)] = argv[i + 1];
  }
  auto port = static_cast<unsigned short>(num("port", 8000));
  g_ep = tcp::endpoint(asio::ip::make_address("127.0.0.1"), port);
  g_host_header = "127.0.0.1:" + std::to_string(port);
  g_eps = {g_ep};
  g_hosts = {g_host_header};
  if (auto port2 = static_cast<unsigned short>(num("port2", 0))) {
    g_eps.emplace_back(asio::ip::make_address("127.0.0.1"), port2);
    g_hosts.push_back("127.0.0.1:" + std::to_string(port2));
  }
  asio::io_context ioc(1);
  std::exception_ptr failure;
  auto run = [&]() -> awaitable<void> {
    if (g_mode == "register") co_await mode_register();
    else if (g_mode == "sync") co_await mode_sync();
    else if (g_mode == "idle") co_await mode_idle();
    else if (g_mode == "fanout") co_await mode_fanout();
    else if (g_mode == "throughput") co_await mode_throughput();
    else if (g_mode == "login") co_await mode_login();
    else if (g_mode == "redis-restart") co_await mode_redis_restart();
    else throw std::invalid_argument("unknown mode " + g_mode);
  };
  asio::co_spawn(ioc, run(), [&](std::exception_ptr e) {
    failure = e;
    ioc.stop();
  });
  ioc.run();
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      std::cerr << "wp_loadgen: " << e.what() << "\n";
      return 1;
    }
  }
  g_result["mode"] = g_mode;
  std::cout << json::serialize(g_result) << std::endl;
  std::_Exit(0);  // thousands of sockets: skip orderly teardown
}

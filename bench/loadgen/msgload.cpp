// wp_msgload: the load generator of the messaging benchmark (issue #14), in
// C++ so that it costs little of the machine it measures. bench/messaging.py
// starts the nodes, makes the users and the conversation, then runs this:
//
//   wp_msgload --members FILE --conversation ID --rate R --duration S
//              [--conns 1] [--viewing 1] [--drain-s 10] [--server-pids P1,P2]
//
// FILE: one member per line, "port token" (the node it sends to and listens on).
// Each member keeps --conns keep-alive HTTP connections to its node, each with
// one send in flight, and sends open-loop at rate / members / conns per second
// (a send that is due while the previous one is still out leaves late; how late
// is reported). Its /ws/user/ socket on the same node says `viewing` for the
// conversation (unless --viewing 0) and reads `message_new`. Latency: from the
// moment a send request is written to the receipt of its message on each
// member's socket (every delivery). Each body is 40 characters naming its
// client_id. One I/O thread; prints one JSON object.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using asio::awaitable;
constexpr auto as_tuple = asio::as_tuple(asio::use_awaitable);
using namespace std::chrono_literals;

namespace {

std::map<std::string, std::string> g_args;

std::string arg(const std::string& k, const std::string& def = "") {
  auto it = g_args.find(k);
  return it == g_args.end() ? def : it->second;
}
double num(const std::string& k, double def) {
  auto it = g_args.find(k);
  return it == g_args.end() ? def : std::stod(it->second);
}

const auto g_start = std::chrono::steady_clock::now();
double mono_ms() { return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - g_start).count(); }
void log(const std::string& s) { std::cerr << "[msgload " << static_cast<long>(mono_ms()) << "ms] " << s << std::endl; }

double pct_sorted(const std::vector<double>& v, double p) {
  if (v.empty()) return NAN;
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size())))];
}
double round2(double x) { return std::round(x * 100) / 100; }

double self_cpu_s() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}
// utime + stime of another process (a node), seconds; -1 when it is gone.
double cpu_s(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(f)), {});
  auto p = all.rfind(')');
  if (p == std::string::npos) return -1;
  std::istringstream in(all.substr(p + 2));
  std::string field;
  double ut = 0, st = 0;
  for (int i = 3; i <= 15 && in >> field; ++i) {
    if (i == 14) ut = std::stod(field);
    if (i == 15) st = std::stod(field);
  }
  return (ut + st) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

awaitable<void> sleep_ms(double ms) {
  asio::steady_timer t(co_await asio::this_coro::executor);
  t.expires_after(std::chrono::microseconds(static_cast<long long>(ms * 1000)));
  co_await t.async_wait(as_tuple);
}

struct Member {
  int idx = 0;
  unsigned short port = 0;
  std::string token;
  std::unique_ptr<websocket::stream<beast::tcp_stream>> ws;
  bool hello = false, closed = false;
  std::deque<std::string> outq;
  bool writing = false;
  // client_id -> receipts of it on this member's socket (more than 1 is a duplicate)
  std::unordered_map<std::string, int> seen;
};

std::vector<std::unique_ptr<Member>> g_members;
std::string g_conversation;
// client_id -> the moment its send request was written (mono ms)
std::unordered_map<std::string, double> g_sent_at;
std::vector<double> g_latency;  // one per first receipt of a sent message on a socket
long g_duplicates = 0, g_unknown = 0, g_non_201 = 0, g_http_errors = 0;
std::vector<double> g_late_ms;  // how far behind its schedule each send left

tcp::endpoint endpoint(unsigned short port) { return {asio::ip::make_address("127.0.0.1"), port}; }

awaitable<void> ws_writer(Member* m) {
  while (!m->outq.empty() && !m->closed) {
    std::string s = std::move(m->outq.front());
    m->outq.pop_front();
    auto [ec, n] = co_await m->ws->async_write(asio::buffer(s), as_tuple);
    if (ec) break;
  }
  m->writing = false;
}

void ws_send(Member& m, std::string text) {
  m.outq.push_back(std::move(text));
  if (!m.writing) {
    m.writing = true;
    asio::co_spawn(m.ws->get_executor(), ws_writer(&m), asio::detached);
  }
}

// Only message_new frames are parsed; the type is checked on the raw text first.
void on_frame(Member& m, std::string_view text, double at) {
  if (!m.hello) {
    m.hello = true;
    return;
  }
  if (text.find("\"message_new\"") == std::string_view::npos) return;
  auto v = json::parse(text);
  const auto& msg = v.at("data").at("message").as_object();
  const auto* cid = msg.if_contains("client_id");
  if (!cid || !cid->is_string()) return;
  std::string id(cid->as_string());
  auto sent = g_sent_at.find(id);
  if (sent == g_sent_at.end()) {
    ++g_unknown;
    return;
  }
  if (++m.seen[id] > 1) {
    ++g_duplicates;
    return;
  }
  g_latency.push_back(at - sent->second);
}

awaitable<void> ws_reader(Member* m) {
  beast::flat_buffer buf;
  for (;;) {
    auto [ec, n] = co_await m->ws->async_read(buf, as_tuple);
    if (ec) break;
    double at = mono_ms();
    on_frame(*m, {static_cast<const char*>(buf.data().data()), buf.size()}, at);
    buf.consume(buf.size());
  }
  m->closed = true;
}

awaitable<void> connect_socket(Member* m) {
  m->ws = std::make_unique<websocket::stream<beast::tcp_stream>>(co_await asio::this_coro::executor);
  auto& tcp_layer = beast::get_lowest_layer(*m->ws);
  tcp_layer.expires_after(30s);
  co_await tcp_layer.async_connect(endpoint(m->port), asio::use_awaitable);
  tcp_layer.expires_never();
  m->ws->set_option(websocket::stream_base::timeout{60s, websocket::stream_base::none(), false});
  m->ws->read_message_max(1 << 22);
  co_await m->ws->async_handshake("127.0.0.1:" + std::to_string(m->port), "/ws/user/?token=" + m->token,
                                  asio::use_awaitable);
  asio::co_spawn(m->ws->get_executor(), ws_reader(m), asio::detached);
}

// As the web client does with the thread open (docs/realtime.md, "Messaging"):
// `viewing` now and every 30 s, so the members get no new_message notices.
awaitable<void> keep_viewing(Member* m) {
  while (!m->closed) {
    ws_send(*m, json::serialize(json::object{{"type", "viewing"}, {"conversation_id", g_conversation}}));
    co_await sleep_ms(30000);
  }
}

// One keep-alive connection of one member with one send in flight.
awaitable<void> sender(Member* m, int conn, double per_s, double start, double duration_ms) {
  beast::tcp_stream s(co_await asio::this_coro::executor);
  co_await s.async_connect(endpoint(m->port), asio::use_awaitable);
  beast::flat_buffer buf;
  const std::string target = "/api/conversations/" + g_conversation + "/messages/";
  const std::string host = "127.0.0.1:" + std::to_string(m->port);
  for (long n = 0;; ++n) {
    double offset = static_cast<double>(n) * 1000.0 / per_s;
    if (offset >= duration_ms - 1e-6) break;  // duration x per_s sends, not one more by rounding
    double due = start + offset;
    double now = mono_ms();
    if (due > now) co_await sleep_ms(due - now);
    std::string cid = std::to_string(m->idx) + "-" + std::to_string(conn) + "-" + std::to_string(n);
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, target, 11};
    req.set(bhttp::field::host, host);
    req.set(bhttp::field::authorization, "Bearer " + m->token);
    req.set(bhttp::field::content_type, "application/json");
    // 40 characters that differ per message, as chat does (the same text again
    // and again would be moderation's repeat signal: a flag per member and minute).
    std::string text = "bench message " + cid;
    text.resize(40, '.');
    req.body() = json::serialize(json::object{{"client_id", cid}, {"body", text}});
    req.keep_alive(true);
    req.prepare_payload();
    double at = mono_ms();
    g_late_ms.push_back(std::max(0.0, at - due));
    g_sent_at.emplace(cid, at);
    s.expires_after(60s);
    auto [wec, wn] = co_await bhttp::async_write(s, req, as_tuple);
    bhttp::response<bhttp::string_body> res;
    beast::error_code rec;
    if (!wec) {
      auto [e, rn] = co_await bhttp::async_read(s, buf, res, as_tuple);
      rec = e;
    }
    if (wec || rec) {
      ++g_http_errors;
      log("send failed: " + (wec ? wec : rec).message());
      co_return;
    }
    if (res.result_int() != 201) ++g_non_201;
  }
}

std::vector<int> server_pids() {
  std::vector<int> pids;
  std::istringstream in(arg("server-pids"));
  for (std::string p; std::getline(in, p, ',');)
    if (!p.empty()) pids.push_back(std::stoi(p));
  return pids;
}

awaitable<void> run(json::object& out) {
  const double rate = num("rate", 1000), duration_s = num("duration", 10), drain_s = num("drain-s", 10);
  const int conns = static_cast<int>(num("conns", 1));
  const bool viewing = num("viewing", 1) != 0;
  for (auto& m : g_members) co_await connect_socket(m.get());
  while (std::any_of(g_members.begin(), g_members.end(), [](auto& m) { return !m->hello && !m->closed; }))
    co_await sleep_ms(5);
  auto ex = co_await asio::this_coro::executor;
  if (viewing) {
    for (auto& m : g_members) asio::co_spawn(ex, keep_viewing(m.get()), asio::detached);
    co_await sleep_ms(500);  // no answer to wait for: give the nodes a moment to store it
  }
  auto pids = server_pids();
  std::vector<double> server_cpu0;
  for (int p : pids) server_cpu0.push_back(cpu_s(p));
  const double cpu0 = self_cpu_s();
  const double per_s = rate / static_cast<double>(g_members.size()) / conns;
  const double start = mono_ms() + 5;
  int running = 0;
  for (auto& m : g_members)
    for (int c = 0; c < conns; ++c) {
      ++running;
      asio::co_spawn(ex, sender(m.get(), c, per_s, start, duration_s * 1000), [&running](std::exception_ptr e) {
        if (e) ++g_http_errors;
        --running;
      });
    }
  while (running > 0) co_await sleep_ms(2);
  const double send_s = (mono_ms() - start) / 1000;
  const std::size_t expected = g_sent_at.size() * g_members.size();
  for (double until = mono_ms() + drain_s * 1000; mono_ms() < until && g_latency.size() < expected;)
    co_await sleep_ms(20);
  const double cpu = self_cpu_s() - cpu0;
  json::array server_cpu;
  for (std::size_t i = 0; i < pids.size(); ++i) server_cpu.push_back(round2(cpu_s(pids[i]) - server_cpu0[i]));
  for (auto& m : g_members) {
    m->closed = true;
    beast::error_code ec;
    beast::get_lowest_layer(*m->ws).socket().close(ec);
  }
  std::sort(g_latency.begin(), g_latency.end());
  std::sort(g_late_ms.begin(), g_late_ms.end());
  out = {{"generator", "wp_msgload"}, {"members", g_members.size()}, {"connections", g_members.size() * conns},
         {"target_rate", rate}, {"viewing", viewing}, {"duration_s", duration_s}, {"messages", g_sent_at.size()},
         {"messages_per_s", std::round(static_cast<double>(g_sent_at.size()) / send_s * 10) / 10},
         {"non_201", g_non_201}, {"http_errors", g_http_errors}, {"deliveries", g_latency.size()},
         {"lost_deliveries", static_cast<long>(expected) - static_cast<long>(g_latency.size())},
         {"duplicated_deliveries", g_duplicates}, {"unknown_deliveries", g_unknown}};
  if (!g_latency.empty()) {
    out["p50_ms"] = round2(pct_sorted(g_latency, 50));
    out["p99_ms"] = round2(pct_sorted(g_latency, 99));
    out["max_ms"] = round2(g_latency.back());
    out["mean_ms"] = round2(std::accumulate(g_latency.begin(), g_latency.end(), 0.0) / g_latency.size());
  }
  if (!g_late_ms.empty()) out["send_late_p99_ms"] = round2(pct_sorted(g_late_ms, 99));
  out["loadgen_cpu_s"] = round2(cpu);
  out["loadgen_cpu_share"] = round2(cpu / (mono_ms() / 1000 - start / 1000));
  out["server_cpu_s"] = server_cpu;
}

void load_members() {
  std::ifstream f(arg("members"));
  int port = 0;
  std::string token;
  while (f >> port >> token) {
    auto m = std::make_unique<Member>();
    m->idx = static_cast<int>(g_members.size());
    m->port = static_cast<unsigned short>(port);
    m->token = token;
    g_members.push_back(std::move(m));
  }
  if (g_members.empty()) throw std::invalid_argument("no members in --members " + arg("members"));
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k.rfind("--", 0) != 0) {
      std::cerr << "bad argument " << k << "\n";
      return 2;
    }
    g_args[k.substr(2)] = argv[i + 1];
  }
  json::object out;
  try {
    load_members();
    g_conversation = arg("conversation");
    asio::io_context ioc(1);
    std::exception_ptr failure;
    asio::co_spawn(ioc, run(out), [&](std::exception_ptr e) {
      failure = e;
      ioc.stop();
    });
    ioc.run();
    if (failure) std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    std::cerr << "wp_msgload: " << e.what() << "\n";
    return 1;
  }
  std::cout << json::serialize(out) << std::endl;
  return 0;
}

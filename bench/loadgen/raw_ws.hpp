#pragma once
// The load generator's WebSocket client (RFC 6455, client side): the upgrade
// request, masked frames out with one write in flight, frames in parsed from
// each read, pings answered with pongs. It replaced Beast's stream, which
// cost the generator about 8 µs per message received on the two cores it
// shares with the server (bench/NOTES.md, "A cheaper load generator").
//
// Each read keeps the kernel's arrival time of its bytes (SO_TIMESTAMPNS):
// on loopback that is the moment the server's write put them in this
// socket, so a latency taken from it is the server's alone, not the time the
// generator took to get to this socket among a thousand others.
#include <boost/asio.hpp>

#include <sys/socket.h>
#include <time.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace wp::loadgen {

class RawWs {
 public:
  using tcp = boost::asio::ip::tcp;
  template <class T>
  using awaitable = boost::asio::awaitable<T>;

  explicit RawWs(boost::asio::any_io_executor ex) : sock_(std::move(ex)) {}

  tcp::socket& socket() { return sock_; }
  const boost::asio::any_io_executor& executor() { return sock_.get_executor(); }
  // The close code the server sent (0: none, the connection just ended).
  int close_code() const { return close_code_; }

  // Connects and upgrades; false when either fails or the answer is not 101.
  awaitable<bool> open(const tcp::endpoint& ep, const std::string& host, const std::string& target) {
    constexpr auto tuple = boost::asio::as_tuple(boost::asio::use_awaitable);
    auto [cec] = co_await sock_.async_connect(ep, tuple);
    if (cec) co_return false;
    boost::system::error_code ec;
    sock_.set_option(tcp::no_delay(true), ec);  // as browsers do
    int on = 1;
    ::setsockopt(sock_.native_handle(), SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
    std::string request = "GET " + target + " HTTP/1.1\r\nHost: " + host +
                          "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + random_key() +
                          "\r\nSec-WebSocket-Version: 13\r\nUser-Agent: wp_loadgen\r\n\r\n";
    auto [wec, wn] = co_await boost::asio::async_write(sock_, boost::asio::buffer(request), tuple);
    if (wec) co_return false;
    auto [rec, head_end] = co_await boost::asio::async_read_until(sock_, boost::asio::dynamic_buffer(in_), "\r\n\r\n", tuple);
    if (rec || in_.compare(0, 12, "HTTP/1.1 101") != 0) co_return false;
    in_.erase(0, head_end);  // what follows the head is the first frames
    co_return true;
  }

  // Reads until the connection ends, calling on_text(text, arrival_wall_ms)
  // for each text message, in order.
  template <class OnText>
  awaitable<void> read_all(OnText on_text) {
    constexpr auto tuple = boost::asio::as_tuple(boost::asio::use_awaitable);
    double arrival = wall_ms_now();
    for (;;) {
      if (!take_frames(on_text, arrival)) co_return;
      auto [ec] = co_await sock_.async_wait(tcp::socket::wait_read, tuple);
      if (ec) co_return;
      if (!receive(arrival)) co_return;
    }
  }

  void send_text(std::string_view text) { send_frame(0x1, text); }

  void close() {
    boost::system::error_code ec;
    sock_.close(ec);
  }

 private:
  // Drains the socket without blocking; false when it ended or failed.
  bool receive(double& arrival) {
    static thread_local char scratch[256 * 1024];
    for (;;) {
      char control[CMSG_SPACE(sizeof(timespec))];
      iovec iov{scratch, sizeof scratch};
      msghdr msg{};
      msg.msg_iov = &iov;
      msg.msg_iovlen = 1;
      msg.msg_control = control;
      msg.msg_controllen = sizeof control;
      ssize_t n = ::recvmsg(sock_.native_handle(), &msg, MSG_DONTWAIT);
      if (n == 0) return false;
      if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
      in_.append(scratch, static_cast<std::size_t>(n));
      arrival = wall_ms_now();
      for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
          timespec ts;
          std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
          arrival = static_cast<double>(ts.tv_sec) * 1000.0 + static_cast<double>(ts.tv_nsec) / 1e6;
        }
      if (static_cast<std::size_t>(n) < sizeof scratch) return true;
    }
  }

  // Handles every complete frame in in_; false once a close frame came.
  template <class OnText>
  bool take_frames(OnText& on_text, double arrival) {
    std::size_t pos = 0;
    bool open = true;
    while (open) {
      std::size_t left = in_.size() - pos;
      if (left < 2) break;
      auto b0 = static_cast<unsigned char>(in_[pos]), b1 = static_cast<unsigned char>(in_[pos + 1]);
      std::size_t head = 2;
      std::uint64_t len = b1 & 0x7f;
      if (len == 126) {
        if (left < 4) break;
        len = (std::uint64_t{static_cast<unsigned char>(in_[pos + 2])} << 8) | static_cast<unsigned char>(in_[pos + 3]);
        head = 4;
      } else if (len == 127) {
        if (left < 10) break;
        len = 0;
        for (int i = 0; i < 8; ++i) len = (len << 8) | static_cast<unsigned char>(in_[pos + 2 + i]);
        head = 10;
      }
      if (left - head < len) break;
      std::string_view payload(in_.data() + pos + head, static_cast<std::size_t>(len));
      pos += head + static_cast<std::size_t>(len);
      bool fin = b0 & 0x80;
      switch (b0 & 0x0f) {
        case 0x0:  // continuation
        case 0x1:  // text
        case 0x2:
          if (fin && message_.empty()) {
            on_text(payload, arrival);
          } else {
            message_.append(payload);
            if (fin) {
              on_text(std::string_view(message_), arrival);
              message_.clear();
            }
          }
          break;
        case 0x8:
          close_code_ = payload.size() >= 2
                            ? (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1])
                            : 1005;
          open = false;
          break;
        case 0x9: send_frame(0xA, payload); break;
        default: break;  // a pong
      }
    }
    in_.erase(0, pos);
    return open;
  }

  void send_frame(unsigned opcode, std::string_view payload) {
    std::string& out = writing_ ? queued_ : sending_;
    out.push_back(static_cast<char>(0x80 | opcode));
    std::size_t n = payload.size();
    if (n < 126) {
      out.push_back(static_cast<char>(0x80 | n));
    } else if (n < 65536) {
      out.push_back(static_cast<char>(0x80 | 126));
      out.push_back(static_cast<char>(n >> 8));
      out.push_back(static_cast<char>(n & 0xff));
    } else {
      out.push_back(static_cast<char>(0x80 | 127));
      for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((static_cast<std::uint64_t>(n) >> (8 * i)) & 0xff));
    }
    std::uint32_t key = next_random();
    char mask[4];
    std::memcpy(mask, &key, 4);
    out.append(mask, 4);
    for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<char>(payload[i] ^ mask[i % 4]));
    if (!writing_) {
      writing_ = true;
      boost::asio::co_spawn(sock_.get_executor(), write_loop(), boost::asio::detached);
    }
  }

  // One write in flight; what is sent meanwhile goes out in the next one.
  awaitable<void> write_loop() {
    constexpr auto tuple = boost::asio::as_tuple(boost::asio::use_awaitable);
    while (!sending_.empty()) {
      auto [ec, n] = co_await boost::asio::async_write(sock_, boost::asio::buffer(sending_), tuple);
      sending_.clear();
      if (ec) {
        queued_.clear();
        break;
      }
      sending_.swap(queued_);
    }
    writing_ = false;
  }

  std::uint32_t next_random() {
    rng_ ^= rng_ << 13;
    rng_ ^= rng_ >> 17;
    rng_ ^= rng_ << 5;
    return rng_;
  }

  std::string random_key() {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned char raw[16];
    for (int i = 0; i < 16; i += 4) {
      std::uint32_t r = next_random();
      std::memcpy(raw + i, &r, 4);
    }
    std::string key;
    for (int i = 0; i < 15; i += 3) {  // 5 groups of 3 bytes, then the 16th byte and "=="
      std::uint32_t v = (raw[i] << 16) | (raw[i + 1] << 8) | raw[i + 2];
      for (int s = 18; s >= 0; s -= 6) key.push_back(kAlphabet[(v >> s) & 0x3f]);
    }
    key.push_back(kAlphabet[raw[15] >> 2]);
    key.push_back(kAlphabet[(raw[15] & 0x3) << 4]);
    key += "==";
    return key;
  }

  static double wall_ms_now() {
    timespec ts;
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<double>(ts.tv_sec) * 1000.0 + static_cast<double>(ts.tv_nsec) / 1e6;
  }

  tcp::socket sock_;
  std::string in_;       // bytes read and not yet taken as frames
  std::string message_;  // a fragmented message's pieces so far
  std::string sending_, queued_;
  bool writing_ = false;
  int close_code_ = 0;
  std::uint32_t rng_ = static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(this)) | 1u;
};

}  // namespace wp::loadgen

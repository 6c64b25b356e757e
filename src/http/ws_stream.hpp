#pragma once
// The socket under a server WebSocket (websocket_session.cpp only): a
// beast::tcp_stream that lets ClientCloseCheck watch the bytes Beast reads
// and, when the client's close reason was not UTF-8, turns the 1002 that
// Beast 1.81 answers into the 1007 RFC 6455 §8.1 asks for. Everything else
// passes through unchanged.
#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/teardown.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "http/ws_close_check.hpp"

namespace wp::http::transport {

class CheckedTcpStream {
 public:
  using next_layer_type = boost::beast::tcp_stream;
  using executor_type = next_layer_type::executor_type;

  explicit CheckedTcpStream(next_layer_type&& next) : next_(std::move(next)) {}

  executor_type get_executor() noexcept { return next_.get_executor(); }
  next_layer_type& next_layer() noexcept { return next_; }
  const next_layer_type& next_layer() const noexcept { return next_; }

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return boost::asio::async_compose<Token, void(boost::beast::error_code, std::size_t)>(
        ReadOp<MutableBuffers>{*this, buffers}, token, next_);
  }

  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return boost::asio::async_compose<Token, void(boost::beast::error_code, std::size_t)>(
        WriteOp<ConstBuffers>{*this, buffers}, token, next_);
  }

 private:
  template <class MutableBuffers>
  struct ReadOp {
    CheckedTcpStream& s;
    MutableBuffers buffers;
    bool started = false;
    template <class Self>
    void operator()(Self& self, boost::beast::error_code ec = {}, std::size_t n = 0) {
      if (!started) {
        started = true;
        auto b = buffers;  // the op itself moves into the call
        s.next_.async_read_some(b, std::move(self));
        return;
      }
      std::size_t left = n;
      for (auto b : boost::beast::buffers_range_ref(buffers)) {
        if (left == 0) break;
        auto take = std::min(left, b.size());
        s.check_.feed(std::string_view(static_cast<const char*>(b.data()), take));
        left -= take;
      }
      self.complete(ec, n);
    }
  };

  template <class ConstBuffers>
  struct WriteOp {
    CheckedTcpStream& s;
    ConstBuffers buffers;
    bool started = false;
    template <class Self>
    void operator()(Self& self, boost::beast::error_code ec = {}, std::size_t n = 0) {
      if (!started) {
        started = true;
        if (s.take_patched(buffers)) {
          s.next_.async_write_some(boost::asio::buffer(s.patched_.data() + s.patched_sent_,
                                                       s.patched_.size() - s.patched_sent_),
                                   std::move(self));
          return;
        }
        auto b = buffers;
        s.next_.async_write_some(b, std::move(self));
        return;
      }
      if (!s.patched_.empty()) s.patched_sent_ += n;
      self.complete(ec, n);
    }
  };

  // Whether this write goes out of patched_: the server's close frame after a
  // client's close reason that was not UTF-8, or the rest of it after a short write.
  template <class ConstBuffers>
  bool take_patched(const ConstBuffers& buffers) {
    auto size = boost::asio::buffer_size(buffers);
    if (!patched_.empty()) {
      if (patched_sent_ < patched_.size() && size == patched_.size() - patched_sent_) return true;
      patched_.clear();
      patched_sent_ = 0;
    }
    if (!check_.bad_reason() || patched_done_ || size < 4 || size > 127) return false;
    std::string frame = boost::beast::buffers_to_string(buffers);
    namespace ws = boost::beast::websocket;
    if (!rewrite_close_code(frame, ws::close_code::protocol_error, ws::close_code::bad_payload)) return false;
    patched_done_ = true;
    patched_ = std::move(frame);
    patched_sent_ = 0;
    return true;
  }

  next_layer_type next_;
  ClientCloseCheck check_;
  bool patched_done_ = false;
  std::string patched_;
  std::size_t patched_sent_ = 0;
};

// Beast's closing handshake ends by tearing down the layer under the stream.
inline void teardown(boost::beast::role_type role, CheckedTcpStream& s, boost::beast::error_code& ec) {
  boost::beast::teardown(role, s.next_layer(), ec);
}

template <class TeardownHandler>
void async_teardown(boost::beast::role_type role, CheckedTcpStream& s, TeardownHandler&& handler) {
  boost::beast::async_teardown(role, s.next_layer(), std::forward<TeardownHandler>(handler));
}

}  // namespace wp::http::transport

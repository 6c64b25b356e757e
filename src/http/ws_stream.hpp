#pragma once
// The socket under a server WebSocket (websocket_session.cpp only): a
// plain TCP socket (the WebSocket stream keeps its own timeouts) that lets ClientCloseCheck watch the bytes Beast reads
// and, when the client's close reason was not UTF-8, turns the 1002 that
// Beast 1.81 answers into the 1007 RFC 6455 §8.1 asks for. Reads pass
// through. Beast's writes (the handshake answer, ping, pong, close) do not
// reach the socket from here: they go, whole, to the connection's send
// queue (ControlWriter), whose one writer also writes the shared data
// frames straight to the socket; Beast's write completes once its bytes
// are on the wire.
#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/teardown.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "http/ws_close_check.hpp"
#include "http/ws_send_queue.hpp"

namespace wp::http::transport {

class ControlWriter {
 public:
  virtual ~ControlWriter() = default;
  // On the connection's I/O thread; `done` runs there once the bytes are written
  // or the socket failed, never inside this call.
  virtual void write_control(Frame bytes, std::unique_ptr<WriteDone> done) = 0;
};

class CheckedTcpStream {
 public:
  using next_layer_type = boost::asio::ip::tcp::socket;
  using executor_type = next_layer_type::executor_type;

  explicit CheckedTcpStream(next_layer_type&& next) : next_(std::move(next)) {}

  executor_type get_executor() noexcept { return next_.get_executor(); }
  next_layer_type& next_layer() noexcept { return next_; }
  const next_layer_type& next_layer() const noexcept { return next_; }
  // Before the first write.
  void set_control_writer(ControlWriter* writer) noexcept { writer_ = writer; }

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

  // Beast sees one write_some take all its bytes.
  template <class ConstBuffers>
  struct WriteOp {
    CheckedTcpStream& s;
    ConstBuffers buffers;
    template <class Self>
    void operator()(Self& self) {
      auto bytes = boost::beast::buffers_to_string(buffers);
      auto n = bytes.size();
      s.patch_close(bytes);
      s.writer_->write_control(std::make_shared<const std::string>(std::move(bytes)),
                               std::make_unique<Resume<Self>>(std::move(self), n));
    }
  };

  template <class Self>
  struct Resume final : WriteDone {
    Resume(Self&& s, std::size_t n) : self(std::move(s)), size(n) {}
    void operator()(boost::system::error_code ec) override { self.complete(ec, ec ? 0 : size); }
    Self self;
    std::size_t size;
  };

  // The server's close frame after a client's close reason that was not UTF-8.
  void patch_close(std::string& bytes) {
    if (!check_.bad_reason() || patched_done_ || bytes.size() < 4 || bytes.size() > 127) return;
    namespace ws = boost::beast::websocket;
    if (rewrite_close_code(bytes, ws::close_code::protocol_error, ws::close_code::bad_payload)) patched_done_ = true;
  }

  next_layer_type next_;
  ClientCloseCheck check_;
  bool patched_done_ = false;
  ControlWriter* writer_ = nullptr;
};

// Beast's closing handshake ends by tearing down the layer under the stream.
inline void teardown(boost::beast::role_type role, CheckedTcpStream& s, boost::beast::error_code& ec) {
  boost::beast::websocket::teardown(role, s.next_layer(), ec);
}

template <class TeardownHandler>
void async_teardown(boost::beast::role_type role, CheckedTcpStream& s, TeardownHandler&& handler) {
  boost::beast::websocket::async_teardown(role, s.next_layer(), std::forward<TeardownHandler>(handler));
}

}  // namespace wp::http::transport

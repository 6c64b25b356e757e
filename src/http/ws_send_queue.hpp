#pragma once
// The bounded send queue of one WebSocket (websocket_session.cpp), used on
// its I/O thread only: data frames come through the thread's outbox, the
// connection's own bytes (the handshake answer, ping, pong, close) from the
// connection. One writer takes them out in batches, the connection's own
// first, and writes each batch with one gathered write: the socket never has
// two writes in flight, so frames never interleave.
#include <cstddef>
#include <memory>
#include <vector>

#include "http/ws_frame.hpp"

namespace wp::http::transport {

class SendQueue {
 public:
  // Asio hands at most 64 buffers to one sendmsg.
  static constexpr std::size_t kMaxBatch = 64;
  using Batch = std::vector<Frame>;
  // Capacity a vector of frames keeps once drained: a few, so that a quiet
  // socket allocates nothing per message, and no more, since most sockets idle.
  static constexpr std::size_t kKeep = 8;

  enum class Push { queued, start_writer, full, closed };

  // At most `limit` data frames wait, besides those being written.
  explicit SendQueue(std::size_t limit) : limit_(limit) {}

  // full: the caller closes the connection (4008); start_writer: it writes now.
  Push push_data(Frame frame);
  // Written before any data still waiting, but a close frame: it goes last,
  // after the data close() kept, and nothing follows it.
  Push push_control(Frame frame);
  // The handshake is done: data may go out. True: start the writer.
  bool open();
  // Refuses more data, and drops what waits unless keep_data (the peer
  // closed: what was accepted before still goes out); false if already closing.
  bool close(bool keep_data = false);

  // Nothing waits or is being written, and data may go out: the caller may
  // write a data frame to the socket itself, at once.
  bool idle() const { return open_ && !writing_ && !closing_; }
  // When idle: the caller's frame is being written after all (the socket did
  // not take it whole), as if the writer had taken it.
  void claim();

  // The writer's next batch; false (and the writer stops) when nothing waits.
  // `out` is cleared first (and trimmed after a big batch).
  bool take(Batch& out);
  // The batch taken last is written (or failed: then no more data is taken).
  void written(bool failed);

  static bool is_close_frame(const std::string& bytes);

 private:
  void drop_data();
  template <class V>
  static void trim(V& v);

  const std::size_t limit_;
  std::vector<Frame> data_;
  std::vector<Frame> control_;
  Frame close_frame_;  // written once the data is
  std::size_t data_in_flight_ = 0;
  bool writing_ = false;
  bool open_ = false;
  bool closing_ = false;
};

}  // namespace wp::http::transport

#pragma once
// The bounded send queue of one WebSocket (websocket_session.cpp). Data
// frames come from any thread; Beast's own bytes (the handshake answer,
// ping, pong, close) come from the connection's I/O thread. One writer on that
// thread takes them out in batches, Beast's first, and writes each batch
// with one gathered write: the socket never has two writes in flight, so
// Beast's frames never interleave with the shared data frames.
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "http/ws_frame.hpp"

namespace wp::http::transport {

// Resumes what waits for bytes to be on the wire (a Beast write).
class WriteDone {
 public:
  virtual ~WriteDone() = default;
  virtual void operator()(boost::system::error_code ec) = 0;
};

class SendQueue {
 public:
  // Asio hands at most 64 buffers to one sendmsg.
  static constexpr std::size_t kMaxBatch = 64;
  struct Item {
    Frame frame;
    std::unique_ptr<WriteDone> done;  // set for Beast's bytes only
  };
  using Batch = std::vector<Item>;
  // Capacity a vector of frames keeps once drained: a few, so that a quiet
  // socket allocates nothing per message, and no more, since most sockets idle.
  static constexpr std::size_t kKeep = 8;

  enum class Push { queued, start_writer, full, closed };

  // At most `limit` data frames wait, besides those being written.
  explicit SendQueue(std::size_t limit) : limit_(limit) {}

  // Any thread. full: the caller closes the connection (4008).
  Push push_data(Frame frame);
  // The I/O thread only. Written before any data still waiting; a close frame
  // drops the data waiting and refuses more.
  Push push_control(Frame frame, std::unique_ptr<WriteDone> done);
  // The handshake is done: data may go out. True: start the writer.
  bool open();
  // Drops the data waiting and refuses more; false if already closing.
  bool close();

  // The writer's next batch, on the I/O thread; false (and the writer stops) when
  // nothing waits. `out` is cleared first (and trimmed after a big batch).
  bool take(Batch& out);
  // The batch taken last is written (or failed: then nothing more is taken
  // but Beast's bytes, which fail in turn and so resume Beast).
  void written(bool failed);

 private:
  static bool is_close_frame(const std::string& bytes);
  void drop_data();
  template <class V>
  static void trim(V& v);

  const std::size_t limit_;
  std::mutex mu_;
  std::vector<Frame> data_;
  std::vector<Item> control_;
  std::size_t data_in_flight_ = 0;
  bool writing_ = false;
  bool open_ = false;
  bool closing_ = false;
};

}  // namespace wp::http::transport

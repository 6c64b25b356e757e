#include "http/ws_send_queue.hpp"

#include <algorithm>
#include <iterator>

namespace wp::http::transport {

SendQueue::Push SendQueue::push_data(Frame frame) {
  if (closing_) return Push::closed;
  // Counting the frames being written keeps a batched writer to the same
  // bound as one writing a frame at a time: `limit` waiting plus one.
  if (data_.size() + std::max<std::size_t>(data_in_flight_, 1) > limit_) return Push::full;
  data_.push_back(std::move(frame));
  if (writing_ || !open_) return Push::queued;
  writing_ = true;
  return Push::start_writer;
}

SendQueue::Push SendQueue::push_control(Frame frame) {
  if (is_close_frame(*frame)) {
    closing_ = true;
    close_frame_ = std::move(frame);
  } else {
    control_.push_back(std::move(frame));
  }
  if (writing_) return Push::queued;
  writing_ = true;
  return Push::start_writer;
}

bool SendQueue::open() {
  open_ = true;
  if (writing_ || data_.empty()) return false;
  writing_ = true;
  return true;
}

bool SendQueue::close(bool keep_data) {
  if (closing_) return false;
  closing_ = true;
  if (!keep_data) drop_data();
  return true;
}

template <class V>
void SendQueue::trim(V& v) {
  if (v.capacity() <= kKeep || v.size() > kKeep) return;
  V fresh;
  fresh.reserve(kKeep);
  std::move(v.begin(), v.end(), std::back_inserter(fresh));
  v.swap(fresh);
}

void SendQueue::claim() {
  writing_ = true;
  data_in_flight_ = 1;
}

bool SendQueue::take(Batch& out) {
  out.clear();
  trim(out);
  for (auto& c : control_) out.push_back(std::move(c));
  control_.clear();
  trim(control_);
  if (open_) {
    auto n = std::min(data_.size(), kMaxBatch - std::min(out.size(), kMaxBatch - 1));
    for (std::size_t i = 0; i < n; ++i) out.push_back(std::move(data_[i]));
    data_.erase(data_.begin(), data_.begin() + static_cast<std::ptrdiff_t>(n));
    data_in_flight_ = n;
    trim(data_);
  }
  // Nothing may follow a close frame on the wire.
  if (close_frame_ && data_.empty() && out.size() < kMaxBatch) out.push_back(std::move(close_frame_));
  if (out.empty()) writing_ = false;
  return !out.empty();
}

void SendQueue::written(bool failed) {
  data_in_flight_ = 0;
  if (failed) {
    closing_ = true;
    drop_data();
  }
}

bool SendQueue::is_close_frame(const std::string& bytes) {
  // FIN and opcode 8. The connection's other bytes are control frames with
  // other opcodes or the HTTP answer to the handshake ("HTTP/1.1 ...").
  return !bytes.empty() && static_cast<unsigned char>(bytes[0]) == 0x88;
}

void SendQueue::drop_data() {
  std::vector<Frame>().swap(data_);
}

}  // namespace wp::http::transport

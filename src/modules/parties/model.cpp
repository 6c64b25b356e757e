#include "modules/parties/model.hpp"

#include <algorithm>

namespace wp::parties {

double Playback::expected_position(double now_ms) const {
  if (status != PlaybackStatus::playing) return position;
  return position + std::max(0.0, now_ms - anchor) / 1000.0 * rate;
}

bool Playback::pause_at(double now_ms) {
  if (status == PlaybackStatus::paused) return false;
  position = expected_position(now_ms);
  status = PlaybackStatus::paused;
  anchor = now_ms;
  return true;
}

}  // namespace wp::parties

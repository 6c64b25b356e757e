#pragma once
// The conflict rules of offline pushes (docs/api.md, "Delta sync"), as a
// pure function of the pushed batch and the records as they are now:
//   settings       last writer wins by server receive time (a push always
//                  applies; a null value deletes the key)
//   watch progress the maximum position wins
//   read marks     union: a read mark is never taken back
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "modules/mobile/store.hpp"

namespace wp::mobile {

struct SettingPush {
  std::string key;
  std::optional<std::string> value_json;  // serialized JSON value; nullopt deletes
};
struct ProgressPush {
  std::string video_id;
  double position_s = 0;
  double duration_s = 0;
};
struct ReadMarkPush {
  std::string kind;  // notification, message, conversation
  std::string id;
};
struct PushBatch {
  std::string batch_id;
  std::vector<SettingPush> settings;
  std::vector<ProgressPush> watch_progress;
  std::vector<ReadMarkPush> read_marks;
  std::size_t size() const { return settings.size() + watch_progress.size() + read_marks.size(); }
};

BatchPlan plan_batch(const PushBatch& batch, const RecordReader& current, std::int64_t now);

}  // namespace wp::mobile

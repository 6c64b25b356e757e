#pragma once
// The conflict rules of offline pushes (docs/api.md, "Delta sync"), as a
// pure function of the pushed batch, the records as they are now and what
// the modules that own the data did with the batch's items:
//   settings       last writer wins by server receive time (a push always
//                  applies; a null value deletes the key)
//   watch progress the maximum position wins (the videos module's watch
//                  time moves forward only)
//   read marks     union: a read mark is never taken back
#include <cstdint>
#include <map>
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
  std::string kind;        // notification, conversation
  std::string id;          // the notification, or the conversation
  std::string message_id;  // conversation: the last message read
};
struct PushBatch {
  std::string batch_id;
  std::vector<SettingPush> settings;
  std::vector<ProgressPush> watch_progress;
  std::vector<ReadMarkPush> read_marks;
  std::size_t size() const { return settings.size() + watch_progress.size() + read_marks.size(); }
};

// What the module owning an item did with it. An item with no outcome (no
// module wired, as in some tests) is decided by the change log alone.
enum class Applied { changed, unchanged, refused };
// Keyed by progress_key(video) or the read mark's record id.
using Outcomes = std::map<std::string, Applied>;

std::string progress_key(const std::string& video_id);
// "notification:<id>", "conversation:<id>:<message id>": one record per mark.
std::string mark_record_id(const ReadMarkPush& m);
// The batch's own furthest position per video.
std::map<std::string, ProgressPush> furthest_positions(const PushBatch& batch);

BatchPlan plan_batch(const PushBatch& batch, const RecordReader& current, std::int64_t now,
                     const Outcomes& outcomes = {});

}  // namespace wp::mobile

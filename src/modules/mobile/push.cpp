// Offline pushes: each item first goes to the module that owns it (the
// videos module's watch time, a notification, a conversation's read state),
// then the batch is written to the change log once per batch id.
#include "core/clock.hpp"
#include "core/error.hpp"
#include "modules/mobile/service.hpp"

namespace wp::mobile {

namespace {

// A refusal of the owning module (the video is gone or not visible, the
// notification is not the user's) skips the item; anything else fails the push.
Applied applied_by(const std::function<bool()>& apply) {
  try {
    return apply() ? Applied::changed : Applied::unchanged;
  } catch (const Error& e) {
    if (e.code() == ErrorCode::not_found || e.code() == ErrorCode::forbidden || e.code() == ErrorCode::validation)
      return Applied::refused;
    throw;
  }
}

}  // namespace

// Watch progress is already the furthest per video; marks are idempotent in
// their modules (read stays read, a conversation's read point only moves on),
// so a batch applied twice by two racing requests changes nothing more.
Outcomes MobileService::apply_to_modules(const Principal& user, const PushBatch& b,
                                         std::vector<std::pair<DataType, std::string>>& touched) {
  Outcomes out;
  if (targets_.watch_position)
    for (const auto& furthest : furthest_positions(b)) {
      const ProgressPush& p = furthest.second;
      auto a = applied_by([&] { return targets_.watch_position(user, p.video_id, p.position_s); });
      out[progress_key(p.video_id)] = a;
      if (a != Applied::refused) touched.emplace_back(DataType::watch_history, p.video_id);
    }
  for (const auto& m : b.read_marks) {
    auto id = mark_record_id(m);
    if (out.count(id)) continue;
    if (m.kind == to_string(ReadMarkKind::notification) && targets_.notification_read) {
      out[id] = applied_by([&] { return targets_.notification_read(user, m.id); });
      if (out[id] != Applied::refused) touched.emplace_back(DataType::notifications, m.id);
    } else if (m.kind == to_string(ReadMarkKind::conversation) && targets_.conversation_read) {
      out[id] = applied_by([&] { return targets_.conversation_read(user, m.id, m.message_id); });
      if (out[id] != Applied::refused) touched.emplace_back(DataType::conversations, m.id);
    }
  }
  return out;
}

BatchOutcome MobileService::apply_push(const Principal& user, const PushBatch& b) {
  if (auto seen = store_.batch_result(user.id, b.batch_id)) return {*seen, true};
  std::vector<std::pair<DataType, std::string>> touched;
  auto outcomes = apply_to_modules(user, b, touched);
  auto now = now_ms();
  auto result = store_.apply_batch(
      user.id, b.batch_id, [&](const RecordReader& current) { return plan_batch(b, current, now, outcomes); }, now);
  // What the modules have now goes to their feeds at once, so this sync's page carries it.
  if (!result.duplicate)
    for (const auto& [type, id] : touched) record_changed(type, user.id, id);
  return result;
}

}  // namespace wp::mobile

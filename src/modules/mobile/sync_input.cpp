#include "modules/mobile/sync_input.hpp"

#include "core/fields.hpp"

namespace wp::mobile {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxId = 128;
constexpr std::size_t kMaxSettingBytes = 4096;

const json::array* array_at(const json::object& o, const char* name, Fields& f, const std::string& path) {
  auto* v = o.if_contains(name);
  if (!v || v->is_null()) return nullptr;
  if (!v->is_array()) {
    f.add_error(path, "Must be a list.");
    return nullptr;
  }
  return &v->as_array();
}

// Each item of a list as an object; a bad one is reported under path[i].
template <class Fn>
void each_object(const json::array* a, Fields& f, const std::string& path, Fn fn) {
  if (!a) return;
  for (std::size_t i = 0; i < a->size(); ++i) {
    auto where = path + "[" + std::to_string(i) + "]";
    if (!(*a)[i].is_object()) {
      f.add_error(where, "Must be an object.");
      continue;
    }
    Fields item((*a)[i].as_object());
    fn((*a)[i].as_object(), item);
    try {
      item.done();
    } catch (const Error& e) {
      for (const auto& [name, msgs] : e.fields())
        for (const auto& m : msgs) f.add_error(where + "." + name, m);
    }
  }
}

PushBatch read_push(const json::object& o, Fields& f) {
  Fields top(o);
  PushBatch b;
  b.batch_id = top.required_string("batch_id", 1, kMaxId);
  try {
    top.done();
  } catch (const Error& e) {
    for (const auto& [name, msgs] : e.fields())
      for (const auto& m : msgs) f.add_error("push." + name, m);
  }
  each_object(array_at(o, "settings", f, "push.settings"), f, "push.settings", [&](const json::object& s, Fields& item) {
    SettingPush p;
    p.key = item.required_string("key", 1, kMaxId);
    auto* v = s.if_contains("value");
    if (!v) item.add_error("value", "This field is required (null deletes the setting).");
    if (v && !v->is_null()) p.value_json = json::serialize(*v);
    if (p.value_json && p.value_json->size() > kMaxSettingBytes) item.add_error("value", "At most 4096 bytes of JSON.");
    b.settings.push_back(std::move(p));
  });
  each_object(array_at(o, "watch_progress", f, "push.watch_progress"), f, "push.watch_progress",
              [&](const json::object&, Fields& item) {
                ProgressPush p;
                p.video_id = item.required_string("video_id", 1, kMaxId);
                p.position_s = item.required_number("position_s", 0, 1e7).value_or(0);
                p.duration_s = item.optional_number("duration_s", 0, 1e7).value_or(0);
                b.watch_progress.push_back(std::move(p));
              });
  each_object(array_at(o, "read_marks", f, "push.read_marks"), f, "push.read_marks",
              [&](const json::object&, Fields& item) {
                ReadMarkPush m;
                m.kind = item.required_string("kind", 1, 32);
                m.id = item.required_string("id", 1, kMaxId);
                m.message_id = item.optional_string("message_id", kMaxId).value_or("");
                auto kind = parse_enum<ReadMarkKind>(m.kind);
                if (!m.kind.empty() && !kind)
                  item.add_error("kind", "Must be one of " + enum_choices<ReadMarkKind>() + ".");
                if (kind == ReadMarkKind::conversation && m.message_id.empty())
                  item.add_error("message_id", "A conversation is read up to a message: name it.");
                if (kind == ReadMarkKind::notification && !m.message_id.empty())
                  item.add_error("message_id", "Only a conversation's read mark names a message.");
                b.read_marks.push_back(std::move(m));
              });
  return b;
}

}  // namespace

SyncRequest parse_sync_request(const json::object& body) {
  Fields f(body);
  SyncRequest r;
  r.device_id = f.required_string("device_id", 1, kMaxId);
  r.sync_id = f.optional_string("sync_id", kMaxId);
  if (auto n = f.optional_int("page_size", 1, 100000)) r.page_size = static_cast<int>(*n);
  if (auto* c = body.if_contains("cursors"); c && !c->is_null()) {
    if (!c->is_object()) f.add_error("cursors", "Must be an object of data type to cursor (null: from the start).");
    else
      for (const auto& [name, value] : c->as_object()) {
        auto type = parse_enum<DataType>(name);
        if (!type) {
          f.add_error("cursors", "Unknown data type '" + std::string(name) + "'; one of " + enum_choices<DataType>() + ".");
          continue;
        }
        if (!value.is_null() && !value.is_string()) {
          f.add_error("cursors." + std::string(name), "Must be a cursor string or null.");
          continue;
        }
        r.cursors[*type] = value.is_string() ? std::optional<std::string>(std::string(value.as_string())) : std::nullopt;
      }
  }
  if (auto* p = body.if_contains("push"); p && !p->is_null()) {
    if (!p->is_object()) f.add_error("push", "Must be an object.");
    else r.push = read_push(p->as_object(), f);
  }
  if (r.cursors.empty() && !r.push) f.add_error("cursors", "Ask for at least one data type, or push changes.");
  f.done();
  return r;
}

}  // namespace wp::mobile

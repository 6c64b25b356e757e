// The delta sync: cursors in, pages of changes out, offline pushes applied
// once per batch id, and each sync kept as a MobileSyncData row.
#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "modules/mobile/cursor.hpp"
#include "modules/mobile/service.hpp"

namespace wp::mobile {

namespace json = boost::json;

MobileService::MobileService(Store& store, SyncSettings settings) : store_(store), settings_(settings) {}

const std::string& MobileService::cursor_key() {
  std::call_once(key_once_, [this] { key_ = store_.instance_secret("mobile_cursor_key", random_hex(32), now_ms()); });
  return key_;
}

// Each requested type's last sequence; a cursor that is not this user's for that type is a 400.
std::map<DataType, std::int64_t> MobileService::read_cursors(const Principal& user, const SyncRequest& req) {
  std::map<DataType, std::int64_t> from;
  for (const auto& [type, text] : req.cursors) {
    from[type] = 0;
    if (!text) continue;
    auto c = verify_cursor(cursor_key(), *text);
    if (!c || c->user_id != user.id || c->type != type)
      throw_validation("cursors." + std::string(to_string(type)), "Not a cursor this server gave you for this type.");
    from[type] = c->seq;
  }
  return from;
}

namespace {

std::string data_types_json(const SyncRequest& req) {
  json::array a;
  for (const auto& [type, cursor] : req.cursors) a.emplace_back(to_string(type));
  return json::serialize(a);
}

// What the app asked for, so that the same request again (an answer lost) counts as a retry.
std::string request_digest(const SyncRequest& req) {
  std::string text;
  for (const auto& [type, cursor] : req.cursors) text += std::string(to_string(type)) + "=" + cursor.value_or("") + ";";
  return crypto::sha256_hex(text);
}

}  // namespace

// A new sync, or the one named by sync_id (resumed after a failure or a cut).
SyncRow MobileService::open_sync(const Principal& user, const DeviceRow& device, const SyncRequest& req) {
  if (req.sync_id) {
    if (!is_uuid(*req.sync_id)) throw_not_found("No such sync.");
    auto row = store_.sync_of(user.id, *req.sync_id);
    if (!row || row->device_id != device.id) throw_not_found("No such sync.");
    if (row->status != SyncStatus::completed) {
      if (row->status == SyncStatus::failed || row->last_request == request_digest(req)) ++row->retry_count;
      if (row->retry_count > settings_.max_retries)
        throw Error(ErrorCode::rate_limited, "This sync was retried too often; start a new one.");
      row->status = SyncStatus::in_progress;
      row->error.clear();
      return *row;
    }
  }
  // The pages of a running sync are bounded by its data; what is limited is starting syncs.
  if (limiter_ && settings_.syncs_per_minute > 0) {
    if (auto wait = limiter_->acquire("mobile.sync:" + user.id, settings_.syncs_per_minute, 60000))
      throw Error(ErrorCode::rate_limited, "Too many syncs; slow down.").with_retry_after(*wait);
  }
  SyncRow row;
  row.id = new_uuid();
  row.user_id = user.id;
  row.device_id = device.id;
  bool from_start = true;
  for (const auto& [type, cursor] : req.cursors) from_start = from_start && !cursor;
  row.sync_type = req.cursors.empty() ? SyncType::push : from_start ? SyncType::full : SyncType::delta;
  row.data_types = data_types_json(req);
  row.started_at = now_ms();
  store_.insert_sync(row);
  return row;
}

// One page: at most page_size changes over all the types, in the order of
// the types; a type the page had no room for keeps its cursor and says has_more.
void MobileService::build_pages(const Principal& user, const std::map<DataType, std::int64_t>& from, int page_size,
                                bool first_request, SyncResult& out) {
  int room = page_size;
  for (const auto& [type, after] : from) {
    if (after == 0 && type == DataType::friends) reconcile_friends(user.id);
    // A fed type's log is made to agree with its module: from the beginning, and for a
    // type without change events of its own at the start of each sync.
    if (auto feed = feeds_.find(type); feed != feeds_.end() && (after == 0 || (feed->second.every_sync && first_request)))
      reconcile(type, user.id);
    TypePage page;
    page.type = type;
    page.changes = store_.changes_since(user.id, type, after, room + 1);
    page.has_more = static_cast<int>(page.changes.size()) > room;
    if (page.has_more) page.changes.resize(static_cast<std::size_t>(room));
    room -= static_cast<int>(page.changes.size());
    std::int64_t last = page.changes.empty() ? after : page.changes.back().seq;
    page.cursor = sign_cursor(cursor_key(), {user.id, type, last});
    out.has_more = out.has_more || page.has_more;
    out.pages.push_back(std::move(page));
  }
}

SyncResult MobileService::sync(const Principal& user, const SyncRequest& req) {
  int page_size = req.page_size.value_or(settings_.default_page);
  if (page_size < 1 || page_size > settings_.max_page)
    throw_validation("page_size", "Must be between 1 and " + std::to_string(settings_.max_page) + ".");
  if (req.push && static_cast<int>(req.push->size()) > settings_.max_push_items)
    throw_validation("push", "At most " + std::to_string(settings_.max_push_items) + " changes per batch.");
  auto from = read_cursors(user, req);
  auto device = active_device(user, req.device_id);

  SyncResult out;
  out.sync = open_sync(user, device, req);
  auto digest = request_digest(req);
  try {
    if (req.push) out.push = apply_push(user, *req.push);
    build_pages(user, from, page_size, !req.sync_id, out);
  } catch (const Error& e) {
    out.sync.status = SyncStatus::failed;
    out.sync.error = e.what();
    out.sync.last_request = digest;
    store_.save_sync(out.sync);
    throw;
  }
  auto& s = out.sync;
  ++s.pages;
  s.last_request = digest;
  for (const auto& p : out.pages) {
    s.records_count += static_cast<std::int64_t>(p.changes.size());
    for (const auto& c : p.changes) s.size_bytes += static_cast<std::int64_t>(c.payload.size() + c.record_id.size());
  }
  if (!out.has_more) {
    s.status = SyncStatus::completed;
    s.completed_at = now_ms();
    s.duration_ms = *s.completed_at - s.started_at;
  }
  store_.save_sync(s);
  return out;
}

std::vector<SyncRow> MobileService::syncs(const Principal& user, int limit) { return store_.syncs_of(user.id, limit); }

}  // namespace wp::mobile

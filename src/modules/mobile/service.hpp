#pragma once
// Mobile (#21): devices and their push tokens, and the delta sync. Devices
// are in devices.cpp, the sync in sync.cpp, the change feeds of the other
// modules' data in feeds.cpp.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/domain_events.hpp"
#include "core/plans.hpp"
#include "core/principal.hpp"
#include "core/rate_limiter.hpp"
#include "core/relations.hpp"
#include "modules/mobile/app_config.hpp"
#include "modules/mobile/merge.hpp"
#include "modules/mobile/store.hpp"

namespace wp::mobile {

struct SyncSettings {
  int default_page = 100;
  int max_page = 500;
  int syncs_per_minute = 60;      // syncs started, per user; 0 = no limit
  int max_push_items = 500;       // per offline batch
  int max_retries = 10;           // the same page asked for again, per sync
  std::int64_t last_active_interval_ms = 60000;
};

// How device tokens reach the push module (wired in app.cpp to its service):
// bind gives the token to the user (taking it from any other account), forget
// removes it wherever it is, so nothing is pushed to it any more.
struct PushBinding {
  std::function<void(const Principal& user, const std::string& token, Platform platform)> bind;
  std::function<void(const std::string& token)> forget;
};

// ---- feeds of other modules (sync): how the sync reads the records other
// modules own, and where offline pushes apply (both wired in app.cpp).
// A record as the app receives it: id -> a JSON object's text.
using FeedRecords = std::map<std::string, std::string>;
struct FeedSource {
  // One record of the user's as its module has it now; nullopt when it is gone.
  std::function<std::optional<std::string>(const std::string& user_id, const std::string& record_id)> one;
  // All of the user's records of the type.
  std::function<FeedRecords(const std::string& user_id)> all;
  // Compared again at the start of every sync (a type with no change events of
  // its own); otherwise at a sync from the beginning only.
  bool every_sync = false;
};
// The modules that own what an offline push changes. Each says whether it
// changed anything, and refuses an item by throwing a 404, 403 or 400.
struct PushTargets {
  std::function<bool(const Principal&, const std::string& video_id, double position_s)> watch_position;
  std::function<bool(const Principal&, const std::string& notification_id)> notification_read;
  std::function<bool(const Principal&, const std::string& conversation_id, const std::string& message_id)>
      conversation_read;
};
// ---- end feeds

struct CrashSettings {
  int anonymous_limit = 30;  // reports (and session writes) per minute per address without a login
  std::size_t max_stack_bytes = 65536;
};

struct CrashInput {
  std::string platform, app_version, os_version, device_model;
  std::string stack_trace;
  std::string breadcrumbs = "[]";  // a JSON array
  std::optional<std::int64_t> occurred_at;
};

struct DeviceInput {
  std::string device_id;
  std::string platform;
  std::string name, model, os_version, app_version;
  std::optional<std::string> push_token;  // "" or absent: none
  bool push_enabled = true;
  std::string settings = "{}";  // a JSON object
};

struct DevicePatch {
  std::optional<std::string> name;
  std::optional<bool> disabled, push_enabled;
  std::optional<std::string> settings;
};

struct SyncRequest {
  std::string device_id;  // the install id of a registered device
  std::optional<std::string> sync_id;
  // The types asked for, each with the cursor the app holds (nullopt: from the beginning).
  std::map<DataType, std::optional<std::string>> cursors;
  std::optional<int> page_size;
  std::optional<PushBatch> push;
};

struct TypePage {
  DataType type = DataType::settings;
  std::vector<ChangeRow> changes;  // upserts and tombstones, in sequence order
  std::string cursor;              // signed: where the next request starts
  bool has_more = false;
};

struct SyncResult {
  SyncRow sync;
  std::vector<TypePage> pages;
  std::optional<BatchOutcome> push;
  bool has_more = false;
};

class MobileService {
 public:
  MobileService(Store& store, SyncSettings settings);

  void set_push(PushBinding binding) { push_ = std::move(binding); }
  void set_rate_limiter(RateLimiter& limiter) { limiter_ = &limiter; }
  // The friends feed reads the social graph.
  void set_relations(Relations& relations) { relations_ = &relations; }

  // ---- devices (devices.cpp)
  DeviceRow register_device(const Principal& user, const DeviceInput& in, bool& created);
  std::vector<DeviceRow> devices(const Principal& user);
  DeviceRow update_device(const Principal& user, const std::string& id, const DevicePatch& patch);
  void remove_device(const Principal& user, const std::string& id);
  // Sessions of a user ended (logout, password change or reset, deactivation):
  // the devices registered under them lose their push token.
  void sessions_ended(const std::string& user_id, const std::optional<std::string>& only_session,
                      const std::optional<std::string>& except_session);

  // ---- sync (sync.cpp)
  SyncResult sync(const Principal& user, const SyncRequest& request);
  std::vector<SyncRow> syncs(const Principal& user, int limit);

  // ---- feeds (feeds.cpp): what other modules changed, recorded for sync
  // The friendship of a and b may have changed: records the truth for both.
  void friendship_changed(const std::string& a, const std::string& b);
  // The downloads list, kept by this module.
  std::vector<ChangeRow> downloads(const Principal& user);
  void add_download(const Principal& user, const std::string& video_id, const std::string& quality);
  void remove_download(const Principal& user, const std::string& video_id);
  std::vector<ChangeRow> settings(const Principal& user);

  // ---- feeds of other modules (feeds.cpp)
  void set_feed(DataType type, FeedSource source) { feeds_[type] = std::move(source); }
  void set_push_targets(PushTargets targets) { targets_ = std::move(targets); }
  // A record of a fed type may have changed: records what its module says now
  // (for users with a device; a new device's first sync compares everything).
  void record_changed(DataType type, const std::string& user_id, const std::string& record_id);
  // Makes the log of a fed type agree with its module.
  void reconcile(DataType type, const std::string& user_id);
  // ---- end feeds

  const SyncSettings& sync_settings() const { return settings_; }

  // ---- the app's config (app_config.hpp)
  void set_app_config(AppConfigSettings s) { app_config_ = std::move(s); }
  void set_plans(Plans& plans) { plans_ = &plans; }
  // The caller's platform (400 for an unknown one) and version; the user when
  // logged in, else the install id, keys the rollouts.
  boost::json::object app_config(const std::optional<Principal>& user, const std::optional<std::string>& platform,
                                 const std::string& app_version, const std::string& device_id);
  int config_max_age_s() const { return app_config_.max_age_s; }

  // ---- crashes and sessions (crashes.cpp)
  void set_crash_settings(CrashSettings s) { crash_settings_ = s; }
  void set_events(const DomainEvents& events) { events_ = &events; }
  // Anonymous allowed (rate-limited per address); the group it joined, reopened when it regressed.
  CrashGroupRow report_crash(const std::optional<Principal>& user, const std::string& client_ip, const CrashInput& in);
  struct CrashGroupPage {
    std::vector<CrashGroupRow> rows;
    long long count = 0;
  };
  CrashGroupPage crash_groups(const std::optional<std::string>& status, int limit, int offset);
  struct CrashGroupDetail {
    CrashGroupRow group;
    std::vector<CrashVersionRow> versions;
    std::vector<CrashRow> recent;
  };
  CrashGroupDetail crash_group(const std::string& id);
  CrashGroupRow mark_fixed(const std::string& id, const std::string& version);
  // Written at start and again as it goes on; an ended session goes to analytics as "mobile.session".
  void record_session(const std::optional<Principal>& user, const std::string& client_ip, const SessionRow& in);
  std::vector<PlatformFigures> figures(int days);

 private:
  DeviceRow active_device(const Principal& user, const std::string& device_id);
  void rebind_push(const Principal& user, const std::optional<DeviceRow>& before, const DeviceRow& after);
  const std::string& cursor_key();
  std::map<DataType, std::int64_t> read_cursors(const Principal& user, const SyncRequest& request);
  SyncRow open_sync(const Principal& user, const DeviceRow& device, const SyncRequest& request);
  void build_pages(const Principal& user, const std::map<DataType, std::int64_t>& from, int page_size,
                   bool first_request, SyncResult& out);
  void reconcile_friends(const std::string& user_id);
  // ---- feeds of other modules
  // Applies an offline batch once: first to the modules that own its items, then to the log.
  BatchOutcome apply_push(const Principal& user, const PushBatch& batch);
  Outcomes apply_to_modules(const Principal& user, const PushBatch& batch,
                            std::vector<std::pair<DataType, std::string>>& touched);
  // ---- end feeds
  // 429 past the anonymous limit for a caller without a login.
  void limit_anonymous(const std::optional<Principal>& user, const std::string& client_ip, const char* what);

  Store& store_;
  SyncSettings settings_;
  PushBinding push_;
  RateLimiter* limiter_ = nullptr;
  AppConfigSettings app_config_;
  CrashSettings crash_settings_;
  const DomainEvents* events_ = nullptr;
  Plans* plans_ = nullptr;
  Relations* relations_ = nullptr;
  std::map<DataType, FeedSource> feeds_;  // feeds of other modules
  PushTargets targets_;
  std::once_flag key_once_;
  std::string key_;
};

}  // namespace wp::mobile

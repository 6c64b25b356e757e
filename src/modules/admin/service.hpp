#pragma once
// The staff admin area's rules: the audit trail (it is the process's
// wp::AuditLog), the 500s grouped by signature, the performance series,
// system health across nodes, broadcasts, the users export, and staff
// actions on parties and videos (through hooks into those modules).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/audit_log.hpp"
#include "core/plans.hpp"
#include "core/principal.hpp"
#include "modules/admin/export.hpp"
#include "modules/admin/health.hpp"
#include "modules/admin/model.hpp"
#include "modules/admin/store.hpp"

namespace wp::admin {

struct Settings {
  std::string node_id;
  std::string version;
  std::string data_dir;
  std::int64_t started_at = 0;
  int log_retention_days = 90;
  int error_retention_days = 30;
  int metrics_retention_days = 14;
  int export_batch = 500;
};

// How far a broadcast's notification fan-out has come (the notifications module's broadcast).
struct NotifyProgress {
  std::string status;
  long long recipients = 0;
  std::optional<std::int64_t> finished_at;
};

struct BroadcastHooks {
  // Sends the admin_broadcast message to every socket on every node (Hub::signal).
  std::function<void(const std::string& message_json)> announce;
  // Starts the notification fan-out to a segment; returns its id.
  std::function<std::string(const Principal& by, const BroadcastRow& b)> notify;
  std::function<std::optional<NotifyProgress>(const Principal& by, const std::string& id)> progress;
};

// A party or a video as the admin lists show it, whichever module owns it.
struct ContentItem {
  std::string id, title, status, visibility, owner_id;
  std::int64_t created_at = 0;
};
struct ContentQuery {
  std::string search;
  std::optional<std::string> status;
  int limit = 20, offset = 0;
};
// One module's content, as app.cpp wires it (parties, videos). `end` may be empty.
struct ContentHooks {
  std::function<std::vector<ContentItem>(const Principal& by, const ContentQuery& q, long long& count)> list;
  std::function<ContentItem(const Principal& by, const std::string& id)> end;
  std::function<void(const Principal& by, const std::string& id)> remove;
};
enum class ContentKind { party, video };

struct Health {
  NodeStats self;
  std::vector<NodeStats> nodes;  // seen in the last minute, this one included
  std::map<std::string, long long> queues;
};

struct BroadcastStatus {
  BroadcastRow broadcast;
  std::vector<DeliveryRow> deliveries;  // one per node that delivered it
  std::optional<NotifyProgress> notification;
};

class AdminService : public AuditLog {
 public:
  AdminService(Store& store, Settings settings);

  const Settings& settings() const { return settings_; }

  // ---- SystemLog (wp::AuditLog)
  void record(const AuditEntry& entry) override;
  std::vector<SystemLogRow> logs(const Principal& me, const LogFilter& filter, int limit, int offset,
                                 long long& count);

  // ---- ErrorLog: called for every 500 (the dispatcher's error hook, on the pool)
  void record_error(const ErrorEvent& e);
  std::vector<ErrorLogRow> errors(const Principal& me, int limit, int offset, long long& count);
  std::pair<ErrorLogRow, std::vector<std::string>> error(const Principal& me, const std::string& signature);

  // ---- PerformanceMetric
  void save_points(const std::vector<MetricPoint>& points) { store_.insert_metrics(points); }
  std::vector<MetricPoint> series(const Principal& me, const std::string& name, std::int64_t since,
                                  std::int64_t until);
  std::vector<std::string> series_names(const Principal& me, std::int64_t since);
  // Deletes what is past its retention; returns how many rows went.
  long long prune(std::int64_t now);

  // ---- system health
  void set_health(HealthProbes probes, NodeRegistry& registry);
  NodeStats local_stats();
  // Writes this node's stats where the other nodes read them.
  void beat();
  Health health(const Principal& me);
  std::map<std::string, long long> queue_depths() { return store_.queue_depths(); }

  // ---- broadcasts
  void set_broadcast_hooks(BroadcastHooks hooks) { broadcast_hooks_ = std::move(hooks); }
  BroadcastRow start_broadcast(const Principal& me, const BroadcastInput& in);
  // This node handed broadcast `id` to `sockets` sockets (each node records its own row).
  void delivered(const std::string& id, int sockets);
  BroadcastStatus broadcast(const Principal& me, const std::string& id);
  std::vector<BroadcastRow> broadcasts(const Principal& me, int limit, int offset, long long& count);
  // Broadcasts whose expiry is still ahead and whose segment holds the caller, for their banner.
  std::vector<BroadcastRow> active_broadcasts(const Principal& me);
  // Plan segments (billing); without it only the free plan exists and it holds everyone.
  void set_plans(Plans& plans) { plans_ = &plans; }

  // ---- users export
  void set_users_page(UsersPage page) { users_page_ = std::move(page); }
  // Checks who may export what, records it in the audit trail, and returns
  // the export to stream; its end is recorded too, with the row count.
  std::shared_ptr<UserExport> start_export(const Principal& me, const ExportRequest& request);

  // ---- parties and videos
  void set_content(ContentKind kind, ContentHooks hooks);
  std::vector<ContentItem> content(const Principal& me, ContentKind kind, const ContentQuery& q, long long& count);
  ContentItem end_content(const Principal& me, ContentKind kind, const std::string& id);
  void remove_content(const Principal& me, ContentKind kind, const std::string& id);

 private:
  const ContentHooks& hooks_of(ContentKind kind) const;
  bool in_segment(const Principal& me, const BroadcastRow& b);
  void audit(const Principal& me, AuditCategory category, std::string message, std::string context_json);

  Store& store_;
  Settings settings_;
  HealthProbes probes_;
  NodeRegistry* registry_ = nullptr;
  BroadcastHooks broadcast_hooks_;
  Plans* plans_ = nullptr;
  UsersPage users_page_;
  ContentHooks parties_, videos_;
};

}  // namespace wp::admin

WP_ENUM_NAMES(wp::admin::ContentKind, {wp::admin::ContentKind::party, "party"},
              {wp::admin::ContentKind::video, "video"});

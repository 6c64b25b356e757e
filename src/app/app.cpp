#include "app/app.hpp"
#include "app/config_reloader.hpp"
#include "app/mobile_home.hpp"
#include "app/sfu_hooks.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>
#include <sodium.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "core/audit_log.hpp"
#include "core/blocking_pool.hpp"
#include "core/clock.hpp"
#include "core/coin_sink.hpp"
#include "core/plans.hpp"
#include "core/ids.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/metrics.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "http/dispatcher.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "core/mailer.hpp"
#include "core/rate_limiter.hpp"
#include "core/serial_queue.hpp"
#include "core/domain_events.hpp"
#include "core/notifier.hpp"
#include "core/periodic.hpp"
#include "core/moderation.hpp"
#include "core/user_messages.hpp"
#include "modules/accounts/routes.hpp"
#include "modules/analytics/routes.hpp"
#include "modules/analytics/writer.hpp"
#include "modules/admin/background.hpp"
#include "modules/admin/protocol.hpp"
#include "modules/admin/redis_nodes.hpp"
#include "modules/admin/routes.hpp"
#include "modules/billing/routes.hpp"
#include "modules/billing/stripe.hpp"
#include "modules/events/routes.hpp"
#include "modules/events/scheduler.hpp"
#include "modules/groups/routes.hpp"
#include "modules/search/routes.hpp"
#include "modules/search/saved_routes.hpp"
#include "modules/recommendations/routes.hpp"
#include "modules/messaging/routes.hpp"
#include "modules/moderation/routes.hpp"
#include "modules/notifications/routes.hpp"
#include "modules/notifications/worker.hpp"
#include "modules/parties/redis_live_state.hpp"
#include "modules/parties/polls_routes.hpp"
#include "modules/parties/calls_routes.hpp"
#include "modules/parties/routes.hpp"
#include "modules/mobile/routes.hpp"
#include "modules/mobile/home_routes.hpp"
#include "app/mobile_feeds.hpp"
#include "modules/push/routes.hpp"
#include "modules/push/setup.hpp"
#include "modules/push/worker.hpp"
#include "modules/social/routes.hpp"
#include "modules/store/badges.hpp"
#include "modules/store/pack_emoji.hpp"
#include "modules/store/inbox.hpp"
#include "modules/store/routes.hpp"
#include "modules/support/routes.hpp"
#include "modules/user_channel/routes.hpp"
#include "modules/system/routes.hpp"
#include "modules/videos/routes.hpp"
#include "modules/videos/worker.hpp"
#include "realtime/hub.hpp"
#include "realtime/redis_backplane.hpp"
#include "realtime/redis_node.hpp"
#include "realtime/redis_rate_limiter.hpp"
#include "realtime/redis_user_presence.hpp"
#include "realtime/user_channel.hpp"
#include "sfu/setup.hpp"

#include <signal.h>
#include <unistd.h>

#include <ostream>

namespace wp::app {

namespace {

// The hub signal by which a node that revoked sessions tells the others (payload: the user's id).
constexpr const char* kSessionsRevoked = "sessions_revoked";

void init(const Config& config) {
  log::setup(config.log_level, config.log_format);
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialize");
  std::filesystem::create_directories(config.data_dir + "/tmp");
  std::filesystem::create_directories(config.data_dir + "/videos");
  std::filesystem::create_directories(config.data_dir + "/uploads");
}

http::ServerOptions server_options(const Config& c) {
  http::ServerOptions o;
  o.host = c.host;
  o.port = static_cast<unsigned short>(c.port);
  o.io_threads = c.io_threads;
  o.max_connections = c.max_connections;
  o.max_header_bytes = c.max_header_bytes;
  o.max_body_bytes = c.max_body_bytes;
  o.read_timeout = std::chrono::seconds(c.read_timeout_s);
  o.idle_timeout = std::chrono::seconds(c.idle_timeout_s);
  o.shutdown_timeout = std::chrono::seconds(c.shutdown_timeout_s);
  o.access_log = c.access_log;
  o.spool_dir = c.data_dir + "/tmp";
  o.trusted_proxies = c.trusted_proxies;
  o.ws_send_queue = static_cast<std::size_t>(c.ws_send_queue);
  o.ws_flood_burst = c.ws_flood_burst;
  o.ws_flood_rate = c.ws_flood_rate;
  o.ws_idle_timeout = std::chrono::seconds(c.ws_idle_timeout_s);
  o.lag.interval = std::chrono::milliseconds(c.lag_probe_ms);
  o.lag.threshold = std::chrono::milliseconds(c.bulk_shed_lag_ms);
  o.lag.hold = std::chrono::milliseconds(c.bulk_shed_hold_ms);
  return o;
}

std::string web_dir(const Config& c) {
  if (!c.web_dir.empty()) return c.web_dir;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? "web/dist" : (exe.parent_path().parent_path() / "web" / "dist").string();
}

// messaging (#14): how often the workers look for unsent attachments past their TTL.
std::chrono::milliseconds attachment_sweep_every(const Config& c) {
  return std::chrono::seconds(std::min(60, c.message_attachment_ttl_s));
}

// Reports a start-up failure the way an operator needs to read it.
int fail(const std::string& what) {
  spdlog::critical("{}", what);
  return 1;
}

// A last write at shutdown: the database may be gone, which is logged, not fatal.
void flush_quietly(const char* what, const std::function<void()>& flush) {
  try {
    flush();
  } catch (const std::exception& e) {
    spdlog::warn("at shutdown, {} not written: {}", what, e.what());
  }
}

// Runs the last shutdown steps (they join threads). A thread stuck in a
// database call cannot be interrupted, and returning would destroy what it
// still uses: past the budget the process exits at once instead.
void finish_within(std::chrono::milliseconds budget, const std::function<void()>& steps) {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  std::thread guard([&] {
    std::unique_lock lock(mu);
    if (cv.wait_for(lock, budget, [&] { return done; })) return;
    spdlog::warn("threads still busy {} ms after the server stopped: exiting without waiting for them", budget.count());
    spdlog::default_logger()->flush();
    std::_Exit(0);
  });
  steps();
  {
    std::lock_guard lock(mu);
    done = true;
  }
  cv.notify_one();
  guard.join();
}

// ---- moderation (#19): the word list from its setting and its file (read once, at start).
moderation::Settings moderation_settings(const Config& c) {
  moderation::Settings s;
  s.words = moderation::WordFilter::from_settings(c.moderation_words, c.moderation_word_file);
  s.block = c.moderation_word_action == "block";
  s.rate_limit = c.moderation_rate_limit;
  return s;
}
// ---- end moderation

// ---- notifications (#15)
// `watchparty worker` has no sockets: what the notifications worker would publish live goes nowhere.
class NoUserChannel : public UserChannel {
 public:
  void publish(const std::string&, const std::string&, const std::string&) override {}
  std::vector<bool> online(const std::vector<std::string>& ids) override { return std::vector<bool>(ids.size(), false); }
};

notifications::Options notification_options(const Config& c) {
  notifications::Options o;
  o.public_url = !c.public_url.empty() ? c.public_url : "http://" + c.host + ":" + std::to_string(c.port);
  o.group_window_s = c.notification_group_window_s;
  o.retention_days = c.notification_retention_days;
  o.email_max_attempts = c.notification_email_max_attempts;
  o.email_retry_base_s = c.notification_email_retry_base_s;
  o.email_lease_s = c.notification_email_lease_s;
  o.digest_interval_s = c.notification_digest_interval_s;
  o.party_start_lead_s = c.notification_party_start_lead_s;
  o.broadcast_batch = c.notification_broadcast_batch;
  return o;
}

// Address, name and timezone of a user, as the accounts module knows them.
notifications::ContactOf contact_of(accounts::AccountsService& accounts) {
  return [&accounts](const std::string& user_id) -> std::optional<notifications::Contact> {
    try {
      auto user = accounts.me(user_id);
      auto profile = accounts.profile(user_id);
      return notifications::Contact{user.email, user.username, profile.timezone, user.is_active};
    } catch (const Error& e) {
      if (e.code() == ErrorCode::not_found) return std::nullopt;
      throw;
    }
  };
}
// ---- end notifications

// ---- admin (#19)
admin::Settings admin_settings(const Config& c) {
  admin::Settings s;
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  s.node_id = std::string(host) + "-" + new_uuid().substr(0, 8);
  s.version = WATCHPARTY_VERSION;
  s.data_dir = c.data_dir;
  s.started_at = now_ms();
  s.log_retention_days = c.admin_log_retention_days;
  s.error_retention_days = c.admin_error_retention_days;
  s.metrics_retention_days = c.admin_metrics_retention_days;
  s.export_batch = c.admin_export_batch;
  return s;
}

admin::ExportUser export_user(const accounts::UserRow& u) {
  return {u.id, u.username, u.email, u.first_name, u.last_name, u.is_active, u.is_staff, u.is_superuser,
          u.email_verified, u.date_joined, u.last_login};
}

// Staff lists and actions on parties and videos, through their services.
void wire_admin_content(admin::AdminService& admin, parties::PartiesService& parties, videos::VideosService& videos) {
  auto party_item = [](const parties::PartyRow& p) {
    return admin::ContentItem{p.id, p.title, std::string(to_string(p.status)), std::string(to_string(p.visibility)),
                              p.host_id, p.created_at};
  };
  admin::ContentHooks party_hooks;
  party_hooks.list = [&parties, party_item](const Principal& by, const admin::ContentQuery& q, long long& count) {
    parties::PartyFilter f;
    if (!q.search.empty()) f.search = q.search;
    if (q.status) f.status = require_enum<parties::PartyStatus>("status", *q.status);
    std::vector<admin::ContentItem> out;
    for (auto& p : parties.list(by, f, q.limit, q.offset, count)) out.push_back(party_item(p));
    return out;
  };
  party_hooks.end = [&parties, party_item](const Principal& by, const std::string& id) {
    return party_item(parties.end(by, id));
  };
  party_hooks.remove = [&parties](const Principal& by, const std::string& id) { parties.remove(by, id); };
  admin.set_content(admin::ContentKind::party, std::move(party_hooks));
  admin::ContentHooks video_hooks;
  video_hooks.list = [&videos](const Principal& by, const admin::ContentQuery& q, long long& count) {
    videos::VideoFilter f;
    if (!q.search.empty()) f.search = q.search;
    if (q.status) f.status = require_enum<videos::VideoStatus>("status", *q.status);
    f.viewer_id = by.id;
    f.viewer_is_staff = by.staff();
    std::vector<admin::ContentItem> out;
    for (auto& v : videos.list(&by, f, q.limit, q.offset, count))
      out.push_back({v.id, v.title, std::string(to_string(v.status)), v.is_public ? "public" : "private",
                     v.uploaded_by_id, v.created_at});
    return out;
  };
  video_hooks.remove = [&videos](const Principal& by, const std::string& id) { videos.remove(by, id); };
  admin.set_content(admin::ContentKind::video, std::move(video_hooks));
}
// ---- end admin

// ---- analytics (#20)
analytics::Settings analytics_settings(const Config& c) {
  analytics::Settings s;
  s.max_event_data_bytes = static_cast<std::size_t>(c.analytics_event_data_max_bytes);
  s.truncate_ip = c.analytics_truncate_ip;
  s.anonymous_limit = c.analytics_anonymous_limit;
  s.retention_days = c.analytics_retention_days;
  s.partitions_ahead = c.analytics_partitions_ahead;
  s.queue_capacity = static_cast<std::size_t>(c.analytics_queue_capacity);
  s.late_window_ms = std::int64_t{c.analytics_rollup_late_window_s} * 1000;
  return s;
}

analytics::Intervals analytics_intervals(const Config& c) {
  analytics::Intervals i;
  i.flush = std::chrono::milliseconds(c.analytics_flush_ms);
  i.rollup = std::chrono::seconds(c.analytics_rollup_interval_s);
  return i;
}
// ---- end analytics

// ---- mobile (#21)
mobile::SyncSettings mobile_sync_settings(const Config& c) {
  mobile::SyncSettings s;
  s.default_page = std::min(c.mobile_sync_page_size, c.mobile_sync_max_page_size);
  s.max_page = c.mobile_sync_max_page_size;
  s.syncs_per_minute = c.mobile_syncs_per_minute;
  s.max_push_items = c.mobile_sync_max_push;
  return s;
}

// Throws std::invalid_argument for a bad version or flag item.
mobile::AppConfigSettings mobile_app_config(const Config& c) {
  mobile::AppConfigSettings s;
  s.min_versions = mobile::parse_platform_versions(c.mobile_min_versions);
  s.latest_versions = mobile::parse_platform_versions(c.mobile_latest_versions);
  s.flags = mobile::parse_flags(c.mobile_flags);
  std::string site = !c.public_url.empty() ? c.public_url : "http://" + c.host + ":" + std::to_string(c.port);
  while (!site.empty() && site.back() == '/') site.pop_back();
  s.api_base_url = !c.mobile_api_base_url.empty() ? c.mobile_api_base_url : site + "/api/";
  s.stun_urls = c.rtc_stun_urls;
  s.turn_urls = c.rtc_turn_urls;
  s.maintenance_message = c.mobile_maintenance_message;
  s.max_age_s = c.mobile_config_max_age_s;
  return s;
}
// ---- end mobile

// serve, or with routes_out (`watchparty routes`) only the route table: every
// module is built as for serving, the table printed, nothing started.
int run_server(const Config& config, std::function<Config()> reload, std::ostream* routes_out) {
  init(config);
  std::unique_ptr<db::Database> db;
  try {
    db = std::make_unique<db::Database>(config);
    if (config.migrate_on_start) db::apply_migrations(*db);
  } catch (const Error& e) {
    return fail(std::string("cannot open the database: ") + e.what());
  }
  spdlog::info("database {}", db->description());

  BlockingPool pool(config.blocking_threads, config.blocking_queue);
  metrics().add_gauge("watchparty_blocking_queue_depth", "Tasks waiting for a blocking thread.",
                      [&pool] { return static_cast<double>(pool.queued()); });
  metrics().add_gauge("watchparty_blocking_busy_threads", "Blocking threads running a task.",
                      [&pool] { return static_cast<double>(pool.busy()); });
  // Bulk work below the I/O threads: the kernel runs realtime work first.
  BlockingPool bulk_pool(config.bulk_threads, config.bulk_queue,
                         {*parse_enum<SchedPolicy>(config.bulk_policy), config.bulk_nice});
  metrics().add_gauge("watchparty_bulk_queue_depth", "Bulk requests waiting for a bulk thread.",
                      [&bulk_pool] { return static_cast<double>(bulk_pool.queued()); });

  std::unique_ptr<Mailer> mailer;
  try {
    mailer = make_mailer(config);
  } catch (const ConfigError& e) {
    return fail(e.what());
  }
  // Several nodes share Redis: broadcasts, party live state and rate limits live there.
  std::unique_ptr<realtime::RedisNode> redis;
  if (!config.redis_url.empty()) redis = std::make_unique<realtime::RedisNode>(config.redis_url, config.redis_prefix);
  std::unique_ptr<RateLimiter> limiter;
  if (redis)
    limiter = std::make_unique<realtime::RedisRateLimiter>(*redis);
  else
    limiter = std::make_unique<MemoryRateLimiter>();

  // Modules publish what happened (core/domain_events.hpp); listeners subscribe below, before serving.
  DomainEvents domain_events;
  http::Router router;
  // Rooms of live sockets on every node (party sockets, /ws/user/), through Redis when configured.
  std::unique_ptr<realtime::Backplane> backplane;
  if (redis)
    backplane = std::make_unique<realtime::RedisBackplane>(*redis);
  else
    backplane = std::make_unique<realtime::LocalBackplane>();
  realtime::Hub hub(*backplane);
  // ---- the per-user channel (/ws/user/): events for a user's tabs, friends' presence ----
  std::unique_ptr<realtime::UserPresence> user_presence;
  const auto presence_ttl = std::chrono::milliseconds(config.presence_ttl_s * 1000);
  const auto presence_debounce = std::chrono::milliseconds(config.user_presence_debounce_ms);
  if (redis)
    user_presence = std::make_unique<realtime::RedisUserPresence>(*redis, presence_ttl, presence_debounce);
  else
    user_presence = std::make_unique<realtime::MemoryUserPresence>(presence_ttl, presence_debounce);
  // Modules publish to it as wp::UserChannel; whom to tell about presence
  // (set_friends_of) comes from the social graph, below.
  realtime::LiveUserChannel user_channel(hub, *user_presence, {}, presence_ttl / 3);
  // What clients may send on it besides ping: each module adds its types below, before serving.
  UserMessageHandlers user_messages;
  user_channel::add_routes(router, user_channel, pool, user_messages);
  // ---- end of the per-user channel ----
  system::SystemService system_service(*db);
  system::add_routes(router, system_service);
  accounts::Store accounts_store(*db);
  accounts::AccountsService accounts_service(accounts_store, config, *mailer, *limiter);
  accounts::add_routes(router, accounts_service);
  accounts_service.run_in_background([&pool](std::function<void()> job) { return pool.try_submit(std::move(job)); });
  // ---- social graph (#13): friendships, follows, blocks; the other modules see it as wp::Relations.
  social::Store social_store(*db);
  social::SocialService social_service(social_store, user_channel);
  social::add_routes(router, social_service);
  Relations& relations = social_service;
  user_channel.set_friends_of([&relations](const std::string& user_id) { return relations.friends_of(user_id); });
  social_service.set_audience_of([&accounts_service](const std::string& user_id) {
    return parse_enum<social::ProfileAudience>(accounts_service.profile_visibility(user_id))
        .value_or(social::ProfileAudience::everyone);
  });
  accounts_service.set_social(relations, [&social_service](const std::string& user_id) {
    auto counts = social_service.follow_counts(user_id);
    return std::pair{counts.followers, counts.following};
  });
  // ---- end social graph
  // ---- push (#15): Web Push and FCM through an outbox. The notifications
  // module reaches it as wp::PushSender (core/push.hpp): *push_service.
  push::Store push_store(*db);
  std::unique_ptr<push::PushService> push_service;
  try {
    push_service = push::make_service(push_store, config);
  } catch (const std::runtime_error& e) {
    return fail(e.what());
  }
  push_service->set_rate_limiter(*limiter);
  push::add_routes(router, *push_service);
  push::Worker push_worker(
      *push_service, [&pool](std::function<void()> job) { return pool.try_submit(std::move(job)); },
      config.push_concurrency, std::chrono::milliseconds(config.push_poll_ms));
  push_service->on_enqueued([&push_worker] { push_worker.wake(); });
  // ---- end push ----
  // ---- notifications (#15): in-app rows, live events, email outbox, preferences. Every
  // module notifies through wp::Notifier (hooks below); push goes to wp::PushSender.
  notifications::Store notifications_store(*db);
  notifications::NotificationsService notifications_service(notifications_store, user_channel, *push_service,
                                                            notification_options(config));
  notifications_service.set_relations(relations);
  notifications_service.set_contact_of(contact_of(accounts_service));
  notifications_service.set_submit([&pool](std::function<void()> job) { return pool.try_submit(std::move(job)); });
  notifications::add_routes(router, notifications_service);
  // The party-start scan runs in every serve; the outbox where the workers run.
  notifications::Worker notifications_worker(notifications_service, *mailer, config.notification_worker_poll_ms,
                                             config.run_workers_in_serve, true);
  // ---- end notifications
  // ---- billing (#18): plans and their limits (wp::Plans), the payment provider, its webhook, invoices ----
  billing::Store billing_store(*db);
  const auto billing_settings = billing::settings_from(config);
  billing::StripeProvider billing_provider(billing_settings.api_url, billing_settings.secret_key);
  std::unique_ptr<billing::BillingService> billing_service;
  try {
    billing_service = std::make_unique<billing::BillingService>(billing_store, billing_provider,
                                                                billing::catalog_from(config), billing_settings);
  } catch (const billing::BillingFileError& e) {
    return fail(e.what());
  }
  billing_service->set_notifier(notifications_service);
  // Coin packs are credited to the store's wallets: set_coin_sink in the store block below.
  billing::add_routes(router, *billing_service);
  Plans& plans = *billing_service;
  notifications_service.set_plans(plans);
  // ---- end billing (the modules that enforce limits take `plans` below: "billing limits") ----
  videos::Store videos_store(*db);
  videos::VideosService videos_service(videos_store, config);
  videos::add_routes(router, videos_service, config);
  videos::Workers video_workers(videos_service, config.worker_threads);
  std::unique_ptr<parties::LiveState> live;
  if (redis)
    live = std::make_unique<parties::RedisLiveState>(*redis, std::chrono::seconds(config.presence_ttl_s));
  else
    live = std::make_unique<parties::MemoryLiveState>(hub);
  parties::Store parties_store(*db);
  parties::LiveRooms live_rooms(
      parties_store, hub, *live, pool, config,
      [&videos_service](const std::string& user_id, const std::string& video_id, const std::string& party_id,
                        double position, bool buffering_event) {
        videos::WatchInput in;
        in.position = position;
        in.buffering_events = buffering_event ? 1 : 0;
        in.party_id = party_id;
        videos_service.record_watch_time(user_id, video_id, in);
      });
  parties::PartiesService parties_service(
      parties_store, live_rooms, hub, *limiter, [&videos_service](const std::string& video_id, const Principal& user) {
        return videos_service.video_for_party(video_id, user).has_value();
      });
  if (redis) {
    // After Redis comes back (maybe empty), rooms compare and re-send their
    // playback, on the pool (never on the Redis thread).
    auto resync = [&live_rooms, &user_channel, &redis] {
      // Each of the two connections reports; resync once both are up.
      if (redis->connected()) {
        live_rooms.request_resync();
        user_channel.request_restore();
      }
    };
    redis->commands().on_connect(resync);
    redis->subscriber().on_connect(resync);
    // A revocation signal may have been missed while the subscription was down.
    redis->subscriber().on_connect([&accounts_service] { accounts_service.forget_all_sessions(); });
    redis->start();
    spdlog::info("sharing party state through redis at {}", config.redis_url);
  }
  parties::add_routes(router, parties_service, pool);
  // social graph (#13): friends parties and videos, no invitations across a block
  parties_service.set_relations(relations);
  videos_service.set_relations(relations);
  // a block withdraws the pair's party invitations and hides each from the other in live
  // parties, and parts the pair in a call through the SFU (social_service.on_blocks_changed, below the calls)
  // ---- party polls (issue #17) ----
  parties::PollStore poll_store(*db);
  parties::PollsService polls_service(poll_store, parties_service, hub);
  polls_service.set_relations(relations);
  parties::add_poll_routes(router, polls_service);
  // ---- end party polls ----
  // ---- voice chat and screen share (issue #17) ----
  parties::CallStore call_store(*db);
  parties::CallSettings call_settings;
  call_settings.ice = {config.rtc_stun_urls, config.rtc_turn_urls, config.rtc_turn_secret, config.rtc_turn_ttl_s};
  call_settings.mesh_max = config.rtc_mesh_max;
  call_settings.max_sharers = config.rtc_max_sharers;
  call_settings.signal_limit = config.rtc_signal_limit;
  call_settings.signal_window_ms = std::int64_t{config.rtc_signal_window_s} * 1000;
  call_settings.signal_max_bytes = static_cast<std::size_t>(config.rtc_signal_max_bytes);
  call_settings.sfu_public_url = config.janus_public_url.empty() ? config.janus_url : config.janus_public_url;
  parties::CallsService calls_service(call_store, parties_service, hub, *limiter, call_settings);
  parties_service.set_signal_relay([&calls_service](const Principal& user, const std::string& party_id,
                                                    const std::string& type, const boost::json::object& msg) {
    calls_service.relay(user, party_id, type, msg);
  });
  live_rooms.on_member_gone([&calls_service](const std::string& party_id, const std::string& user_id, bool removed) {
    calls_service.member_gone(party_id, user_id, removed);
  });
  calls_service.set_relations(relations);
  parties::add_call_routes(router, calls_service);
  // The end of a party ends its call; a block reaches the calls too (an SFU mixes everyone for everyone).
  parties_service.on_party_ended([&calls_service](const std::string& party_id) { calls_service.party_ended(party_id); });
  parties_service.on_party_deleted([&calls_service](const std::string& party_id) { calls_service.party_ended(party_id); });
  social_service.on_blocks_changed([&parties_service, &calls_service](const std::string& a, const std::string& b,
                                                                      bool blocked) {
    parties_service.blocks_changed(a, b, blocked);
    calls_service.blocks_changed(a, b, blocked);
  });
  // The SFU beyond rtc_mesh_max (janus_url). Its worker keeps the server's
  // Janus session alive and, when the session had to be made again (Janus
  // restarted), checks the calls' rooms: new ones, or the call ends. A second
  // worker holds the server mutes in the mixes (both block on HTTP).
  auto janus = sfu::make_janus_rooms(config);
  std::optional<Periodic> janus_keeper, janus_mutes;
  if (janus) {
    calls_service.set_sfu(app::sfu_hooks(*janus));
    janus_keeper.emplace("janus keepalive", std::chrono::seconds(config.janus_keepalive_s), [&janus, &calls_service] {
      if (janus->keepalive()) calls_service.recover_sfu_rooms();
      return false;
    });
    janus_mutes.emplace("janus server mutes", std::chrono::seconds(config.janus_mute_check_s), [&calls_service] {
      calls_service.hold_sfu_mutes();
      return false;
    });
  }
  // ---- end voice chat and screen share ----
  // ---- billing limits (#18): each module enforces the limits it owns ----
  parties_service.set_plans(plans);
  calls_service.set_plans(plans);
  videos_service.set_plans(plans);
  // ---- end billing limits ----
  // ---- groups (issue #13) ----
  groups::Store groups_store(*db);
  groups::GroupsService groups_service(groups_store, relations, user_channel, config);
  groups::add_routes(router, groups_service);
  // A party may name a group: its members see it and may host there.
  parties_service.set_group_check([&groups_service](const std::string& group_id, const std::string& user_id) {
    auto s = groups_service.standing(group_id, user_id);
    return parties::GroupStanding{s.exists, s.is_private, s.member, s.may_host};
  });
  // ---- end groups ----
  // ---- search (#22): full text over the other modules' tables (FTS5 / tsvector), the query log ----
  search::Store search_store(*db);
  search::SearchService search_service(search_store, search::Settings{config.search_log_retention_days});
  search::add_routes(router, search_service);
  video_workers.add_periodic("expiring the search log", std::chrono::minutes(10),
                             [&search_service] { search_service.purge_expired(); });
  search::SavedSearches saved_searches(search_store, search_service);
  saved_searches.set_notifier(&notifications_service);
  search::add_saved_routes(router, saved_searches);
  video_workers.add_periodic("saved search alerts", std::chrono::minutes(5),
                             [&saved_searches] { saved_searches.run_alerts(now_ms()); });
  recommendations::Store recommendations_store(*db);
  recommendations::RecommendationsService recommendations_service(recommendations_store, {});
  recommendations::add_routes(router, recommendations_service);
  video_workers.add_periodic("recommendations", std::chrono::minutes(2),
                             [&recommendations_service] { recommendations_service.refresh(now_ms()); });
  // ---- end search ----
  // ---- messaging (#14): conversations, messages, attachments; events and sync over /ws/user/ ----
  Notifier& messaging_notices = notifications_service;
  messaging::Store messaging_store(*db);
  const auto messaging_settings = messaging::settings_from(config);
  messaging::MessagingService messaging_service(messaging_store, relations, user_channel, messaging_notices, *limiter,
                                                messaging_settings);
  // The notices of a new message leave the send's path: after the answer, in order, on the pool.
  auto messaging_notice_queue = std::make_shared<SerialQueue>(pool, 10'000);
  messaging_service.run_notices_with(
      [messaging_notice_queue](std::function<void()> job) { return messaging_notice_queue->post(std::move(job)); });
  messaging::add_routes(router, messaging_service);
  messaging::add_socket_messages(user_messages, messaging_service);
  video_workers.add_periodic("expiring unsent message attachments", attachment_sweep_every(config),
                             [&messaging_store, &messaging_settings] {
                               messaging::expire_orphan_attachments(messaging_store, messaging_settings);
                             });
  // ---- end messaging ----
  // ---- events (issue #16) ----
  Notifier& event_notices = notifications_service;
  events::Store events_store(*db);
  events::EventsService events_service(events_store, relations, event_notices);
  events::add_routes(router, events_service, config);
  events_service.set_video_check([&videos_service](const std::string& video_id, const Principal& user) {
    return videos_service.video_for_party(video_id, user).has_value();
  });
  events_service.set_group_check([&groups_service](const std::string& group_id, const std::string& user_id) {
    return groups_service.standing(group_id, user_id).member;
  });
  // At its start an event with creates_party opens a private party of its
  // organizer's and invites those going; when that party ends, the event ends.
  events_service.set_party_opener([&parties_service](const events::PartyRequest& r) {
    Principal host{r.organizer_id, r.organizer_username};
    parties::CreateInput in;
    in.title = r.title;
    in.description = r.description;
    in.visibility = parties::Visibility::private_;
    in.video_id = r.video_id;
    auto party = parties_service.create(host, in);
    for (auto& uid : r.attendee_ids) {
      try {
        parties_service.invite(host, party.id, {uid});
      } catch (const Error& e) {
        spdlog::info("event {}: {} not invited to party {}: {}", r.event_id, uid, party.id, e.what());
      }
    }
    return party.id;
  });
  parties_service.on_party_ended([&events_service](const std::string& party_id) { events_service.party_ended(party_id); });
  events::Scheduler events_scheduler(events_service);
  // ---- end events ----
  // ---- support (#19): tickets, replies and internal notes, attachments, FAQ, feedback ----
  support::Store support_store(*db);
  const auto support_settings = support::settings_from(config);
  support::SupportService support_service(support_store, support_settings);
  support_service.set_notifier(notifications_service);
  support::add_routes(router, support_service);
  support::add_faq_routes(router, support_service);
  video_workers.add_periodic("expiring unclaimed support attachments", attachment_sweep_every(config),
                             [&support_store, &support_settings] {
                               support::expire_orphan_attachments(support_store, support_settings);
                             });
  // ---- end support ----
  // ---- admin (#19): audit trail, errors, metrics, health, broadcasts, users export, content
  admin::Store admin_store(*db);
  admin::AdminService admin_service(admin_store, admin_settings(config));
  admin::add_routes(router, admin_service);
  std::unique_ptr<admin::NodeRegistry> admin_nodes;
  if (redis)
    admin_nodes = std::make_unique<admin::RedisNodeRegistry>(*redis);
  else
    admin_nodes = std::make_unique<admin::LocalNodeRegistry>();
  admin::HealthProbes admin_probes;
  admin_probes.redis = [&redis] {
    admin::RedisProbe p;
    p.configured = redis != nullptr;
    p.connected = redis && redis->connected();
    if (p.connected) {
      auto t0 = std::chrono::steady_clock::now();
      try {
        redis->call({"PING"}, std::chrono::milliseconds(1000));
        p.latency_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      } catch (const Error&) {
        p.connected = false;
      }
    }
    return p;
  };
  admin_probes.sockets = [&hub] {
    admin::SocketCounts c;
    const auto user_prefix = realtime::LiveUserChannel::room("");
    for (auto& [room, n] : hub.connections_by_room())
      (room.rfind(user_prefix, 0) == 0 ? c.user : c.party) += static_cast<long>(n);
    return c;
  };
  admin_probes.blocking_queue = [&pool] { return static_cast<long>(pool.queued()); };
  admin_service.set_health(std::move(admin_probes), *admin_nodes);
  // A broadcast reaches every socket of every node by a hub signal; each node records its count.
  hub.on_signal("admin_broadcast", [&hub, &pool, &admin_service](const std::string& text) {
    auto sockets = static_cast<int>(hub.deliver_to_every_local(realtime::make_message(text)));
    auto id = admin::protocol::broadcast_id_of(text);
    if (!id.empty() && !pool.try_submit([&admin_service, id, sockets] {
          try {
            admin_service.delivered(id, sockets);
          } catch (const Error& e) {
            spdlog::warn("broadcast {}: delivery count not recorded: {}", id, e.what());
          }
        }))
      spdlog::warn("broadcast {}: delivered to {} sockets; pool full, count not recorded", id, sockets);
  });
  admin::BroadcastHooks broadcast_hooks;
  broadcast_hooks.announce = [&hub](const std::string& text) { hub.signal("admin_broadcast", text); };
  broadcast_hooks.notify = [&notifications_service](const Principal& by, const admin::BroadcastRow& b) {
    notifications::BroadcastInput in;
    in.title = b.severity == admin::Severity::info ? "Announcement" : b.severity == admin::Severity::warning
                                                                         ? "Important announcement"
                                                                         : "Urgent announcement";
    in.message = b.message;
    in.audience = b.audience == admin::Segment::staff  ? notifications::Audience::staff
                  : b.audience == admin::Segment::plan ? notifications::Audience::plan
                                                       : notifications::Audience::all;
    in.plan = b.plan;
    return notifications_service.start_broadcast(by, in).id;
  };
  broadcast_hooks.progress = [&notifications_service](const Principal& by, const std::string& id) {
    auto n = notifications_service.broadcast(by, id);
    return std::optional<admin::NotifyProgress>(
        admin::NotifyProgress{std::string(to_string(n.status)), n.recipients, n.finished_at});
  };
  admin_service.set_broadcast_hooks(std::move(broadcast_hooks));
  admin_service.set_plans(plans);
  accounts_service.set_plans(plans);
  admin_service.set_users_page([&accounts_service](const std::string& after, int limit, std::optional<bool> active) {
    std::vector<admin::ExportUser> out;
    for (auto& u : accounts_service.users_after(after, limit, active)) out.push_back(export_user(u));
    return out;
  });
  wire_admin_content(admin_service, parties_service, videos_service);
  AuditLog& audit_log = admin_service;  // modules record security events and admin actions through wp::AuditLog
  accounts_service.set_audit_log(audit_log);
  admin::Background admin_background(
      admin_service, [&pool](std::function<void()> job) { return pool.try_submit(std::move(job)); },
      {std::chrono::seconds(config.admin_heartbeat_s), std::chrono::seconds(config.admin_metrics_interval_s),
       std::chrono::hours(1)},
      [&admin_service] { return admin_service.queue_depths(); });
  // ---- end admin
  // ---- notifications (#15): every module notifies through wp::Notifier
  {
    Notifier& notifier = notifications_service;
    UserIdsByName ids_by_name = [&notifications_service](const std::vector<std::string>& names) {
      return notifications_service.user_ids_by_name(names);
    };
    social_service.set_notifier(notifier);
    accounts_service.set_notifier(notifier);
    groups_service.set_notifier(notifier);
    parties_service.set_notifier(notifier, ids_by_name);
    videos_service.set_notifier(notifier, ids_by_name);
    notifications_service.set_party_starts([&parties_service](std::int64_t after, std::int64_t until) {
      std::vector<notifications::PartyStart> out;
      for (auto& s : parties_service.starting_between(after, until))
        out.push_back({s.party.id, s.party.title, s.party.host_id, s.party.scheduled_start.value_or(0), s.user_ids});
      return out;
    });
  }
  // ---- end notifications
  // ---- domain events: what happened in the modules, for analytics and achievements
  accounts_service.set_events(domain_events);
  videos_service.set_events(domain_events);
  parties_service.set_events(domain_events);
  live_rooms.set_events(domain_events);
  polls_service.set_events(domain_events);
  social_service.set_events(domain_events);
  groups_service.set_events(domain_events);
  messaging_service.set_events(domain_events);
  events_service.set_events(domain_events);
  // ---- end domain events
  // ---- moderation (#19): reports, the staff queue, actions and standing, the word filter.
  // Each module that owns reportable content registers its lookup / remove / restore
  // (core/moderation.hpp); accounts refuses logins of suspended and banned users.
  moderation::Store moderation_store(*db);
  std::unique_ptr<moderation::ModerationService> moderation_service;
  try {
    moderation_service = std::make_unique<moderation::ModerationService>(
        moderation_store, *limiter, moderation_settings(config));
  } catch (const std::runtime_error& e) {
    return fail(e.what());
  }
  moderation::add_routes(router, *moderation_service);
  {
    auto& mod = *moderation_service;
    Notifier& moderation_notices = notifications_service;
    mod.set_notifier(moderation_notices);
    mod.set_end_sessions([&accounts_service](const std::string& user_id) { accounts_service.end_all_sessions(user_id); });
    mod.set_account_active([&accounts_service](const Principal& staff, const std::string& user_id, bool active) {
      accounts_service.set_user_active(staff, user_id, active);
    });
    accounts_service.set_login_gate([&mod](const std::string& user_id) { return mod.login_refusal(user_id); });
    // An appeal names an action taken on the appellant.
    support_service.set_appeal_check([&moderation_store](const std::string& user_id, const std::string& action_id) {
      auto a = moderation_store.action(action_id);
      return a && a->user_id == user_id;
    });
    // A suspended or banned user reads their standing and appeals with the token their refused login got.
    AppealIdentity appeal_identity = [&accounts_service](const std::string& token) {
      return accounts_service.appeal_principal(token);
    };
    support_service.set_appeal_identity(appeal_identity);
    mod.set_appeal_identity(appeal_identity);
    accounts_service.set_standing_ids([&mod](const std::string& state) {
      return mod.user_ids_in(require_enum<moderation::StandingState>("status", state));
    });
    accounts_service.set_content_guard(mod);
    mod.add_content(ContentType::user, {
        [&accounts_service](const std::string& id) { return accounts_service.moderation_view(id); },
        [&accounts_service](const std::string& id) { return accounts_service.hide_bio(id); },
        [&accounts_service](const std::string& id, const std::string& bio) { return accounts_service.restore_bio(id, bio); },
    });
    parties_service.set_moderation(mod, mod);  // the old report route writes through moderation
    videos_service.set_content_guard(mod);
    messaging_service.set_content_guard(mod);
    mod.add_content(ContentType::party, {[&parties_service](const std::string& id) { return parties_service.party_view(id); },
                                         nullptr, nullptr});
    mod.add_content(ContentType::group, {[&groups_service](const std::string& id) { return groups_service.moderation_view(id); },
                                         nullptr, nullptr});
    mod.add_content(ContentType::event, {[&events_service](const std::string& id) { return events_service.moderation_view(id); },
                                         nullptr, nullptr});
    mod.add_content(ContentType::party_message, {
        [&parties_service](const std::string& id) { return parties_service.message_view(id); },
        [&parties_service](const std::string& id) { return parties_service.hide_message(id); },
        [&parties_service](const std::string& id, const std::string& s) { return parties_service.restore_message(id, s); },
    });
    mod.add_content(ContentType::video, {
        [&videos_service](const std::string& id) { return videos_service.video_view(id); },
        [&videos_service](const std::string& id) { return videos_service.hide_video(id); },
        [&videos_service](const std::string& id, const std::string&) { return videos_service.restore_video(id); },
    });
    mod.add_content(ContentType::video_comment, {
        [&videos_service](const std::string& id) { return videos_service.comment_view(id); },
        [&videos_service](const std::string& id) { return videos_service.hide_comment(id); },
        [&videos_service](const std::string& id, const std::string& s) { return videos_service.restore_comment(id, s); },
    });
    mod.add_content(ContentType::direct_message, {
        [&messaging_service](const std::string& id) { return messaging_service.message_view(id); },
        [&messaging_service](const std::string& id) { return messaging_service.hide_message(id); },
        [&messaging_service](const std::string& id, const std::string& s) { return messaging_service.restore_message(id, s); },
    });
  }
  // ---- end moderation
  // ---- store (#18): coins (a double-entry ledger), the catalog, purchases, inventory, achievements.
  store::Store store_store(*db);
  store::StoreService store_service(store_store);
  store::add_routes(router, store_service);
  CoinSink& coin_sink = store_service;  // billing credits bought coins here (core/coin_sink.hpp)
  billing_service->set_coin_sink(&coin_sink);
  store::BadgeCache badge_cache(store_service, std::chrono::seconds(10));
  store_service.on_equipped_changed([&badge_cache](const std::string& user_id) { badge_cache.forget(user_id); });
  accounts_service.set_badges(badge_cache);
  parties_service.set_badges(badge_cache);
  // Cosmetics: a pack's emoji only from its owners (party reactions), the index kept 10 s per node.
  store::PackEmoji pack_emoji(store_service, std::chrono::seconds(10));
  store_service.on_catalog_changed([&pack_emoji] { pack_emoji.forget(); });
  parties_service.set_emoji_packs(pack_emoji);
  store::AchievementsService achievements_service(store_store, store_service);
  achievements_service.set_notifier(notifications_service);
  store::add_achievement_routes(router, achievements_service);
  // Events are only copied here; the pool applies them (counters, unlocks, the day's coins).
  store::Inbox achievements_inbox(
      10'000, [&pool](std::function<void()> job) { return pool.try_submit(std::move(job)); },
      [&achievements_service](const DomainEvent& e) { achievements_service.apply(e); });
  domain_events.subscribe([&achievements_inbox](const DomainEvent& e) { achievements_inbox.push(e); });
  metrics().add_gauge("watchparty_achievement_events_dropped", "Domain events the achievements queue dropped (full).",
                      [&achievements_inbox] { return static_cast<double>(achievements_inbox.dropped()); });
  metrics().add_gauge("watchparty_achievement_events_queued", "Domain events waiting for the achievements.",
                      [&achievements_inbox] { return static_cast<double>(achievements_inbox.queued()); });
  // A drain the pool refused is tried again.
  // Sessions' last-seen times gathered by authentication, written in one transaction per round.
  Periodic session_touches("session last-seen times", std::chrono::seconds(10), [&accounts_service] {
    accounts_service.flush_session_touches();
    return false;
  });
  Periodic achievements_retry("achievements inbox", std::chrono::seconds(1), [&achievements_inbox] {
    achievements_inbox.retry();
    return false;
  });
  // ---- end store
  // Members of a party may watch the private video it plays.
  videos_service.set_viewer_check([&parties_service](const std::string& user_id, const std::string& video_id) {
    return parties_service.party_member_may_view(user_id, video_id);
  });
  videos_service.set_party_member_check([&parties_service](const std::string& user_id, const std::string& party_id) {
    return parties_service.is_party_member(user_id, party_id);
  });
  // A revoked session or a deactivated user loses their live sockets too.
  accounts_service.on_sessions_revoked([&hub](const accounts::AccountsService::Revocation& r) {
    using Kind = realtime::Hub::Sessions::Kind;
    realtime::Hub::Sessions which;
    if (r.only_session) which = {Kind::only, *r.only_session};
    if (r.except_session) which = {Kind::all_but, *r.except_session};
    hub.close_user_everywhere(r.user_id, realtime::close_code::not_authenticated, "Session ended.", which);
    hub.signal(kSessionsRevoked, r.user_id);
  });
  // The other nodes forget the sessions they kept of that user (this one already did).
  hub.on_signal(kSessionsRevoked, [&accounts_service](const std::string& user_id) {
    accounts_service.forget_sessions_of(user_id);
  });
  metrics().add_gauge("watchparty_hub_connections", "WebSockets (party and /ws/user/) joined to rooms on this node.",
                      [&hub] { return static_cast<double>(hub.connection_count()); });

  // ---- analytics (#20): client batches through the API; the modules' domain
  // events through a bounded queue (never blocks a publisher) and the writer.
  // Reads of the rollups on a streaming replica when one is named; it opens its pool now.
  std::unique_ptr<db::Database> analytics_reads;
  if (!config.analytics_database_url.empty()) {
    if (db->dialect() != db::Dialect::postgresql)
      return fail("analytics_database_url is a replica of a PostgreSQL database_url; database_url is SQLite");
    Config replica = config;
    replica.database_url = config.analytics_database_url;
    replica.db_pool_size = std::min(4, config.effective_db_pool_size());
    try {
      analytics_reads = std::make_unique<db::Database>(replica);
    } catch (const Error& e) {
      return fail(std::string("analytics: cannot reach analytics_database_url: ") + e.what());
    }
    spdlog::info("analytics: reads from {}", analytics_reads->description());
  }
  analytics::Store analytics_store(*db, analytics_reads.get());
  analytics::AnalyticsService analytics_service(analytics_store, *limiter, analytics_settings(config));
  analytics::add_routes(router, analytics_service);
  analytics::add_socket_messages(user_messages, analytics_service);
  analytics::add_metrics(analytics_service);
  std::unique_ptr<analytics::LiveBoard> analytics_board;
  if (redis)
    analytics_board = std::make_unique<analytics::RedisLiveBoard>(*redis);
  else
    analytics_board = std::make_unique<analytics::MemoryLiveBoard>();
  analytics_service.set_live_board(*analytics_board);
  analytics::Hooks analytics_hooks;
  analytics_hooks.video_owner = [&videos_service](const std::string& id) -> std::optional<std::string> {
    auto v = videos_service.video_view(id);
    return v ? std::optional<std::string>(v->author_id) : std::nullopt;
  };
  analytics_hooks.party_host = [&parties_store](const std::string& id) -> std::optional<std::string> {
    auto p = parties_store.party(id);
    return p ? std::optional<std::string>(p->host_id) : std::nullopt;
  };
  analytics_hooks.completions = [&videos_service](const std::string& id) { return videos_service.completions(id); };
  analytics_hooks.measure = [&hub] {
    analytics::NodeLive n;
    const auto user_prefix = realtime::LiveUserChannel::room("");
    for (auto& [room, count] : hub.connections_by_room()) {
      n.sockets += static_cast<long>(count);
      if (room.rfind(user_prefix, 0) == 0) continue;
      n.party_sockets += static_cast<long>(count);
      n.party_rooms.push_back(room);
    }
    return n;
  };
  analytics_service.set_hooks(std::move(analytics_hooks));
  analytics::Writer analytics_writer(analytics_service, analytics_intervals(config), worker_id("analytics"));
  domain_events.subscribe([&analytics_service, &analytics_writer](const DomainEvent& e) {
    analytics_service.record(e);
    if (analytics_service.queue().size() >= analytics_service.settings().write_batch) analytics_writer.wake();
  });
  // This month's partition (and those ahead) before any event; with migrations pending
  // (--migrate-on-start false) there is no table yet: the hourly maintenance makes them.
  if (db::current_version(*db) >= db::latest_version(db->dialect())) {
    try {
      analytics_service.maintain(now_ms());
    } catch (const Error& e) {
      return fail(std::string("analytics: cannot prepare the event partitions: ") + e.what());
    }
  } else {
    spdlog::warn("analytics: migrations pending; the event partitions wait for them");
  }
  // ---- end analytics

  // ---- mobile (#21): devices (their push tokens live in the push module
  // while the device may receive pushes), the delta sync and its feeds. The
  // feeds' recordings and token revocations run in order on the pool.
  mobile::Store mobile_store(*db);
  mobile::MobileService mobile_service(mobile_store, mobile_sync_settings(config));
  mobile_service.set_rate_limiter(*limiter);
  mobile_service.set_plans(plans);
  mobile_service.set_events(domain_events);
  mobile_service.set_crash_settings({config.mobile_crash_anonymous_limit,
                                     static_cast<std::size_t>(config.mobile_crash_max_stack_bytes)});
  try {
    mobile_service.set_app_config(mobile_app_config(config));
  } catch (const std::invalid_argument& e) {
    return fail(std::string("mobile: ") + e.what());
  }
  mobile_service.set_relations(relations);
  mobile_service.set_push({
      [&push_service](const Principal& user, const std::string& token, mobile::Platform platform) {
        bool created = false;
        push_service->register_device(user, token, std::string(wp::to_string(platform)), created);
      },
      [&push_service](const std::string& token) { push_service->forget_device_token(token); },
  });
  mobile::add_routes(router, mobile_service);
  auto mobile_queue = std::make_shared<SerialQueue>(pool, 10'000);
  auto mobile_later = [mobile_queue](const char* what, std::function<void()> job) {
    bool taken = mobile_queue->post([what, job = std::move(job)] {
      try {
        job();
      } catch (const Error& e) {
        spdlog::warn("mobile: {}: {}", what, e.what());
      }
    });
    if (!taken) spdlog::warn("mobile: queue full, {} dropped (a full sync repairs friends)", what);
  };
  domain_events.subscribe([&mobile_service, mobile_later](const DomainEvent& e) {
    if (e.type != "friend.added" && e.type != "friend.removed") return;
    boost::system::error_code ec;
    auto data = boost::json::parse(e.data_json, ec);
    auto* friend_id = ec || !data.is_object() ? nullptr : data.as_object().if_contains("friend_id");
    if (!friend_id || !friend_id->is_string()) return;
    std::string other(friend_id->as_string());
    mobile_later("friends feed", [&mobile_service, a = e.user_id, other] { mobile_service.friendship_changed(a, other); });
  });
  // In the revoking request itself (on the pool), not on the queue: a full
  // queue must never leave a logged-out phone its pushes.
  accounts_service.on_sessions_revoked([&mobile_service](const accounts::AccountsService::Revocation& r) {
    mobile_service.sessions_ended(r.user_id, r.only_session, r.except_session);
  });
  // The sync's feeds of other modules' records, and where offline pushes apply
  // (app/mobile_feeds.cpp). Watch progress outside parties is recorded as it is
  // heard; the others are compared at the start of each sync.
  wire_mobile_feeds(mobile_service, {accounts_service, messaging_service, notifications_service, videos_service});
  domain_events.subscribe([&mobile_service, mobile_later](const DomainEvent& e) {
    if (e.type != "watch.progress" || !e.party_id.empty() || e.user_id.empty()) return;
    mobile_later("watch history feed", [&mobile_service, user = e.user_id, video = e.video_id] {
      mobile_service.record_changed(mobile::DataType::watch_history, user, video);
    });
  });
  // ---- end mobile
  // ---- mobile home (#21): GET /api/mobile/home/ from the other modules' services (app/mobile_home.cpp)
  mobile::HomeService mobile_home(app::mobile_home_sources({parties_service, events_service, videos_service,
                                                            recommendations_service, notifications_service,
                                                            messaging_service, admin_service}),
                                  {});
  mobile::add_home_routes(router, mobile_home);
  // ---- end mobile home

  router.set_fallback(http::static_files_route(web_dir(config)));
  if (routes_out) {
    for (auto& r : router.routes()) *routes_out << r.method << ' ' << r.pattern << '\n';
    return 0;
  }

  http::Dispatcher dispatcher(router, config.cors_origins);
  dispatcher.set_authenticator(accounts::make_authenticator(accounts_service, config));
  dispatcher.set_memory_authenticator(accounts::make_memory_authenticator(accounts_service, config));
  // admin (#19): every 500 lands in the ErrorLog, written on the pool (the hook may run on an I/O thread).
  dispatcher.on_server_error([&pool, &admin_service](const http::Request& req, const std::string& message) {
    admin::ErrorEvent e{req.method, req.route.empty() ? "(unmatched)" : req.route, req.request_id, message,
                        req.user ? std::optional<std::string>(req.user->id) : std::nullopt};
    if (!pool.try_submit([&admin_service, e] {
          try {
            admin_service.record_error(e);
          } catch (const Error& err) {
            spdlog::warn("error log: {}", err.what());
          }
        }))
      spdlog::warn("error log: pool full, a 500 of {} not recorded", e.route);
  });
  http::Server server(server_options(config), dispatcher, pool, &bulk_pool);
  metrics().add_gauge("watchparty_io_lag_seconds", "The I/O threads' largest lag of the last second (the lag probe).",
                      [&server] { return server.lag().recent_max_lag_s(); });
  metrics().add_gauge("watchparty_bulk_shed_total", "Bulk requests refused 503 while the I/O threads lagged.",
                      [&server] { return static_cast<double>(server.lag().shed()); });
  std::optional<ConfigReloader> reloader;
  if (reload) {
    reloader.emplace(config, reload, audit_log);
    server.on_reload([&pool, &reloader] {
      if (!pool.try_submit([&reloader] { reloader->reload(); }))
        spdlog::warn("configuration reload: the pool is full, send SIGHUP again");
    });
  }
  unsigned short port;
  try {
    port = server.listen();
  } catch (const std::exception& e) {
    return fail("cannot listen on " + config.host + ":" + std::to_string(config.port) + ": " + e.what());
  }
  spdlog::info("watchparty {} listening on http://{}:{}", WATCHPARTY_VERSION, config.host, port);
  // Buffering waits end by themselves; a small ticker checks them.
  std::atomic<bool> ticking{true};
  std::atomic<bool> polls_ticking{false};
  std::thread ticker([&] {
    while (ticking) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      try {
        live_rooms.tick();
      } catch (const Error& e) {
        spdlog::debug("party tick: {}", e.what());
      }
      try {
        user_channel.tick();
      } catch (const Error& e) {
        spdlog::debug("user channel tick: {}", e.what());
      }
      // polls: expiry and waiting results, on the pool (SQL), one run at a time
      if (!polls_ticking.exchange(true) && !pool.try_submit([&] {
            try {
              polls_service.tick();
            } catch (const Error& e) {
              spdlog::debug("polls tick: {}", e.what());
            }
            polls_ticking = false;
          }))
        polls_ticking = false;
    }
  });
  if (config.run_workers_in_serve) video_workers.start();
  events_scheduler.start();  // events (#16): status by the clock, reminders, parties
  if (config.run_workers_in_serve) push_worker.start();  // push (#15)
  notifications_worker.start();  // notifications (#15)
  admin_background.start();  // admin (#19): heartbeat, metric snapshots, retention
  analytics_writer.start();  // analytics (#20)
  achievements_retry.start();  // store (#18)
  session_touches.start();
  if (janus_keeper) janus_keeper->start();  // calls (#17): the Janus session
  if (janus_mutes) janus_mutes->start();    // calls (#17): server mutes in the mixes
  server.run();
  // Abandoned requests mean stuck pool threads: only a short wait then.
  auto budget = server.abandoned() > 0 ? std::chrono::milliseconds(1000)
                                       : std::max<std::chrono::milliseconds>(std::chrono::seconds(config.shutdown_timeout_s),
                                                                            std::chrono::milliseconds(1000));
  // Threads stop before what they call is destroyed (in reverse order of
  // declaration, below): the pool's tasks may still use Redis, so Redis
  // stops after the pool, and its thread (subscriptions into the hub and the
  // parties service, on_connect handlers) is joined before those go.
  finish_within(budget, [&] {
    video_workers.stop();
    events_scheduler.stop();
    push_worker.stop();  // push (#15): sends already on the pool finish in pool.stop()
    notifications_worker.stop();  // notifications (#15)
    admin_background.stop();  // admin (#19)
    analytics_writer.stop();  // analytics (#20): what is queued is written first
    achievements_retry.stop();  // store (#18)
    if (janus_keeper) janus_keeper->stop();  // calls (#17)
    if (janus_mutes) janus_mutes->stop();    // calls (#17)
    ticking = false;
    ticker.join();
    bulk_pool.stop();  // its batches are committed before their answers, like the pool's requests
    pool.stop();
    live_rooms.flush_saves();  // nothing the last changes left pending is lost
    session_touches.stop();  // after the pool: the last requests' sessions are noted, then written
    flush_quietly("session last-seen times", [&] { accounts_service.flush_session_touches(); });
    if (redis) redis->stop();
  });
  spdlog::info("stopped");
  return 0;
}

}  // namespace

int serve(const Config& config, std::function<Config()> reload) { return run_server(config, std::move(reload), nullptr); }

int print_routes(const Config& config, std::ostream& out) { return run_server(config, nullptr, &out); }

int worker(const Config& config) {
  init(config);
  // Signals are taken synchronously by this thread; every other thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::unique_ptr<db::Database> db;
  try {
    db = std::make_unique<db::Database>(config);
    if (config.migrate_on_start) db::apply_migrations(*db);
  } catch (const Error& e) {
    return fail(std::string("cannot open the database: ") + e.what());
  }
  videos::Store store(*db);
  videos::VideosService service(store, config);
  videos::Workers workers(service, config.worker_threads);
  // messaging (#14): unsent attachments past their TTL
  messaging::Store messaging_store(*db);
  const auto messaging_settings = messaging::settings_from(config);
  workers.add_periodic("expiring unsent message attachments", attachment_sweep_every(config),
                       [&messaging_store, &messaging_settings] {
                         messaging::expire_orphan_attachments(messaging_store, messaging_settings);
                       });
  // support (#19): unclaimed attachments past their TTL
  support::Store support_store(*db);
  const auto support_settings = support::settings_from(config);
  workers.add_periodic("expiring unclaimed support attachments", attachment_sweep_every(config),
                       [&support_store, &support_settings] {
                         support::expire_orphan_attachments(support_store, support_settings);
                       });
  // push (#15): the outbox's sends wait on a pool of their own here.
  push::Store push_store(*db);
  std::unique_ptr<push::PushService> push_service;
  try {
    push_service = push::make_service(push_store, config);
  } catch (const std::runtime_error& e) {
    return fail(e.what());
  }
  BlockingPool push_pool(config.push_concurrency, config.push_concurrency * 2);
  push::Worker push_worker(
      *push_service, [&push_pool](std::function<void()> job) { return push_pool.try_submit(std::move(job)); },
      config.push_concurrency, std::chrono::milliseconds(config.push_poll_ms));
  workers.start();
  push_worker.start();
  // ---- notifications (#15): the email outbox, digests and retention (party starts run in serve).
  std::unique_ptr<Mailer> mailer;
  try {
    mailer = make_mailer(config);
  } catch (const ConfigError& e) {
    return fail(e.what());
  }
  accounts::Store accounts_store(*db);
  MemoryRateLimiter limiter;
  accounts::AccountsService accounts_service(accounts_store, config, *mailer, limiter);
  notifications::Store notifications_store(*db);
  NoUserChannel no_channel;
  notifications::NotificationsService notifications_service(notifications_store, no_channel, *push_service,
                                                            notification_options(config));
  notifications_service.set_contact_of(contact_of(accounts_service));
  notifications::Worker notifications_worker(notifications_service, *mailer, config.notification_worker_poll_ms, true,
                                             false);
  notifications_worker.start();
  // ---- end notifications
  spdlog::info("watchparty {} worker running on {}", WATCHPARTY_VERSION, db->description());
  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("signal {} received: stopping workers", sig);
  workers.stop();
  push_worker.stop();
  push_pool.stop();
  notifications_worker.stop();
  spdlog::info("stopped");
  return 0;
}

int migrate(const Config& config) {
  init(config);
  try {
    db::Database db(config);
    auto applied = db::apply_migrations(db);
    std::cout << (applied.empty() ? "No migrations to apply." : "Applied " + std::to_string(applied.size()) + " migration(s).")
              << " Schema version " << db::current_version(db) << ".\n";
    return 0;
  } catch (const Error& e) {
    return fail(std::string("migrate failed: ") + e.what());
  }
}

namespace {
// The accounts service as the one-shot CLI commands need it: no server, no Redis.
struct OfflineAccounts {
  explicit OfflineAccounts(const Config& config)
      : db(config), mailer(make_mailer(config)), store(db), service(store, config, *mailer, limiter) {
    db::apply_migrations(db);
  }
  db::Database db;
  std::unique_ptr<Mailer> mailer;
  MemoryRateLimiter limiter;
  accounts::Store store;
  accounts::AccountsService service;
};
}  // namespace

int create_superuser(const Config& config, const std::string& username, const std::string& email,
                     const std::string& password) {
  init(config);
  try {
    OfflineAccounts accounts(config);
    auto user = accounts.service.create_superuser(username, email, password);
    std::cout << "Superuser " << user.username << " created (id " << user.id << ").\n";
    return 0;
  } catch (const Error& e) {
    std::string detail;
    for (auto& [field, msgs] : e.fields())
      for (auto& m : msgs) detail += "\n  " + field + ": " + m;
    return fail(std::string("createsuperuser failed: ") + e.what() + detail);
  } catch (const ConfigError& e) {
    return fail(e.what());
  }
}

int set_user_active(const Config& config, const std::string& username, bool active) {
  init(config);
  try {
    OfflineAccounts accounts(config);
    auto& service = accounts.service;
    // Party sockets live in the running servers: only Redis reaches them from here.
    std::unique_ptr<realtime::RedisNode> redis;
    std::unique_ptr<realtime::RedisBackplane> backplane;
    std::unique_ptr<realtime::Hub> hub;
    if (!config.redis_url.empty()) {
      redis = std::make_unique<realtime::RedisNode>(config.redis_url, config.redis_prefix);
      backplane = std::make_unique<realtime::RedisBackplane>(*redis);
      hub = std::make_unique<realtime::Hub>(*backplane);
      redis->start();
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
      while (!redis->connected() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (!redis->connected()) return fail("cannot reach redis at " + config.redis_url + ": nothing changed");
      service.on_sessions_revoked([&hub](const accounts::AccountsService::Revocation& r) {
        hub->close_user_everywhere(r.user_id, realtime::close_code::not_authenticated, "Session ended.");
        hub->signal(kSessionsRevoked, r.user_id);
      });
    }
    auto user = service.set_active_by_username(username, active);
    if (redis) {
      // Replies come in order: a PONG means the close has been published.
      // The change is made either way, so a failure here is only a warning.
      try {
        redis->call({"PING"});
      } catch (const Error& e) {
        std::cerr << "warning: could not confirm that open party sockets were told (" << e.what()
                  << "); sockets already open may stay open until they reconnect.\n";
      }
    }
    std::cout << "User " << user.username << " (id " << user.id << ") is now " << (active ? "active" : "inactive")
              << ".\n";
    if (!active && !redis)
      std::cout << "Every session is revoked. Without redis_url, party sockets already open on a running server "
                   "stay open until they reconnect; POST /api/admin/users/" << user.id
                << "/deactivate/ closes them at once.\n";
    return 0;
  } catch (const Error& e) {
    return fail(std::string(active ? "activate-user" : "deactivate-user") + " failed: " + e.what());
  } catch (const ConfigError& e) {
    return fail(e.what());
  }
}

}  // namespace wp::app

#pragma once
// Every setting lives in one table (config.cpp). The TOML file, the
// WATCHPARTY_* environment and the command-line flags are all derived from
// it, in that order of precedence, so a setting is declared exactly once.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace wp {

struct Config {
  // transport
  std::string host = "127.0.0.1";
  int port = 8000;
  int io_threads = 2;
  int max_connections = 10000;
  int max_header_bytes = 16 * 1024;
  std::int64_t max_body_bytes = 64 * 1024;
  int read_timeout_s = 30;
  int idle_timeout_s = 75;
  int shutdown_timeout_s = 10;
  std::vector<std::string> cors_origins;
  std::vector<std::string> trusted_proxies;
  int ws_send_queue = 256;
  int ws_flood_burst = 60;
  int ws_flood_rate = 20;
  int ws_idle_timeout_s = 60;
  int session_cache_ms = 1000;
  // parties
  int play_lead_ms = 300;
  int buffering_timeout_ms = 8000;
  int presence_ttl_s = 15;
  // user channel
  int user_presence_debounce_ms = 5000;
  std::string redis_prefix = "wp:";
  // storage
  std::string data_dir = "./data";
  std::string database_url;  // empty: SQLite at <data_dir>/watchparty.db
  std::string redis_url;
  bool migrate_on_start = true;
  int blocking_threads = 16;
  int blocking_queue = 1024;
  int db_pool_size = 0;  // 0: see effective_db_pool_size
  // bulk work (analytics ingestion): its own pool below the I/O threads, shed while they lag
  int bulk_threads = 2;
  int bulk_queue = 16;
  std::string bulk_policy = "batch";  // other, batch, idle
  int bulk_nice = 19;
  int lag_probe_ms = 10;
  // 50, not 10: a 1,000-member party's own fan-out makes a probe 10-15 ms late, so 10 shed
  // ingestion whenever such a party chatted, without making the party any faster (bench/analytics.md).
  int bulk_shed_lag_ms = 50;
  int bulk_shed_hold_ms = 1000;
  // logging
  std::string log_level = "info";
  std::string log_format = "text";
  bool access_log = true;
  // accounts
  std::string jwt_secret;  // empty: generated once and kept in the database, shared by all nodes
  int access_token_ttl_s = 900;
  int refresh_token_ttl_s = 30 * 24 * 3600;
  int refresh_reuse_grace_s = 10;
  std::string password_hash_cost = "interactive";
  int login_fail_limit_account = 5;
  int login_fail_limit_ip = 30;
  int login_fail_window_s = 900;
  int password_reset_ttl_s = 3600;
  int reset_mail_limit_address = 3;
  int reset_mail_limit_ip = 20;
  int reset_mail_window_s = 3600;
  int two_factor_challenge_ttl_s = 300;
  // mail
  std::string mail_mode = "console";  // console: log mails; smtp: send them
  std::string smtp_url;               // smtp://host:port or smtps://host:port
  std::string smtp_username;
  std::string smtp_password;
  std::string mail_from = "noreply@watchparty.local";
  std::string public_url;  // base URL for links in mails; empty: http://host:port
  std::string web_dir;     // built web client; empty: <binary dir>/../web/dist
  // videos
  std::int64_t max_upload_bytes = std::int64_t{2} * 1024 * 1024 * 1024;
  int worker_threads = 1;
  bool run_workers_in_serve = true;
  int worker_poll_ms = 1000;
  int job_lease_s = 60;
  int job_max_attempts = 3;
  int job_retry_base_s = 10;
  int ffmpeg_timeout_s = 3600;
  std::string ffmpeg_path = "ffmpeg";
  std::string ffprobe_path = "ffprobe";
  std::string hls_preset = "veryfast";
  int view_window_s = 1800;
  int upload_expiry_s = 24 * 3600;
  // messaging
  int message_send_limit = 30;
  int message_send_window_s = 10;
  int message_sync_limit = 100;
  std::int64_t message_attachment_max_bytes = 25 * 1024 * 1024;
  int message_attachment_ttl_s = 24 * 3600;
  // support (#19)
  int support_reopen_days = 7;
  // push (#15): Web Push and FCM
  std::string vapid_private_key;  // base64url P-256 scalar; empty: <data_dir>/vapid_private_key, made on first start
  std::string vapid_subject;      // mailto: or https: contact in the VAPID JWT; empty: mailto:<mail_from>
  bool push_allow_http = false;   // accept http:// push endpoints (tests)
  // Hosts a Web Push endpoint may name (the host itself or a subdomain), so a
  // subscription cannot make the server send requests anywhere; "*" allows any.
  std::vector<std::string> push_endpoint_hosts{"fcm.googleapis.com", "push.services.mozilla.com", "notify.windows.com",
                                               "push.apple.com"};
  int push_timeout_s = 10;
  int push_max_attempts = 5;
  int push_retry_base_ms = 5000;
  int push_lease_s = 60;
  int push_poll_ms = 1000;
  int push_concurrency = 4;
  int push_retention_days = 30;
  std::string fcm_service_account_file;  // empty: FCM off
  std::string fcm_base_url = "https://fcm.googleapis.com";
  std::string fcm_token_url;             // empty: the service account's token_uri
  // notifications (#15)
  int notification_group_window_s = 3600;
  int notification_retention_days = 90;
  int notification_email_max_attempts = 5;
  int notification_email_retry_base_s = 30;
  int notification_email_lease_s = 60;
  int notification_digest_interval_s = 86400;
  int notification_party_start_lead_s = 300;
  int notification_worker_poll_ms = 1000;
  int notification_broadcast_batch = 500;
  // voice chat and screen share (#17)
  std::vector<std::string> rtc_stun_urls;
  std::vector<std::string> rtc_turn_urls;
  std::string rtc_turn_secret;  // coturn's static-auth-secret; empty: no TURN credentials
  int rtc_turn_ttl_s = 86400;
  int rtc_mesh_max = 6;
  int rtc_max_sharers = 1;
  int rtc_signal_limit = 200;
  int rtc_signal_window_s = 10;
  int rtc_signal_max_bytes = 16 * 1024;
  // moderation (#19): the word list of ContentFlag and the rate signal
  std::string moderation_words;      // comma-separated entries
  std::string moderation_word_file;  // one entry per line; empty: none
  std::string moderation_word_action = "flag";  // flag or block
  int moderation_rate_limit = 5;     // the same text this many times a minute raises a flag; 0: off
  // admin (#19)
  int admin_heartbeat_s = 10;
  int admin_metrics_interval_s = 60;
  int admin_metrics_retention_days = 14;
  int admin_log_retention_days = 90;
  int admin_error_retention_days = 30;
  int admin_export_batch = 500;
  // search (#22)
  int search_log_retention_days = 90;
  // janus (#17): the SFU for calls beyond the mesh
  std::string janus_url;           // Janus API over HTTP; empty: no SFU
  std::string janus_admin_url;     // Janus admin API (token auth)
  std::string janus_admin_secret;  // Janus admin_secret; also derives the rooms' secrets
  std::string janus_api_secret;    // Janus api_secret, sent with every request of the server
  std::string janus_public_url;    // the Janus API as browsers reach it (empty: janus_url)
  int janus_keepalive_s = 20;      // the server's Janus session is kept alive (and its rooms checked) this often
  int janus_mute_check_s = 3;      // server mutes are held in Janus's mixes this often (a member can unmute there)
  // billing (#18): plans, the payment provider (Stripe's HTTP API), invoices
  std::string billing_file;  // TOML: plans, coin packs, seller, tax rates; empty: the built-in free and premium plans
  std::string stripe_api_url = "https://api.stripe.com";
  std::string stripe_secret_key;      // empty: checkout and portal answer 503
  std::string stripe_webhook_secret;  // empty: every webhook is refused
  int stripe_webhook_tolerance_s = 300;
  int billing_grace_period_s = 7 * 86400;
  // analytics (#20)
  int analytics_event_data_max_bytes = 4096;
  bool analytics_truncate_ip = false;
  int analytics_anonymous_limit = 120;  // batches per minute per IP without a login
  int analytics_retention_days = 395;
  int analytics_partitions_ahead = 2;
  int analytics_queue_capacity = 10000;
  int analytics_flush_ms = 500;
  int analytics_rollup_interval_s = 60;
  int analytics_rollup_late_window_s = 3600;
  // mobile (#21)
  int mobile_sync_page_size = 100;      // changes per sync page unless the app asks for fewer
  int mobile_sync_max_page_size = 500;  // the most an app may ask for
  int mobile_syncs_per_minute = 60;     // per user
  int mobile_sync_max_push = 500;       // offline changes per batch
  // GET /api/mobile/config/: "platform=version" items; flags "name[:percent[:plan|plan]]"
  std::vector<std::string> mobile_min_versions;
  std::vector<std::string> mobile_latest_versions;
  std::vector<std::string> mobile_flags;
  std::string mobile_api_base_url;  // empty: public_url (or http://host:port) + "/api/"
  std::string mobile_maintenance_message;
  int mobile_config_max_age_s = 300;
  // POST /api/mobile/crashes/ and sessions
  int mobile_crash_anonymous_limit = 30;  // reports per minute per address without a login
  int mobile_crash_max_stack_bytes = 65536;
  std::string analytics_database_url;  // empty: analytics reads go to database_url too

  std::string sqlite_path() const;
  bool uses_sqlite() const { return database_url.empty() || database_url.rfind("sqlite://", 0) == 0; }
  // db_pool_size, or by default one connection per blocking or bulk thread;
  // on SQLite at most twice the cores (at least 4): it writes one at a time,
  // and each connection maps the file and caches pages of its own, so
  // connections past what can run at once cost memory and buy nothing.
  int effective_db_pool_size() const;
};

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Setting {
  std::string name;  // snake_case: TOML key; env WATCHPARTY_<NAME>; flag --name-with-dashes
  std::string help;
  std::function<void(Config&, const std::string&)> set;  // throws std::invalid_argument(reason)
  std::function<std::string(const Config&)> get;
  bool secret = false;
};

const std::vector<Setting>& settings();
std::string env_name(const Setting& s);
std::string flag_name(const Setting& s);

struct ConfigSources {
  std::optional<std::string> file;                          // TOML file path
  std::function<const char*(const char*)> getenv = nullptr;  // defaults to ::getenv
  std::map<std::string, std::string> flags;                  // setting name -> raw value
};

// Defaults < file < environment < flags. Throws ConfigError naming the
// setting and where the bad value came from.
Config load_config(const ConfigSources& sources);

}  // namespace wp

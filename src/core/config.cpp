#include "core/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <thread>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <sstream>

#include "core/strings.hpp"

namespace wp {

namespace {

std::int64_t parse_int(const std::string& v, std::int64_t lo, std::int64_t hi) {
  std::int64_t out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc{} || p != v.data() + v.size())
    throw std::invalid_argument("must be an integer, got '" + v + "'");
  if (out < lo || out > hi)
    throw std::invalid_argument("must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                                ", got " + v);
  return out;
}

bool parse_bool(const std::string& v) {
  if (auto b = parse_bool_text(v)) return *b;
  throw std::invalid_argument("must be true or false, got '" + v + "'");
}

template <class T>
Setting int_setting(std::string name, std::string help, T Config::*field, std::int64_t lo, std::int64_t hi) {
  return {std::move(name), std::move(help),
          [=](Config& c, const std::string& v) { c.*field = static_cast<T>(parse_int(v, lo, hi)); },
          [=](const Config& c) { return std::to_string(c.*field); }};
}

Setting string_setting(std::string name, std::string help, std::string Config::*field,
                       std::function<void(const std::string&)> check = nullptr, bool secret = false) {
  return {std::move(name), std::move(help),
          [=](Config& c, const std::string& v) {
            if (check) check(v);
            c.*field = v;
          },
          [=](const Config& c) { return c.*field; }, secret};
}

Setting bool_setting(std::string name, std::string help, bool Config::*field) {
  return {std::move(name), std::move(help), [=](Config& c, const std::string& v) { c.*field = parse_bool(v); },
          [=](const Config& c) { return std::string(c.*field ? "true" : "false"); }};
}

// A comma-separated list.
Setting list_setting(std::string name, std::string help, std::vector<std::string> Config::*field) {
  return {std::move(name), std::move(help), [=](Config& c, const std::string& v) { c.*field = split_list(v); },
          [=](const Config& c) {
            std::string out;
            for (auto& item : c.*field) out += (out.empty() ? "" : ",") + item;
            return out;
          }};
}

std::function<void(const std::string&)> one_of(std::vector<std::string> allowed) {
  return [allowed](const std::string& v) {
    if (std::find(allowed.begin(), allowed.end(), v) != allowed.end()) return;
    std::string list;
    for (auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    throw std::invalid_argument("must be one of " + list + ", got '" + v + "'");
  };
}

void check_database_url(const std::string& v) {
  if (!v.empty() && v.rfind("postgresql://", 0) != 0 && v.rfind("postgres://", 0) != 0 &&
      v.rfind("sqlite://", 0) != 0)
    throw std::invalid_argument("must start with postgresql:// or sqlite:// (or be empty for the default)");
}

void check_analytics_database_url(const std::string& v) {
  if (!v.empty() && v.rfind("postgresql://", 0) != 0 && v.rfind("postgres://", 0) != 0)
    throw std::invalid_argument("must start with postgresql:// (a replica of database_url), or be empty");
}

void check_redis_url(const std::string& v) {
  if (!v.empty() && v.rfind("redis://", 0) != 0) throw std::invalid_argument("must start with redis://");
}

// Empty (unset) or an http(s) URL.
void check_optional_http_url(const std::string& v) {
  if (!v.empty() && v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0)
    throw std::invalid_argument("must be an http:// or https:// URL, got '" + v + "'");
}

void check_not_empty(const std::string& v) {
  if (v.empty()) throw std::invalid_argument("must not be empty");
}

std::string toml_value_as_string(const toml::node& node) {
  if (auto s = node.value<std::string>()) return *s;
  if (auto b = node.value_exact<bool>()) return *b ? "true" : "false";
  if (auto i = node.value_exact<std::int64_t>()) return std::to_string(*i);
  if (auto arr = node.as_array()) {
    std::string out;
    for (auto& el : *arr) out += (out.empty() ? "" : ",") + toml_value_as_string(el);
    return out;
  }
  throw std::invalid_argument("has an unsupported TOML type");
}

void apply(Config& c, const Setting& s, const std::string& value, const std::string& origin) {
  try {
    s.set(c, value);
  } catch (const std::invalid_argument& e) {
    throw ConfigError("setting '" + s.name + "' (from " + origin + ") " + e.what());
  }
}

}  // namespace

int Config::effective_db_pool_size() const {
  if (db_pool_size > 0) return db_pool_size;
  int threads = blocking_threads + bulk_threads;
  if (!uses_sqlite()) return threads;
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::min(threads, std::max(4, 2 * cores));
}

std::string Config::sqlite_path() const {
  if (database_url.rfind("sqlite://", 0) == 0) return database_url.substr(9);
  return data_dir + "/watchparty.db";
}

const std::vector<Setting>& settings() {
  static const std::vector<Setting> all = {
      string_setting("host", "Address to listen on", &Config::host, check_not_empty),
      int_setting("port", "TCP port to listen on (0: pick a free one)", &Config::port, 0, 65535),
      int_setting("io_threads", "Threads running network I/O", &Config::io_threads, 1, 256),
      int_setting("max_connections", "Open connections at most; more are answered 503", &Config::max_connections,
                  1, 1000000),
      int_setting("max_header_bytes", "Largest request header block", &Config::max_header_bytes, 1024,
                  1024 * 1024),
      int_setting("max_body_bytes", "Largest request body for routes without their own limit",
                  &Config::max_body_bytes, 0, std::int64_t{1} << 40),
      int_setting("read_timeout_s", "Seconds to receive a whole request once it has started",
                  &Config::read_timeout_s, 1, 3600),
      int_setting("idle_timeout_s", "Seconds a keep-alive connection may stay silent", &Config::idle_timeout_s, 1,
                  86400),
      int_setting("shutdown_timeout_s", "Seconds to drain in-flight work on SIGTERM before forcing exit",
                  &Config::shutdown_timeout_s, 0, 600),
      list_setting("cors_origins", "Comma-separated origins allowed by CORS (with credentials)",
                   &Config::cors_origins),
      list_setting("trusted_proxies",
                   "Comma-separated addresses of reverse proxies whose X-Forwarded-For names the client "
                   "(login throttling, login history, access log)",
                   &Config::trusted_proxies),
      int_setting("ws_send_queue", "Messages queued per WebSocket before a slow client is cut (4008)",
                  &Config::ws_send_queue, 4, 100000),
      int_setting("ws_flood_burst", "Messages a WebSocket client may send in a burst", &Config::ws_flood_burst, 1,
                  100000),
      int_setting("ws_flood_rate", "Messages per second a WebSocket client may sustain", &Config::ws_flood_rate, 1,
                  100000),
      int_setting("ws_idle_timeout_s", "Seconds a WebSocket peer may stay silent (pings included) before it is dropped",
                  &Config::ws_idle_timeout_s, 2, 3600),
      int_setting("session_cache_ms",
                  "How long a node keeps a session it looked up for a request (0: look up each time); a "
                  "revocation drops it on every node at once, this bounds the time if a node misses that",
                  &Config::session_cache_ms, 0, 60000),
      int_setting("play_lead_ms", "How far ahead a play is scheduled so that all clients start together",
                  &Config::play_lead_ms, 0, 5000),
      int_setting("buffering_timeout_ms", "Longest wait for buffering members before playing on",
                  &Config::buffering_timeout_ms, 100, 120000),
      int_setting("presence_ttl_s",
                  "With Redis: a node renews its members' presence every third of this; members of a node "
                  "silent this long are removed",
                  &Config::presence_ttl_s, 3, 3600),
      int_setting("user_presence_debounce_ms",
                  "A user whose last /ws/user/ socket closed is shown offline to friends this much later, unless "
                  "they are back (a page reload)",
                  &Config::user_presence_debounce_ms, 0, 600000),
      string_setting("data_dir", "Directory for the SQLite file, uploads and generated secrets", &Config::data_dir,
                     check_not_empty),
      string_setting("database_url", "postgresql://user:pass@host:port/db, or empty for SQLite in data_dir",
                     &Config::database_url, check_database_url, true),
      string_setting("redis_url", "redis://host:port for multi-node mode, or empty", &Config::redis_url,
                     check_redis_url),
      string_setting("redis_prefix",
                     "Start of every Redis key and channel; deployments sharing one Redis need different ones",
                     &Config::redis_prefix,
                     [](const std::string& v) {
                       if (v.empty() || v.find_first_of("*?[]\\ \t\r\n") != std::string::npos)
                         throw std::invalid_argument("must be non-empty, without spaces or * ? [ ] \\");
                     }),
      bool_setting("migrate_on_start", "Apply pending migrations when serve starts", &Config::migrate_on_start),
      int_setting("blocking_threads", "Threads for SQL, hashing and other blocking work", &Config::blocking_threads,
                  1, 1024),
      int_setting("blocking_queue", "Queued blocking tasks at most; more are answered 503", &Config::blocking_queue,
                  1, 1000000),
      int_setting("db_pool_size",
                  "Database connections (0: one per blocking or bulk thread; on SQLite at most twice the cores, at least 4)",
                  &Config::db_pool_size,
                  0, 1024),
      int_setting("bulk_threads", "Threads for bulk work (analytics ingestion), below the I/O threads' priority",
                  &Config::bulk_threads, 1, 256),
      int_setting("bulk_queue", "Queued bulk requests at most; more are answered 503", &Config::bulk_queue, 1,
                  1000000),
      string_setting("bulk_policy", "Scheduling policy of the bulk threads: other, batch or idle", &Config::bulk_policy,
                     one_of({"other", "batch", "idle"})),
      int_setting("bulk_nice", "Nice value of the bulk threads (0: the process's)", &Config::bulk_nice, 0, 19),
      int_setting("lag_probe_ms", "How often the I/O threads measure their own lag, in milliseconds",
                  &Config::lag_probe_ms, 1, 1000),
      int_setting("bulk_shed_lag_ms", "I/O lag past which bulk requests are answered 503 with Retry-After (0: never)",
                  &Config::bulk_shed_lag_ms, 0, 60000),
      int_setting("bulk_shed_hold_ms", "How long bulk requests stay refused after the last lagging probe",
                  &Config::bulk_shed_hold_ms, 0, 600000),
      string_setting("log_level", "trace, debug, info, warn, error", &Config::log_level,
                     one_of({"trace", "debug", "info", "warn", "error"})),
      string_setting("log_format", "text or json (JSON lines)", &Config::log_format, one_of({"text", "json"})),
      bool_setting("access_log", "Log one line per request", &Config::access_log),
      string_setting("jwt_secret", "HS256 signing secret (empty: generated once and kept in the database)", &Config::jwt_secret,
                     nullptr, true),
      int_setting("access_token_ttl_s", "Lifetime of access tokens in seconds", &Config::access_token_ttl_s, 30,
                  86400),
      int_setting("refresh_token_ttl_s", "Lifetime of refresh tokens in seconds", &Config::refresh_token_ttl_s, 60,
                  365 * 86400),
      int_setting("refresh_reuse_grace_s",
                  "A refresh token replayed this many seconds after its use is refused (409) without revoking "
                  "the session (parallel tabs); later replays revoke it",
                  &Config::refresh_reuse_grace_s, 0, 300),
      string_setting("password_hash_cost", "Argon2id cost: interactive, moderate or sensitive (min: tests only)",
                     &Config::password_hash_cost, one_of({"min", "interactive", "moderate", "sensitive"})),
      int_setting("login_fail_limit_account", "Failed logins per account per window before 429",
                  &Config::login_fail_limit_account, 1, 1000),
      int_setting("login_fail_limit_ip", "Failed logins per client IP per window before 429",
                  &Config::login_fail_limit_ip, 1, 100000),
      int_setting("login_fail_window_s", "Window for counting failed logins, in seconds",
                  &Config::login_fail_window_s, 1, 86400),
      int_setting("password_reset_ttl_s", "Lifetime of a mailed password reset token, in seconds",
                  &Config::password_reset_ttl_s, 1, 7 * 86400),
      int_setting("reset_mail_limit_address", "Password reset mails per address per window; more are not sent",
                  &Config::reset_mail_limit_address, 1, 1000),
      int_setting("reset_mail_limit_ip", "Password reset requests per client IP per window; more send nothing",
                  &Config::reset_mail_limit_ip, 1, 100000),
      int_setting("reset_mail_window_s", "Window for counting password reset requests, in seconds",
                  &Config::reset_mail_window_s, 1, 86400),
      int_setting("two_factor_challenge_ttl_s",
                  "Time allowed between the password step of a 2FA login and its code, in seconds",
                  &Config::two_factor_challenge_ttl_s, 1, 3600),
      string_setting("mail_mode", "console (log mails) or smtp (send them)", &Config::mail_mode,
                     one_of({"console", "smtp"})),
      string_setting("smtp_url", "smtp://host:port or smtps://host:port", &Config::smtp_url,
                     [](const std::string& v) {
                       if (!v.empty() && v.rfind("smtp://", 0) != 0 && v.rfind("smtps://", 0) != 0)
                         throw std::invalid_argument("must start with smtp:// or smtps://");
                     }),
      string_setting("smtp_username", "SMTP user, if the server wants one", &Config::smtp_username),
      string_setting("smtp_password", "SMTP password", &Config::smtp_password, nullptr, true),
      string_setting("mail_from", "Sender address of outgoing mail", &Config::mail_from, check_not_empty),
      string_setting("web_dir", "Directory of the built web client (default: web/dist next to the build)",
                     &Config::web_dir),
      string_setting("public_url", "Base URL used in links sent by mail (default http://host:port)",
                     &Config::public_url),
      int_setting("max_upload_bytes", "Largest video upload in bytes (multipart or tus)", &Config::max_upload_bytes,
                  1, std::int64_t{1} << 42),
      int_setting("worker_threads", "Video processing jobs run at once by this process", &Config::worker_threads, 1,
                  64),
      bool_setting("run_workers_in_serve", "serve also runs video processing workers (else run 'watchparty worker')",
                   &Config::run_workers_in_serve),
      int_setting("worker_poll_ms", "How often an idle worker looks for a queued job, in milliseconds",
                  &Config::worker_poll_ms, 10, 60000),
      int_setting("job_lease_s", "Seconds without a heartbeat after which a running job is taken over",
                  &Config::job_lease_s, 1, 86400),
      int_setting("job_max_attempts", "Attempts of a processing job before it fails for good",
                  &Config::job_max_attempts, 1, 100),
      int_setting("job_retry_base_s", "Backoff before the first retry; doubles with every attempt",
                  &Config::job_retry_base_s, 0, 86400),
      int_setting("ffmpeg_timeout_s", "Longest run of one ffmpeg or ffprobe process, in seconds",
                  &Config::ffmpeg_timeout_s, 1, 7 * 86400),
      string_setting("ffmpeg_path", "ffmpeg executable (looked up on PATH)", &Config::ffmpeg_path, check_not_empty),
      string_setting("ffprobe_path", "ffprobe executable (looked up on PATH)", &Config::ffprobe_path,
                     check_not_empty),
      string_setting("hls_preset", "x264 preset for HLS renditions", &Config::hls_preset,
                     one_of({"ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower",
                             "veryslow"})),
      int_setting("upload_expiry_s", "Unfinished tus uploads untouched this long are deleted",
                  &Config::upload_expiry_s, 1, 365 * 86400),
      int_setting("view_window_s", "A viewer counts as one view per this many seconds", &Config::view_window_s, 1,
                  30 * 86400),
      // messaging
      int_setting("message_send_limit", "Messages a user may send per message_send_window_s (all nodes)",
                  &Config::message_send_limit, 1, 1000000),
      int_setting("message_send_window_s", "Window of message_send_limit, in seconds", &Config::message_send_window_s,
                  1, 86400),
      int_setting("message_sync_limit", "Messages one sync replays over all its conversations (at most ws_send_queue / 2)",
                  &Config::message_sync_limit, 1, 10000),
      int_setting("message_attachment_max_bytes", "Largest message attachment in bytes; 413 beyond",
                  &Config::message_attachment_max_bytes, 1, std::int64_t{1} << 34),
      int_setting("message_attachment_ttl_s", "An uploaded attachment no message took this long is deleted",
                  &Config::message_attachment_ttl_s, 1, 365 * 86400),
      // support (#19)
      int_setting("support_reopen_days", "Days after its resolution that a user may still reopen a support ticket",
                  &Config::support_reopen_days, 0, 3650),
      // ---- push (#15)
      string_setting("vapid_private_key",
                     "VAPID private key, base64url (default: kept in <data_dir>/vapid_private_key, made on first start)",
                     &Config::vapid_private_key, nullptr, true),
      string_setting("vapid_subject", "Contact in the VAPID JWT, mailto: or https: (default mailto:<mail_from>)",
                     &Config::vapid_subject,
                     [](const std::string& v) {
                       if (!v.empty() && v.rfind("mailto:", 0) != 0 && v.rfind("https://", 0) != 0)
                         throw std::invalid_argument("must start with mailto: or https://");
                     }),
      bool_setting("push_allow_http", "Accept http:// Web Push endpoints (for tests; push services use https)",
                   &Config::push_allow_http),
      list_setting("push_endpoint_hosts",
                   "Hosts a Web Push endpoint may name, each with its subdomains (the browsers' push services); * for any",
                   &Config::push_endpoint_hosts),
      int_setting("push_timeout_s", "Longest push request (Web Push, FCM, OAuth2 token), in seconds",
                  &Config::push_timeout_s, 1, 300),
      int_setting("push_max_attempts", "Attempts of a push before it fails for good", &Config::push_max_attempts, 1,
                  100),
      int_setting("push_retry_base_ms", "Backoff before a push's first retry (no Retry-After); doubles each attempt",
                  &Config::push_retry_base_ms, 10, 3600 * 1000),
      int_setting("push_lease_s", "A push claimed or in flight this long by a silent worker is taken back",
                  &Config::push_lease_s, 1, 86400),
      int_setting("push_poll_ms", "How often an idle push worker looks for due pushes, in milliseconds",
                  &Config::push_poll_ms, 10, 60000),
      int_setting("push_concurrency", "Push requests in flight at once per process", &Config::push_concurrency, 1,
                  256),
      int_setting("push_retention_days", "Sent and failed pushes (and their attempts) are deleted after this many days",
                  &Config::push_retention_days, 1, 3650),
      string_setting("fcm_service_account_file", "FCM service account JSON (empty: no FCM sends)",
                     &Config::fcm_service_account_file),
      string_setting("fcm_base_url", "FCM HTTP v1 base URL", &Config::fcm_base_url, check_not_empty),
      string_setting("fcm_token_url", "OAuth2 token endpoint for FCM (default: the service account's token_uri)",
                     &Config::fcm_token_url),
      // ---- end push
      // ---- notifications (#15)
      int_setting("notification_group_window_s", "Repeats of a notice on one object within this many seconds "
                  "fold into one notification", &Config::notification_group_window_s, 0, 30 * 86400),
      int_setting("notification_retention_days", "Notifications older than this are deleted by the worker",
                  &Config::notification_retention_days, 1, 3650),
      int_setting("notification_email_max_attempts", "Attempts of a notification mail before it fails for good",
                  &Config::notification_email_max_attempts, 1, 100),
      int_setting("notification_email_retry_base_s", "Backoff before a mail's first retry; doubles with every attempt",
                  &Config::notification_email_retry_base_s, 0, 86400),
      int_setting("notification_email_lease_s", "Seconds after which a mail being sent by a silent worker is taken "
                  "over (must exceed the SMTP timeout of 20 s in production)", &Config::notification_email_lease_s, 1,
                  86400),
      int_setting("notification_digest_interval_s", "A daily digest goes out this long after its first notice",
                  &Config::notification_digest_interval_s, 1, 7 * 86400),
      int_setting("notification_party_start_lead_s", "Members hear of a scheduled party this long before it starts",
                  &Config::notification_party_start_lead_s, 0, 86400),
      int_setting("notification_worker_poll_ms", "How often the notifications worker looks for due mails and "
                  "digests, in milliseconds", &Config::notification_worker_poll_ms, 10, 60000),
      int_setting("notification_broadcast_batch", "Users per insert batch of an admin broadcast's fan-out",
                  &Config::notification_broadcast_batch, 1, 10000),
      // ---- end notifications
      // ---- voice chat and screen share (#17)
      list_setting("rtc_stun_urls", "Comma-separated STUN URLs given to voice chat members (stun:host:port)",
                   &Config::rtc_stun_urls),
      list_setting("rtc_turn_urls", "Comma-separated TURN URLs given to voice chat members (turn:host:port?transport=udp)",
                   &Config::rtc_turn_urls),
      string_setting("rtc_turn_secret", "coturn's static-auth-secret (use-auth-secret): signs the members' TURN "
                     "credentials; empty: no TURN credentials", &Config::rtc_turn_secret, nullptr, true),
      int_setting("rtc_turn_ttl_s", "How long a TURN credential stays valid, in seconds", &Config::rtc_turn_ttl_s, 60,
                  7 * 86400),
      int_setting("rtc_mesh_max", "Members of a voice chat connected as a mesh; beyond it the SFU (janus_url), "
                  "or the join is refused", &Config::rtc_mesh_max, 2, 50),
      int_setting("rtc_max_sharers", "Members of a party sharing a screen at once", &Config::rtc_max_sharers, 1, 16),
      int_setting("rtc_signal_limit", "Signaling messages (rtc_offer, rtc_answer, rtc_ice) a member may send per "
                  "rtc_signal_window_s (all nodes)", &Config::rtc_signal_limit, 1, 100000),
      int_setting("rtc_signal_window_s", "Window of rtc_signal_limit, in seconds", &Config::rtc_signal_window_s, 1,
                  3600),
      int_setting("rtc_signal_max_bytes", "Largest sdp or candidate of one signaling message, in bytes",
                  &Config::rtc_signal_max_bytes, 256, 60 * 1024),
      // ---- end voice chat and screen share
      // ---- moderation (#19)
      string_setting("moderation_words", "Word list of the content filter, comma-separated (matched on normalized "
                     "text: case, accents, repeated letters, leetspeak)", &Config::moderation_words),
      string_setting("moderation_word_file", "A file of more word-list entries, one per line (# comments)",
                     &Config::moderation_word_file),
      string_setting("moderation_word_action", "What a word-list match does: flag (posted, flagged for staff) or "
                     "block (refused with a 400)", &Config::moderation_word_action, one_of({"flag", "block"})),
      int_setting("moderation_rate_limit", "The same text posted this many times in a minute by one user raises "
                  "a flag (0: off)", &Config::moderation_rate_limit, 0, 100000),
      // ---- end moderation
      // ---- admin (#19)
      int_setting("admin_heartbeat_s", "How often a node writes its health for the others (Redis), in seconds",
                  &Config::admin_heartbeat_s, 1, 50),
      int_setting("admin_metrics_interval_s", "How often a node keeps a snapshot of its metrics, in seconds",
                  &Config::admin_metrics_interval_s, 1, 3600),
      int_setting("admin_metrics_retention_days", "Metric snapshots older than this are deleted",
                  &Config::admin_metrics_retention_days, 1, 3650),
      int_setting("admin_log_retention_days", "System log entries older than this are deleted",
                  &Config::admin_log_retention_days, 1, 3650),
      int_setting("admin_error_retention_days", "Error groups not seen for this long, and occurrences older, are "
                  "deleted", &Config::admin_error_retention_days, 1, 3650),
      int_setting("admin_export_batch", "Users read per page of a users export", &Config::admin_export_batch, 10,
                  10000),
      // ---- end admin
      // ---- search (#22)
      int_setting("search_log_retention_days", "Logged searches (and the results they showed) are deleted after this "
                  "many days", &Config::search_log_retention_days, 1, 3650),
      // ---- end search
      // ---- janus (#17)
      string_setting("janus_url", "Janus API URL (HTTP transport); calls beyond rtc_mesh_max use this SFU (empty: none)",
                     &Config::janus_url, check_optional_http_url),
      string_setting("janus_admin_url", "Janus admin API URL, for its token auth (required with janus_url)",
                     &Config::janus_admin_url, check_optional_http_url),
      string_setting("janus_admin_secret", "Janus admin_secret (required with janus_url); also derives the rooms' "
                     "secrets, so every node must have the same", &Config::janus_admin_secret, nullptr, true),
      string_setting("janus_api_secret", "Janus api_secret, sent with the server's own requests", &Config::janus_api_secret,
                     nullptr, true),
      string_setting("janus_public_url", "The Janus API as browsers reach it, sent to members with their token "
                     "(e.g. https://watch.example.com/janus behind the reverse proxy; empty: janus_url)",
                     &Config::janus_public_url, check_optional_http_url),
      int_setting("janus_keepalive_s", "Seconds between keepalives of the server's Janus session (Janus forgets it "
                  "after its session_timeout, 60 s by default); a session made again means Janus restarted, and "
                  "the calls' rooms are checked", &Config::janus_keepalive_s, 1, 50),
      int_setting("janus_mute_check_s", "Seconds between checks that every server-muted member of a call through "
                  "Janus is muted in its mix (Janus lets a member unmute themselves; they are muted again)",
                  &Config::janus_mute_check_s, 1, 300),
      // ---- end janus
      // ---- billing (#18)
      string_setting("billing_file", "TOML file of the plans, coin packs, seller and tax rates (docs/operations.md, "
                     "\"Billing\"); empty: the built-in free and premium plans", &Config::billing_file),
      string_setting("stripe_api_url", "Base URL of the payment provider's API (Stripe's protocol)",
                     &Config::stripe_api_url, check_optional_http_url),
      string_setting("stripe_secret_key", "The provider's secret API key (empty: checkout and portal answer 503)",
                     &Config::stripe_secret_key, nullptr, true),
      string_setting("stripe_webhook_secret", "The webhook endpoint's signing secret (whsec_...; empty: every "
                     "webhook is refused)", &Config::stripe_webhook_secret, nullptr, true),
      int_setting("stripe_webhook_tolerance_s", "Oldest Stripe-Signature timestamp a webhook may carry, in seconds",
                  &Config::stripe_webhook_tolerance_s, 1, 86400),
      int_setting("billing_grace_period_s", "A subscription whose payment failed keeps its plan this long, in "
                  "seconds; then its user has the free plan's limits", &Config::billing_grace_period_s, 0,
                  90 * 86400),
      // ---- end billing
      // ---- analytics (#20)
      int_setting("analytics_event_data_max_bytes", "Largest event_data of an ingested event (as JSON), in bytes",
                  &Config::analytics_event_data_max_bytes, 2, 1024 * 1024),
      bool_setting("analytics_truncate_ip", "Keep only a.b.c.0 (IPv4) or the /48 (IPv6) of an event's client address",
                   &Config::analytics_truncate_ip),
      int_setting("analytics_anonymous_limit", "Event batches per minute an address may send without a login",
                  &Config::analytics_anonymous_limit, 1, 1000000),
      int_setting("analytics_retention_days", "Analytics events older than this are dropped (PostgreSQL: whole "
                  "monthly partitions; SQLite: rows)", &Config::analytics_retention_days, 1, 36500),
      int_setting("analytics_partitions_ahead", "Monthly partitions of analytics_events made ahead of the current "
                  "one (PostgreSQL)", &Config::analytics_partitions_ahead, 1, 24),
      int_setting("analytics_queue_capacity", "Server events waiting to be written; more are dropped and counted",
                  &Config::analytics_queue_capacity, 1, 10000000),
      int_setting("analytics_flush_ms", "How often queued server events are written, in milliseconds",
                  &Config::analytics_flush_ms, 10, 3600000),
      int_setting("analytics_rollup_interval_s", "How often the rollups are brought up to date, in seconds",
                  &Config::analytics_rollup_interval_s, 1, 86400),
      int_setting("analytics_rollup_late_window_s", "How far behind its watermark a rollup recounts, so that events "
                  "written late are counted (once), in seconds", &Config::analytics_rollup_late_window_s, 0, 7 * 86400),
      string_setting("analytics_database_url", "A PostgreSQL streaming replica for the analytics reads (rollups, the "
                     "read endpoints, exports); writes stay on database_url. Empty: database_url",
                     &Config::analytics_database_url, check_analytics_database_url, true),
      // ---- end analytics
      // ---- mobile (#21)
      int_setting("mobile_sync_page_size", "Changes per delta-sync page when the app names no page_size",
                  &Config::mobile_sync_page_size, 1, 10000),
      int_setting("mobile_sync_max_page_size", "The largest page_size an app may ask for in a delta sync",
                  &Config::mobile_sync_max_page_size, 1, 10000),
      int_setting("mobile_syncs_per_minute", "Delta syncs started per minute per user (429 beyond; the pages of a running sync do not count)",
                  &Config::mobile_syncs_per_minute, 1, 100000),
      int_setting("mobile_sync_max_push", "Offline changes per pushed batch", &Config::mobile_sync_max_push, 1, 100000),
      list_setting("mobile_min_versions", "Comma-separated platform=version: the oldest app that may run (older: "
                   "force_update)", &Config::mobile_min_versions),
      list_setting("mobile_latest_versions", "Comma-separated platform=version: the newest app released",
                   &Config::mobile_latest_versions),
      list_setting("mobile_flags", "Comma-separated app feature flags: name, name:percent, or "
                   "name:percent:plan|plan (rolled out to that share of users, stable per user)", &Config::mobile_flags),
      string_setting("mobile_api_base_url", "The API base URL the app is told (empty: public_url + /api/)",
                     &Config::mobile_api_base_url),
      string_setting("mobile_maintenance_message", "A maintenance message the app shows (empty: none)",
                     &Config::mobile_maintenance_message),
      int_setting("mobile_config_max_age_s", "Cache-Control max-age of GET /api/mobile/config/, in seconds",
                  &Config::mobile_config_max_age_s, 0, 86400),
      int_setting("mobile_crash_anonymous_limit", "Crash reports per minute one address may send without a login",
                  &Config::mobile_crash_anonymous_limit, 1, 100000),
      int_setting("mobile_crash_max_stack_bytes", "The longest stack trace a crash report may carry, in bytes",
                  &Config::mobile_crash_max_stack_bytes, 1024, 1024 * 1024),
      // ---- end mobile
  };
  return all;
}

std::string env_name(const Setting& s) {
  std::string out = "WATCHPARTY_";
  for (char ch : s.name) out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
  return out;
}

std::string flag_name(const Setting& s) {
  std::string out = "--";
  for (char ch : s.name) out.push_back(ch == '_' ? '-' : ch);
  return out;
}

Config load_config(const ConfigSources& sources) {
  Config c;
  auto getenv = sources.getenv ? sources.getenv : [](const char* n) -> const char* { return std::getenv(n); };

  if (sources.file) {
    toml::table table;
    try {
      table = toml::parse_file(*sources.file);
    } catch (const toml::parse_error& e) {
      std::ostringstream msg;
      msg << "config file " << *sources.file << ": " << e.description() << " at line "
          << e.source().begin.line;
      throw ConfigError(msg.str());
    }
    for (auto& [key, node] : table) {
      // A copy, not the binding: clang before 16 cannot capture a structured binding (the fuzz build's clang-14).
      std::string name(key.str());
      auto it = std::find_if(settings().begin(), settings().end(), [&](const Setting& s) { return s.name == name; });
      if (it == settings().end())
        throw ConfigError("config file " + *sources.file + ": unknown setting '" + name + "'");
      std::string value;
      try {
        value = toml_value_as_string(node);
      } catch (const std::invalid_argument& e) {
        throw ConfigError("setting '" + it->name + "' (from " + *sources.file + ") " + e.what());
      }
      apply(c, *it, value, *sources.file);
    }
  }
  for (auto& s : settings()) {
    auto name = env_name(s);
    if (const char* v = getenv(name.c_str())) apply(c, s, v, name);
  }
  for (auto& s : settings()) {
    if (auto it = sources.flags.find(s.name); it != sources.flags.end()) apply(c, s, it->second, flag_name(s));
  }
  return c;
}

}  // namespace wp

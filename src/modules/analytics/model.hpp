#pragma once
// Analytics events as stored (analytics_events), the client vocabulary of
// event types, and the settings of ingestion and retention.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/enum_names.hpp"

namespace wp::analytics {

// What a client may send as event_type. Versioned: a type is only ever added
// (with kEventTypesVersion bumped and its line in docs/api.md), never renamed
// or removed, so old clients keep working.
inline constexpr int kEventTypesVersion = 1;
enum class EventType {
  page_view,
  video_play,
  video_pause,
  video_seek,
  video_progress,
  video_complete,
  video_quality,
  party_join,
  party_leave,
  chat_message,
  reaction,
  search,
  click,
  share,
  client_error,
};

// Where an event came from: a client through the API, or a module (wp::DomainEvents).
enum class Source { client, server };

struct EventRow {
  std::string id;
  std::string event_type;  // an EventType for clients; the domain event's type ("party.joined") for the server
  std::string event_name;
  std::string event_data = "{}";  // a JSON object
  Source source = Source::client;
  std::string session_id;
  std::optional<std::string> user_id, video_id, party_id;
  std::int64_t amount = 1;
  std::optional<std::int64_t> client_timestamp;
  std::int64_t timestamp = 0;  // the server's, ms
  std::string ip_address;
  std::string user_agent;
};

// What the server adds to each event of a batch.
struct Origin {
  std::optional<std::string> user_id;
  std::string ip_address;  // after trusted proxies, truncated when the setting says so
  std::string user_agent;
  std::int64_t now = 0;
};

// One event of a batch refused, by its index in the batch.
struct Reject {
  std::size_t index = 0;
  std::vector<std::pair<std::string, std::string>> errors;  // field, message
};

struct Batch {
  std::vector<EventRow> rows;
  std::vector<Reject> rejects;
};

// One bucket of a rollup, as read back (analytics_*_rollups).
struct VideoBucket {
  std::string video_id;
  std::int64_t bucket_start = 0;
  std::int64_t views = 0, unique_viewers = 0, watch_time = 0, party_watch_time = 0, likes = 0, comments = 0;
};
struct PartyBucket {
  std::string party_id;
  std::int64_t bucket_start = 0;
  std::int64_t members = 0, joins = 0, leaves = 0, messages = 0, reactions = 0, polls = 0, watch_time = 0;
  std::int64_t drift_reports = 0, drift_abs_ms_sum = 0, drift_abs_ms_max = 0;
  // Presence (presence.hpp): the average present is member_ms / live_ms.
  std::int64_t peak_concurrent = 0, member_ms = 0, live_ms = 0, present_at_end = 0;
};
// A party's presence over its life, as stored (analytics_party_presence).
struct PartySummary {
  std::int64_t started_at = 0, ended_at = 0;
  std::int64_t members = 0, peak = 0, member_ms = 0, live_ms = 0, present_now = 0, left_early = 0;
  std::int64_t slot_ms = 60'000;
  std::string curve_json = "[]";  // the most present in each slot from started_at
};
struct UserBucket {
  std::string user_id;
  std::int64_t bucket_start = 0;
  std::int64_t events = 0, watch_time = 0, parties_hosted = 0, parties_joined = 0, social = 0;
};
// A count per bucket (daily active users).
struct CountBucket {
  std::int64_t bucket_start = 0;
  std::int64_t count = 0;
};

struct Settings {
  std::size_t max_batch = 500;
  std::size_t max_event_data_bytes = 4096;
  bool truncate_ip = false;
  int anonymous_limit = 120;  // batches per IP per minute without a login
  int retention_days = 395;
  int partitions_ahead = 2;   // months after the current one (PostgreSQL)
  std::size_t queue_capacity = 10000;
  std::size_t write_batch = 500;
  std::int64_t late_window_ms = 3'600'000;  // rollups recount this far behind their watermark
};

}  // namespace wp::analytics

WP_ENUM_NAMES(wp::analytics::EventType, {wp::analytics::EventType::page_view, "page_view"},
              {wp::analytics::EventType::video_play, "video_play"},
              {wp::analytics::EventType::video_pause, "video_pause"},
              {wp::analytics::EventType::video_seek, "video_seek"},
              {wp::analytics::EventType::video_progress, "video_progress"},
              {wp::analytics::EventType::video_complete, "video_complete"},
              {wp::analytics::EventType::video_quality, "video_quality"},
              {wp::analytics::EventType::party_join, "party_join"},
              {wp::analytics::EventType::party_leave, "party_leave"},
              {wp::analytics::EventType::chat_message, "chat_message"},
              {wp::analytics::EventType::reaction, "reaction"}, {wp::analytics::EventType::search, "search"},
              {wp::analytics::EventType::click, "click"}, {wp::analytics::EventType::share, "share"},
              {wp::analytics::EventType::client_error, "client_error"});
WP_ENUM_NAMES(wp::analytics::Source, {wp::analytics::Source::client, "client"},
              {wp::analytics::Source::server, "server"});

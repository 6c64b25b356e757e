-- Analytics (#20): raw events (from clients through the API and from the
-- modules through wp::DomainEvents), the indexes the ERD names, and
-- WatchTime as one row per viewing context (party_key: the party, or '').
CREATE TABLE analytics_events (
  id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  event_name TEXT NOT NULL,
  event_data TEXT NOT NULL DEFAULT '{}',
  source TEXT NOT NULL,                     -- client | server
  session_id TEXT NOT NULL DEFAULT '',
  user_id TEXT,                             -- no foreign key: events outlive nothing and are written in bulk
  video_id TEXT,
  party_id TEXT,
  amount BIGINT NOT NULL DEFAULT 1,         -- seconds for watch.progress, else 1
  client_timestamp BIGINT,
  timestamp BIGINT NOT NULL,                -- the server's
  ip_address TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (id, timestamp)
);
CREATE INDEX idx_analytics_events_user ON analytics_events(user_id, timestamp);
CREATE INDEX idx_analytics_events_type ON analytics_events(event_type);
CREATE INDEX idx_analytics_events_time ON analytics_events(timestamp);

CREATE INDEX idx_videos_status ON videos(status);
CREATE INDEX idx_videos_category ON videos(category);

-- WatchTime: a viewing inside a party and one outside are two rows.
CREATE TABLE watch_times_by_context (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  video_id TEXT NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
  party_id TEXT,
  party_key TEXT NOT NULL DEFAULT '',
  total_watch_time BIGINT NOT NULL DEFAULT 0,
  last_position REAL NOT NULL DEFAULT 0,
  completion_percentage REAL NOT NULL DEFAULT 0,
  average_quality TEXT NOT NULL DEFAULT '',
  buffering_events BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (user_id, video_id, party_key)
);
INSERT INTO watch_times_by_context (id, user_id, video_id, party_id, party_key, total_watch_time, last_position,
  completion_percentage, average_quality, buffering_events, created_at, updated_at)
  SELECT id, user_id, video_id, party_id, COALESCE(party_id, ''), total_watch_time, last_position,
  completion_percentage, average_quality, buffering_events, created_at, updated_at FROM watch_times;
DROP TABLE watch_times;
ALTER TABLE watch_times_by_context RENAME TO watch_times;
CREATE INDEX idx_watch_times_user ON watch_times(user_id, updated_at);

-- Rollups, recomputed by bucket from analytics_events by the rollup worker
-- (granularity 'hour' or 'day'; bucket_start in ms, UTC).
CREATE TABLE analytics_rollup_state (
  name TEXT PRIMARY KEY,
  watermark BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE analytics_video_rollups (
  video_id TEXT NOT NULL,
  granularity TEXT NOT NULL,
  bucket_start BIGINT NOT NULL,
  views BIGINT NOT NULL DEFAULT 0,
  unique_viewers BIGINT NOT NULL DEFAULT 0,
  watch_time BIGINT NOT NULL DEFAULT 0,
  party_watch_time BIGINT NOT NULL DEFAULT 0,
  likes BIGINT NOT NULL DEFAULT 0,
  comments BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (video_id, granularity, bucket_start)
);
CREATE INDEX idx_analytics_video_rollups_bucket ON analytics_video_rollups(granularity, bucket_start);
CREATE TABLE analytics_party_rollups (
  party_id TEXT NOT NULL,
  granularity TEXT NOT NULL,
  bucket_start BIGINT NOT NULL,
  members BIGINT NOT NULL DEFAULT 0,
  joins BIGINT NOT NULL DEFAULT 0,
  leaves BIGINT NOT NULL DEFAULT 0,
  messages BIGINT NOT NULL DEFAULT 0,
  reactions BIGINT NOT NULL DEFAULT 0,
  polls BIGINT NOT NULL DEFAULT 0,
  watch_time BIGINT NOT NULL DEFAULT 0,
  drift_reports BIGINT NOT NULL DEFAULT 0,
  drift_abs_ms_sum BIGINT NOT NULL DEFAULT 0,
  drift_abs_ms_max BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (party_id, granularity, bucket_start)
);
CREATE INDEX idx_analytics_party_rollups_bucket ON analytics_party_rollups(granularity, bucket_start);
CREATE TABLE analytics_user_rollups (
  user_id TEXT NOT NULL,
  granularity TEXT NOT NULL,
  bucket_start BIGINT NOT NULL,
  events BIGINT NOT NULL DEFAULT 0,
  watch_time BIGINT NOT NULL DEFAULT 0,
  parties_hosted BIGINT NOT NULL DEFAULT 0,
  parties_joined BIGINT NOT NULL DEFAULT 0,
  social BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, granularity, bucket_start)
);
CREATE INDEX idx_analytics_user_rollups_bucket ON analytics_user_rollups(granularity, bucket_start);

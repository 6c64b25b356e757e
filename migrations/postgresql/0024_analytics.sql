-- Analytics (#20): raw events (from clients through the API and from the
-- modules through wp::DomainEvents), the indexes the ERD names, and
-- WatchTime as one row per viewing context (party_key: the party, or '').
-- analytics_events is partitioned by month of `timestamp` (ms); the
-- partitions (analytics_events_pYYYYMM) are made ahead and dropped after the
-- retention by the analytics maintenance (at start and hourly).
CREATE TABLE analytics_events (
  id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  event_name TEXT NOT NULL,
  event_data JSONB NOT NULL DEFAULT '{}',
  source TEXT NOT NULL,
  session_id TEXT NOT NULL DEFAULT '',
  user_id TEXT,
  video_id TEXT,
  party_id TEXT,
  amount BIGINT NOT NULL DEFAULT 1,
  client_timestamp BIGINT,
  timestamp BIGINT NOT NULL,
  ip_address TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (id, timestamp)
) PARTITION BY RANGE (timestamp);
CREATE INDEX idx_analytics_events_user ON analytics_events(user_id, timestamp);
CREATE INDEX idx_analytics_events_type ON analytics_events(event_type);
CREATE INDEX idx_analytics_events_time ON analytics_events(timestamp);

CREATE INDEX idx_videos_status ON videos(status);
CREATE INDEX idx_videos_category ON videos(category);

-- WatchTime: a viewing inside a party and one outside are two rows.
ALTER TABLE watch_times ADD COLUMN party_key TEXT NOT NULL DEFAULT '';
UPDATE watch_times SET party_key = COALESCE(party_id, '');
ALTER TABLE watch_times DROP CONSTRAINT watch_times_user_id_video_id_key;
ALTER TABLE watch_times ADD CONSTRAINT watch_times_user_video_context_key UNIQUE (user_id, video_id, party_key);
CREATE INDEX idx_watch_times_user ON watch_times(user_id, updated_at);

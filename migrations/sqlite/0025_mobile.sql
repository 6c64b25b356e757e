-- Mobile (#21): devices (MobileDevice), the delta-sync change log with its
-- sequence, offline-push batches, syncs (MobileSyncData), crash reports
-- grouped by signature (MobileAppCrash) and app sessions (MobileAnalytics).
CREATE TABLE mobile_devices (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  device_id TEXT NOT NULL,                -- the app's install id, unique per user
  name TEXT NOT NULL DEFAULT '',
  platform TEXT NOT NULL CHECK (platform IN ('ios', 'android', 'web')),
  model TEXT NOT NULL DEFAULT '',
  os_version TEXT NOT NULL DEFAULT '',
  app_version TEXT NOT NULL DEFAULT '',
  push_token TEXT,                        -- NULL once revoked or handed over
  push_enabled INTEGER NOT NULL DEFAULT 1,
  settings TEXT NOT NULL DEFAULT '{}',
  disabled INTEGER NOT NULL DEFAULT 0,
  session_id TEXT NOT NULL DEFAULT '',    -- the session that last registered it
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  last_active BIGINT NOT NULL,
  UNIQUE (user_id, device_id)
);
CREATE INDEX idx_mobile_device_token ON mobile_devices(push_token);

-- One row per synced record: the sequence of its last change (upsert or
-- tombstone) and its payload. The counter is bumped in the writing transaction.
CREATE TABLE mobile_change_counter (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  value BIGINT NOT NULL
);
INSERT INTO mobile_change_counter (id, value) VALUES (1, 0);
CREATE TABLE mobile_changes (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  data_type TEXT NOT NULL,
  record_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  payload TEXT NOT NULL DEFAULT '{}',
  changed_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, data_type, record_id)
);
CREATE INDEX idx_mobile_changes_seq ON mobile_changes(user_id, data_type, seq);

CREATE TABLE mobile_sync_batches (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  batch_id TEXT NOT NULL,
  result TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, batch_id)
);

CREATE TABLE mobile_sync_data (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  device_id TEXT NOT NULL REFERENCES mobile_devices(id) ON DELETE CASCADE,
  sync_type TEXT NOT NULL CHECK (sync_type IN ('full', 'delta', 'push')),
  status TEXT NOT NULL CHECK (status IN ('in_progress', 'completed', 'failed')),
  data_types TEXT NOT NULL DEFAULT '[]',
  size_bytes BIGINT NOT NULL DEFAULT 0,
  records_count BIGINT NOT NULL DEFAULT 0,
  pages INTEGER NOT NULL DEFAULT 0,
  last_request TEXT NOT NULL DEFAULT '',  -- digest of the last cursors asked for: the same again is a retry
  started_at BIGINT NOT NULL,
  completed_at BIGINT,
  duration_ms BIGINT,
  error TEXT NOT NULL DEFAULT '',
  retry_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idx_mobile_sync_user ON mobile_sync_data(user_id, started_at);

CREATE TABLE mobile_crash_groups (
  id TEXT PRIMARY KEY,
  signature TEXT NOT NULL UNIQUE,
  platform TEXT NOT NULL,
  title TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'fixed', 'regressed')),
  fixed_in_version TEXT,
  count BIGINT NOT NULL DEFAULT 0,
  first_seen BIGINT NOT NULL,
  last_seen BIGINT NOT NULL
);
CREATE TABLE mobile_crash_versions (
  group_id TEXT NOT NULL REFERENCES mobile_crash_groups(id) ON DELETE CASCADE,
  app_version TEXT NOT NULL,
  count BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (group_id, app_version)
);
CREATE TABLE mobile_crashes (
  id TEXT PRIMARY KEY,
  group_id TEXT NOT NULL REFERENCES mobile_crash_groups(id) ON DELETE CASCADE,
  user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  platform TEXT NOT NULL,
  app_version TEXT NOT NULL,
  os_version TEXT NOT NULL DEFAULT '',
  device_model TEXT NOT NULL DEFAULT '',
  stack_trace TEXT NOT NULL,
  breadcrumbs TEXT NOT NULL DEFAULT '[]',
  occurred_at BIGINT NOT NULL,
  received_at BIGINT NOT NULL
);
CREATE INDEX idx_mobile_crash_group ON mobile_crashes(group_id, received_at);

CREATE TABLE mobile_sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  device_id TEXT NOT NULL,
  platform TEXT NOT NULL,
  app_version TEXT NOT NULL DEFAULT '',
  network_type TEXT NOT NULL DEFAULT '',
  started_at BIGINT NOT NULL,
  ended_at BIGINT,
  screen_views INTEGER NOT NULL DEFAULT 0,
  crashed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idx_mobile_sessions_time ON mobile_sessions(started_at, platform);

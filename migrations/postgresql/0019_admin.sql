-- Admin (#19): the audit trail, 500s grouped by signature, snapshots of the
-- metrics, and staff broadcasts with what each node delivered.
CREATE TABLE system_logs (
  id TEXT PRIMARY KEY,
  level TEXT NOT NULL,
  category TEXT NOT NULL,
  message TEXT NOT NULL,
  context JSONB NOT NULL DEFAULT '{}',
  user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX idx_system_logs_created ON system_logs(created_at);
CREATE INDEX idx_system_logs_category ON system_logs(category, created_at);

-- One row per signature (method, route, the message without ids and numbers).
CREATE TABLE error_logs (
  signature TEXT PRIMARY KEY,
  method TEXT NOT NULL,
  route TEXT NOT NULL,
  message TEXT NOT NULL,
  count BIGINT NOT NULL DEFAULT 0,
  first_seen BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  last_request_id TEXT NOT NULL DEFAULT '',
  last_user_id TEXT
);
CREATE INDEX idx_error_logs_last_seen ON error_logs(last_seen);

-- Every 500, kept for the retention: its request id finds its log lines.
CREATE TABLE error_occurrences (
  id TEXT PRIMARY KEY,
  signature TEXT NOT NULL REFERENCES error_logs(signature) ON DELETE CASCADE,
  request_id TEXT NOT NULL,
  user_id TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX idx_error_occurrences_signature ON error_occurrences(signature, created_at);
CREATE INDEX idx_error_occurrences_created ON error_occurrences(created_at);

CREATE TABLE performance_metrics (
  node_id TEXT NOT NULL,
  name TEXT NOT NULL,
  label TEXT NOT NULL DEFAULT '',
  value DOUBLE PRECISION NOT NULL,
  taken_at BIGINT NOT NULL
);
CREATE INDEX idx_performance_metrics_series ON performance_metrics(name, taken_at);
CREATE INDEX idx_performance_metrics_taken ON performance_metrics(taken_at);

CREATE TABLE admin_broadcasts (
  id TEXT PRIMARY KEY,
  created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  message TEXT NOT NULL,
  severity TEXT NOT NULL,
  audience TEXT NOT NULL,
  expires_at BIGINT,
  notification_broadcast_id TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX idx_admin_broadcasts_created ON admin_broadcasts(created_at);

CREATE TABLE admin_broadcast_deliveries (
  broadcast_id TEXT NOT NULL REFERENCES admin_broadcasts(id) ON DELETE CASCADE,
  node_id TEXT NOT NULL,
  sockets INTEGER NOT NULL,
  delivered_at BIGINT NOT NULL,
  PRIMARY KEY (broadcast_id, node_id)
);

-- A staff broadcast may notify the staff only: the notifications module's
-- broadcasts take that audience too.
ALTER TABLE notification_broadcasts DROP CONSTRAINT IF EXISTS notification_broadcasts_audience_check;
ALTER TABLE notification_broadcasts ADD CONSTRAINT notification_broadcasts_audience_check
  CHECK (audience IN ('all', 'followers', 'staff'));

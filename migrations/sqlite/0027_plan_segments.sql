-- Broadcasts to the users of one billing plan (#19): the staff broadcast and
-- the notifications module's fan-out name the plan (SQLite cannot change a
-- CHECK in place, so the notifications table is built again).
ALTER TABLE admin_broadcasts ADD COLUMN plan_id TEXT;

CREATE TABLE notification_broadcasts_0027 (
  id TEXT PRIMARY KEY,
  created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  audience TEXT NOT NULL CHECK (audience IN ('all', 'followers', 'staff', 'plan')),
  subject_user_id TEXT,
  plan_id TEXT,
  title TEXT NOT NULL,
  message TEXT NOT NULL,
  url TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  recipients BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  started_at BIGINT,
  finished_at BIGINT
);
INSERT INTO notification_broadcasts_0027 (id, created_by, audience, subject_user_id, title, message, url, status,
  recipients, created_at, started_at, finished_at)
  SELECT id, created_by, audience, subject_user_id, title, message, url, status, recipients, created_at, started_at,
  finished_at FROM notification_broadcasts;
DROP TABLE notification_broadcasts;
ALTER TABLE notification_broadcasts_0027 RENAME TO notification_broadcasts;

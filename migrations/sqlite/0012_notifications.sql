-- Notifications (issue #15): the in-app rows, preferences, the email outbox
-- and its digest, admin broadcasts. Push has its own tables (0013).

-- One row per notice, or per group of repeated notices (group_count).
-- group_slot holds the group key while the row still takes repeats (inside
-- the window, unread); the unique index makes two concurrent repeats meet on
-- one row. NULL slots never conflict.
CREATE TABLE notifications (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  notification_type TEXT NOT NULL,
  title TEXT NOT NULL,
  message TEXT NOT NULL,
  data TEXT NOT NULL DEFAULT '{}',
  group_key TEXT NOT NULL DEFAULT '',
  group_slot TEXT,
  group_count INTEGER NOT NULL DEFAULT 1,
  actor_id TEXT,
  is_read INTEGER NOT NULL DEFAULT 0,
  read_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_notifications_user ON notifications(user_id, updated_at);
CREATE INDEX idx_notifications_unread ON notifications(user_id, is_read);
CREATE INDEX idx_notifications_created ON notifications(created_at);
CREATE UNIQUE INDEX idx_notifications_group ON notifications(user_id, notification_type, group_slot);

-- Bumped in every transaction that changes a user's notifications, before
-- the unread count is read: the live unread_count events carry it, so a
-- client keeps the count of the highest version.
CREATE TABLE notification_counters (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  version BIGINT NOT NULL
);

-- Only what differs from the type's defaults is stored.
CREATE TABLE notification_preferences (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  notification_type TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('in_app', 'email', 'push')),
  enabled INTEGER NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, notification_type, channel)
);

-- Quiet hours are minutes of the day in the user's profile timezone.
CREATE TABLE notification_settings (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  muted INTEGER NOT NULL DEFAULT 0,
  digest_mode TEXT NOT NULL DEFAULT 'immediate' CHECK (digest_mode IN ('immediate', 'daily', 'off')),
  quiet_start INTEGER,
  quiet_end INTEGER,
  updated_at BIGINT NOT NULL
);

-- The email outbox: one row per mail, sent by the worker under a lease.
CREATE TABLE email_notifications (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  notification_id TEXT,
  notification_type TEXT NOT NULL,
  to_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  body_text TEXT NOT NULL,
  body_html TEXT NOT NULL,
  unsubscribe_url TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  locked_by TEXT,
  locked_at BIGINT,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  sent_at BIGINT
);
CREATE INDEX idx_email_due ON email_notifications(status, next_attempt_at);
CREATE INDEX idx_email_user ON email_notifications(user_id, created_at);

-- Mails waiting for a user's digest (daily mode, or quiet hours).
CREATE TABLE notification_digest_items (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  notification_type TEXT NOT NULL,
  title TEXT NOT NULL,
  message TEXT NOT NULL,
  url TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL
);
CREATE INDEX idx_digest_due ON notification_digest_items(due_at);
CREATE INDEX idx_digest_user ON notification_digest_items(user_id, created_at);

-- Admin broadcasts: the request records one, the fan-out runs in the background.
CREATE TABLE notification_broadcasts (
  id TEXT PRIMARY KEY,
  created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  audience TEXT NOT NULL CHECK (audience IN ('all', 'followers')),
  subject_user_id TEXT,
  title TEXT NOT NULL,
  message TEXT NOT NULL,
  url TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  recipients BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  started_at BIGINT,
  finished_at BIGINT
);

-- Scans of the worker that must run once across workers (party starts): the
-- next scan starts where the last one ended, advanced by compare-and-set.
CREATE TABLE notification_cursors (
  name TEXT PRIMARY KEY,
  position BIGINT NOT NULL
);

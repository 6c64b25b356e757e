-- Push (issue #15): Web Push subscriptions, FCM device tokens, and the push
-- outbox. One push_notifications row per message and target (a browser
-- subscription or a device token) is both the outbox entry the worker
-- leases and the record of its attempts; push_attempts keeps each attempt.
CREATE TABLE push_subscriptions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  endpoint TEXT NOT NULL UNIQUE,          -- the push service URL (RFC 8030); a browser has one
  p256dh TEXT NOT NULL,                   -- base64url, the user agent's P-256 public key (RFC 8291)
  auth TEXT NOT NULL,                     -- base64url, its 16-byte authentication secret
  user_agent TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  last_used_at BIGINT
);
CREATE INDEX idx_push_subscription_user ON push_subscriptions(user_id);

-- FCM registration tokens registered here until the mobile issue's
-- MobileDevice takes them over (kept small so it can be folded in).
CREATE TABLE push_device_tokens (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token TEXT NOT NULL UNIQUE,
  platform TEXT NOT NULL CHECK (platform IN ('android', 'ios', 'web')),
  created_at BIGINT NOT NULL,
  last_used_at BIGINT
);
CREATE INDEX idx_push_device_user ON push_device_tokens(user_id);

CREATE TABLE push_notifications (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  channel TEXT NOT NULL CHECK (channel IN ('web', 'fcm')),
  subscription_id TEXT REFERENCES push_subscriptions(id) ON DELETE SET NULL,
  device_id TEXT REFERENCES push_device_tokens(id) ON DELETE SET NULL,
  notification_id TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '{}',
  ttl_s INTEGER NOT NULL,
  urgency TEXT NOT NULL CHECK (urgency IN ('very-low', 'low', 'normal', 'high')),
  status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,             -- when it was due plus its TTL: not sent after
  locked_by TEXT,                         -- a worker's lease: claimed (queued) or in flight (sending)
  locked_at BIGINT,
  http_status INTEGER,
  error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  sent_at BIGINT
);
CREATE INDEX idx_push_due ON push_notifications(status, next_attempt_at);
CREATE INDEX idx_push_user ON push_notifications(user_id, created_at);

CREATE TABLE push_attempts (
  id TEXT PRIMARY KEY,
  push_id TEXT NOT NULL REFERENCES push_notifications(id) ON DELETE CASCADE,
  attempt INTEGER NOT NULL,
  worker TEXT NOT NULL,
  http_status INTEGER,
  error TEXT NOT NULL DEFAULT '',
  started_at BIGINT NOT NULL,
  finished_at BIGINT NOT NULL
);
CREATE INDEX idx_push_attempt_push ON push_attempts(push_id, attempt);

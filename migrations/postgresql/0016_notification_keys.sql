-- Exactly-once notices. A caller that may repeat a notice after a crash
-- (the events scheduler's reminders) gives it a key; the first notice with a
-- key is delivered, and a repeat finds the key here and is dropped. The key
-- is written in the same transaction as the in-app row.
CREATE TABLE notification_keys (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  dedupe_key TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, dedupe_key)
);
CREATE INDEX idx_notification_keys_created ON notification_keys(created_at);

-- A reminder claimed by a node that then died is free again once its lease
-- ends; sent_at is set only after the notice went out.
ALTER TABLE event_reminders ADD COLUMN lease_until BIGINT;

-- Analytics (#20), part two: a party's presence (members connected over
-- time, from party.connected / party.disconnected) per rollup bucket and per
-- party, and the signup time of every user for the cohorts.

-- Per bucket: the most members present at once, members x time present
-- (ms; the average is member_ms / live_ms), the time with anyone present, and
-- how many were present at the bucket's end.
ALTER TABLE analytics_party_rollups ADD COLUMN peak_concurrent BIGINT NOT NULL DEFAULT 0;
ALTER TABLE analytics_party_rollups ADD COLUMN member_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE analytics_party_rollups ADD COLUMN live_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE analytics_party_rollups ADD COLUMN present_at_end BIGINT NOT NULL DEFAULT 0;

-- Per party, over its whole life (recomputed by the rollup from its events).
CREATE TABLE analytics_party_presence (
  party_id TEXT PRIMARY KEY,
  started_at BIGINT NOT NULL,
  ended_at BIGINT NOT NULL,           -- the last member gone, or the rollup's time while live
  members BIGINT NOT NULL DEFAULT 0,  -- distinct members who connected
  peak_concurrent BIGINT NOT NULL DEFAULT 0,
  member_ms BIGINT NOT NULL DEFAULT 0,
  live_ms BIGINT NOT NULL DEFAULT 0,
  present_now BIGINT NOT NULL DEFAULT 0,   -- above 0: live, recomputed by every rollup
  left_early BIGINT NOT NULL DEFAULT 0,
  slot_ms BIGINT NOT NULL DEFAULT 60000,
  curve TEXT NOT NULL DEFAULT '[]',   -- JSON array: the most present in each slot from started_at
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_analytics_party_presence_present ON analytics_party_presence(present_now);

-- A party's events, read whole when its presence is recomputed.
CREATE INDEX idx_analytics_events_party ON analytics_events(party_id, timestamp);

-- Cohorts: each user's signup (from user.registered; those before analytics from users).
CREATE TABLE analytics_user_signups (
  user_id TEXT PRIMARY KEY,
  signup_at BIGINT NOT NULL
);
CREATE INDEX idx_analytics_user_signups_at ON analytics_user_signups(signup_at);
INSERT INTO analytics_user_signups (user_id, signup_at) SELECT id, date_joined FROM users;

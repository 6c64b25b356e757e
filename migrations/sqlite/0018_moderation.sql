-- Moderation (issue #19): reports on any content, the staff's actions (an
-- append-only trail), users' standing, tombstones of removed content, and
-- automatic flags. party_reports (0004) moves into content_reports.
CREATE TABLE content_reports (
  id TEXT PRIMARY KEY,
  reporter_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  content_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  owner_id TEXT,
  report_type TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'open',
  admin_notes TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  resolved_at BIGINT,
  resolved_by TEXT
);
CREATE INDEX idx_content_reports_object ON content_reports(content_type, object_id, status);
CREATE INDEX idx_content_reports_status ON content_reports(status, created_at);

-- The old reasons map onto the new report types; a user's repeated open
-- reports of one party keep the first open and the rest come over dismissed.
INSERT INTO content_reports (id, reporter_id, content_type, object_id, owner_id, report_type, description, status,
                             admin_notes, created_at, updated_at)
SELECT r.id, r.reporter_id, 'party', r.party_id, (SELECT p.host_id FROM watch_parties p WHERE p.id = r.party_id),
       CASE r.reason WHEN 'spam' THEN 'spam' WHEN 'abuse' THEN 'harassment' ELSE 'other' END,
       r.description,
       CASE WHEN r.status = 'open' AND EXISTS (
              SELECT 1 FROM party_reports o WHERE o.party_id = r.party_id AND o.reporter_id = r.reporter_id
              AND o.status = 'open' AND (o.created_at < r.created_at OR (o.created_at = r.created_at AND o.id < r.id)))
            THEN 'dismissed'
            WHEN r.status IN ('open', 'reviewing', 'actioned', 'dismissed') THEN r.status ELSE 'open' END,
       CASE WHEN r.reason = 'inappropriate' THEN 'migrated from party_reports (reason: inappropriate)'
            ELSE 'migrated from party_reports' END,
       r.created_at, r.created_at
FROM party_reports r;

DROP TABLE party_reports;

-- One open report per user per object.
CREATE UNIQUE INDEX uq_content_reports_open ON content_reports(reporter_id, content_type, object_id)
  WHERE status IN ('open', 'reviewing');

-- Written once, never updated or deleted: the audit trail.
CREATE TABLE moderation_actions (
  id TEXT PRIMARY KEY,
  action TEXT NOT NULL,
  user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  staff_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  content_type TEXT,
  object_id TEXT,
  report_id TEXT REFERENCES content_reports(id) ON DELETE SET NULL,
  reason TEXT NOT NULL,
  duration_s BIGINT,
  ends_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX idx_moderation_actions_user ON moderation_actions(user_id, created_at);
CREATE INDEX idx_moderation_actions_object ON moderation_actions(content_type, object_id);

CREATE TABLE user_standing (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  muted_until BIGINT,
  suspended_until BIGINT,
  banned INTEGER NOT NULL DEFAULT 0,
  warnings BIGINT NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL
);

CREATE TABLE content_tombstones (
  content_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  snapshot TEXT NOT NULL,
  action_id TEXT NOT NULL,
  removed_at BIGINT NOT NULL,
  PRIMARY KEY (content_type, object_id)
);

CREATE TABLE content_flags (
  id TEXT PRIMARY KEY,
  content_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  signal TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  excerpt TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'open',
  created_at BIGINT NOT NULL,
  resolved_at BIGINT
);
CREATE INDEX idx_content_flags_object ON content_flags(content_type, object_id, status);
CREATE INDEX idx_content_flags_status ON content_flags(status, created_at);

-- A video removed by moderation: hidden from everyone but staff until restored.
ALTER TABLE videos ADD COLUMN removed_at BIGINT;

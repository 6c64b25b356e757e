-- Social groups (issue #13). name_key is the lower-cased name: names are
-- unique case-insensitively. member_count counts active memberships; it
-- changes in the transaction that changes a membership row.
CREATE TABLE social_groups (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL DEFAULT '',
  is_private INTEGER NOT NULL DEFAULT 0,
  settings TEXT NOT NULL DEFAULT '{}',
  avatar TEXT NOT NULL DEFAULT '',        -- file name under <data_dir>/group_avatars, or empty
  creator_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  member_count INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_group_category ON social_groups(category);

-- One row per group and user: an active member, a pending join request, an
-- invitation, or a ban.
CREATE TABLE group_memberships (
  id TEXT PRIMARY KEY,
  group_id TEXT NOT NULL REFERENCES social_groups(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'moderator', 'member')),
  status TEXT NOT NULL CHECK (status IN ('active', 'pending', 'invited', 'banned')),
  permissions TEXT NOT NULL DEFAULT '{}',
  invited_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (group_id, user_id)
);
CREATE INDEX idx_group_membership_user ON group_memberships(user_id, status);
CREATE INDEX idx_group_membership_group ON group_memberships(group_id, status);

-- A party may be hosted by a group.
ALTER TABLE watch_parties ADD COLUMN group_id TEXT REFERENCES social_groups(id) ON DELETE SET NULL;
CREATE INDEX idx_party_group ON watch_parties(group_id);

-- The social graph (issue #13): friendships, follows and blocks.
-- One friendship row per pair whatever the direction: the pair is stored
-- ordered (user_low < user_high) under a unique index, so two requests of
-- the same pair, even crossing ones at the same instant, meet on one row.
CREATE TABLE friendships (
  id TEXT PRIMARY KEY,
  user_low TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  user_high TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  requester_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('pending', 'accepted')),
  created_at BIGINT NOT NULL,
  accepted_at BIGINT,
  CHECK (user_low < user_high)
);
CREATE UNIQUE INDEX idx_friendship_pair ON friendships(user_low, user_high);
CREATE INDEX idx_friendship_high ON friendships(user_high);

-- A follow is one-way; 'pending' awaits the approval of a private profile.
CREATE TABLE user_follows (
  id TEXT PRIMARY KEY,
  follower_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  followed_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('active', 'pending')),
  created_at BIGINT NOT NULL,
  UNIQUE (follower_id, followed_id)
);
CREATE INDEX idx_follow_followed ON user_follows(followed_id);

-- A block is one row per direction; it applies both ways.
CREATE TABLE user_blocks (
  id TEXT PRIMARY KEY,
  blocker_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  blocked_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  UNIQUE (blocker_id, blocked_id)
);
CREATE INDEX idx_block_blocked ON user_blocks(blocked_id);

-- Videos get a visibility like parties: public | private | friends (of the
-- uploader). is_public stays, true exactly when visibility is public.
ALTER TABLE videos ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public';
UPDATE videos SET visibility = CASE WHEN is_public THEN 'public' ELSE 'private' END;

-- Direct and group messaging (issue #14).
-- last_seq is the conversation's message counter: a message takes
-- last_seq + 1 in the transaction that stores it, so the numbers of one
-- conversation have no gaps and no repeats. direct_key ('<low>:<high>' of
-- the two user ids) makes a direct conversation unique per pair.
CREATE TABLE conversations (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('direct', 'group')),
  title TEXT,
  owner_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  direct_key TEXT UNIQUE,
  add_members TEXT NOT NULL DEFAULT 'owner' CHECK (add_members IN ('owner', 'members')),
  member_count INTEGER NOT NULL DEFAULT 0,
  last_seq BIGINT NOT NULL DEFAULT 0,
  last_activity_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);

-- A member: last_read_seq is the read receipt; viewing_until (ms) says the
-- member has the conversation in view until then (no notification).
CREATE TABLE conversation_members (
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('owner', 'member')),
  joined_at BIGINT NOT NULL,
  last_read_seq BIGINT NOT NULL DEFAULT 0,
  viewing_until BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX idx_conversation_member_user ON conversation_members(user_id);

-- client_id: the sender's idempotency key; a retry finds the first row.
CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  sender_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  client_id TEXT,
  message_type TEXT NOT NULL CHECK (message_type IN ('text', 'image', 'video', 'file', 'system')),
  body TEXT,
  reply_to_id TEXT,
  metadata TEXT,
  is_edited INTEGER NOT NULL DEFAULT 0,
  edited_at BIGINT,
  deleted_at BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (conversation_id, seq),
  UNIQUE (conversation_id, sender_id, client_id)
);

CREATE TABLE message_reactions (
  message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  emoji TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (message_id, user_id, emoji)
);

-- An upload waiting for its message (message_id NULL), or part of one.
CREATE TABLE message_attachments (
  id TEXT PRIMARY KEY,
  uploader_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  message_id TEXT REFERENCES messages(id) ON DELETE CASCADE,
  conversation_id TEXT REFERENCES conversations(id) ON DELETE CASCADE,
  filename TEXT NOT NULL,
  mime_type TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('image', 'video', 'file')),
  size BIGINT NOT NULL,
  has_thumbnail INTEGER NOT NULL DEFAULT 0,
  position INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX idx_attachment_message ON message_attachments(message_id);
CREATE INDEX idx_attachment_orphan ON message_attachments(created_at) WHERE message_id IS NULL;

CREATE TABLE messaging_settings (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  show_read_receipts INTEGER NOT NULL DEFAULT 1
);

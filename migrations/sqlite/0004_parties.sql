CREATE TABLE watch_parties (
  id TEXT PRIMARY KEY,
  host_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  video_id TEXT,                          -- a video of this server, or NULL with media_url
  media_url TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,                   -- scheduled | live | ended
  room_code TEXT NOT NULL UNIQUE,
  visibility TEXT NOT NULL,               -- public | unlisted | private
  max_participants INTEGER NOT NULL,
  scheduled_start BIGINT,
  actual_start BIGINT,
  ended_at BIGINT,
  settings TEXT NOT NULL DEFAULT '{}',
  playback TEXT NOT NULL DEFAULT '{}',    -- durable copy of the live playback state
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_party_host ON watch_parties(host_id);
CREATE INDEX idx_party_status ON watch_parties(status);
CREATE INDEX idx_party_scheduled_start ON watch_parties(scheduled_start);

CREATE TABLE party_participants (
  id TEXT PRIMARY KEY,
  party_id TEXT NOT NULL REFERENCES watch_parties(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL,                     -- host | moderator | participant
  is_active INTEGER NOT NULL DEFAULT 1,
  is_banned INTEGER NOT NULL DEFAULT 0,
  is_muted INTEGER NOT NULL DEFAULT 0,
  joined_at BIGINT NOT NULL,
  left_at BIGINT,
  preferences TEXT NOT NULL DEFAULT '{}',
  UNIQUE (party_id, user_id)
);
CREATE INDEX idx_participant_user ON party_participants(user_id);

CREATE TABLE party_messages (
  id TEXT PRIMARY KEY,
  party_id TEXT NOT NULL REFERENCES watch_parties(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  content TEXT NOT NULL,
  message_type TEXT NOT NULL DEFAULT 'text',
  metadata TEXT NOT NULL DEFAULT '{}',
  sent_at BIGINT NOT NULL
);
CREATE INDEX idx_party_messages ON party_messages(party_id, sent_at, id);

CREATE TABLE party_reactions (
  id TEXT PRIMARY KEY,
  party_id TEXT NOT NULL REFERENCES watch_parties(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  emoji TEXT NOT NULL,
  video_timestamp DOUBLE PRECISION NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX idx_party_reactions ON party_reactions(party_id, emoji);

CREATE TABLE party_invitations (
  id TEXT PRIMARY KEY,
  party_id TEXT NOT NULL REFERENCES watch_parties(id) ON DELETE CASCADE,
  inviter_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  invitee_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  status TEXT NOT NULL,                   -- pending | accepted | declined
  created_at BIGINT NOT NULL,
  responded_at BIGINT,
  UNIQUE (party_id, invitee_id)
);
CREATE INDEX idx_party_invitations_invitee ON party_invitations(invitee_id, status);

CREATE TABLE party_reports (
  id TEXT PRIMARY KEY,
  party_id TEXT NOT NULL REFERENCES watch_parties(id) ON DELETE CASCADE,
  reporter_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  reason TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'open',
  created_at BIGINT NOT NULL
);

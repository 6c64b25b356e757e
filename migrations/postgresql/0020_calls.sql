-- Voice chat and screen share in a party (issue #17). The server relays the
-- WebRTC signaling and decides who is in the call; media never passes
-- through it. One voice_chats row per party, made at the first join and kept:
-- every change of the call locks it by bumping `version` in its transaction
-- (so the mesh limit and the sharer limit hold across nodes), and
-- voice_state messages carry that version. opened_at is set while anybody is
-- in the call. The SFU rooms are set while the call runs beyond the mesh.
CREATE TABLE voice_chats (
  id TEXT PRIMARY KEY,
  party_id TEXT NOT NULL UNIQUE REFERENCES watch_parties(id) ON DELETE CASCADE,
  version BIGINT NOT NULL DEFAULT 0,
  member_count INTEGER NOT NULL DEFAULT 0,
  opened_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  opened_at BIGINT,
  closed_at BIGINT,
  sfu_audio_room TEXT,
  sfu_video_room TEXT,
  created_at BIGINT NOT NULL
);

-- One row per time a user was in the call; left_at NULL while they are.
-- is_server_muted is carried over to the user's next row in the same call.
CREATE TABLE voice_chat_participants (
  id TEXT PRIMARY KEY,
  voice_chat_id TEXT NOT NULL REFERENCES voice_chats(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  joined_at BIGINT NOT NULL,
  left_at BIGINT,
  left_reason TEXT,
  is_muted BOOLEAN NOT NULL DEFAULT FALSE,
  is_deafened BOOLEAN NOT NULL DEFAULT FALSE,
  is_server_muted BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE UNIQUE INDEX idx_voice_chat_participants_in_call ON voice_chat_participants(voice_chat_id, user_id)
  WHERE left_at IS NULL;
CREATE INDEX idx_voice_chat_participants_user ON voice_chat_participants(voice_chat_id, user_id, joined_at);

-- A screen share: who, what (screen, window, tab), when; ended_by is the
-- sharer, the host or a moderator who stopped it (NULL when it ended with
-- the sharer leaving the call).
CREATE TABLE screen_shares (
  id TEXT PRIMARY KEY,
  voice_chat_id TEXT NOT NULL REFERENCES voice_chats(id) ON DELETE CASCADE,
  party_id TEXT NOT NULL REFERENCES watch_parties(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  ended_at BIGINT,
  ended_by TEXT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX idx_screen_shares_party ON screen_shares(party_id, started_at);
CREATE INDEX idx_screen_shares_live ON screen_shares(voice_chat_id) WHERE ended_at IS NULL;

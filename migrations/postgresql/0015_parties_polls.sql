-- Polls in a party (issue #17). A poll is open while closed_at is NULL and
-- expires_at (if any) is in the future; the node that sets closed_at (a
-- conditional update) announces the close, so each close is told once.
-- votes_count changes in the transaction that adds or removes a vote row.
-- results_sent_at: the last live poll_results, claimed the same way (at most
-- 5 a second per poll on all nodes together).
CREATE TABLE party_polls (
  id TEXT PRIMARY KEY,
  party_id TEXT NOT NULL REFERENCES watch_parties(id) ON DELETE CASCADE,
  creator_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  question TEXT NOT NULL,
  is_multiple_choice BOOLEAN NOT NULL DEFAULT FALSE,
  is_anonymous BOOLEAN NOT NULL DEFAULT FALSE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  closed_at BIGINT,
  results_sent_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX idx_party_polls_party ON party_polls(party_id, created_at);
CREATE INDEX idx_party_polls_open_expiry ON party_polls(expires_at) WHERE closed_at IS NULL;

CREATE TABLE party_poll_options (
  id TEXT PRIMARY KEY,
  poll_id TEXT NOT NULL REFERENCES party_polls(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  votes_count INTEGER NOT NULL DEFAULT 0,
  UNIQUE (poll_id, position)
);

-- One row per voter and chosen option (one option, or several with multiple choice).
CREATE TABLE party_poll_votes (
  id TEXT PRIMARY KEY,
  poll_id TEXT NOT NULL REFERENCES party_polls(id) ON DELETE CASCADE,
  option_id TEXT NOT NULL REFERENCES party_poll_options(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  UNIQUE (option_id, user_id)
);
CREATE INDEX idx_party_poll_votes_voter ON party_poll_votes(poll_id, user_id);

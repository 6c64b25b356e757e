-- Search and recommendations (issue #22).
--
-- Full text: each searchable table gets two generated tsvector columns
-- (search_title: the name a person reads; search_body: the rest of the text)
-- with a GIN index each. The wp_search configuration is 'simple' (no
-- stemming, as SQLite's unicode61) behind the unaccent dictionary, so case
-- and accents fold the same way on both engines. The base tables belong to
-- their modules; this migration only adds the derived columns.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TEXT SEARCH CONFIGURATION wp_search (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION wp_search ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;

-- The vocabulary of "did you mean": every term ever indexed, with a trigram
-- index for similarity. Terms of deleted rows stay: a suggestion is only
-- offered when it finds something the caller may see.
CREATE TABLE search_terms (
  term TEXT PRIMARY KEY
);
CREATE INDEX idx_search_terms_trgm ON search_terms USING GIN (term gin_trgm_ops);
CREATE FUNCTION search_collect_terms() RETURNS trigger AS $fn$
BEGIN
  INSERT INTO search_terms (term)
    SELECT lexeme FROM unnest(NEW.search_title || NEW.search_body) ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$fn$ LANGUAGE plpgsql;

ALTER TABLE videos
  ADD COLUMN search_title tsvector GENERATED ALWAYS AS (to_tsvector('wp_search'::regconfig, coalesce(title, ''))) STORED,
  ADD COLUMN search_body tsvector GENERATED ALWAYS AS (to_tsvector('wp_search'::regconfig, coalesce(description, '') || ' ' || coalesce(category, ''))) STORED;
CREATE INDEX idx_videos_search_title ON videos USING GIN (search_title);
CREATE INDEX idx_videos_search_body ON videos USING GIN (search_body);
INSERT INTO search_terms (term) SELECT DISTINCT lexeme FROM videos, unnest(search_title || search_body) ON CONFLICT DO NOTHING;
CREATE TRIGGER search_videos_terms AFTER INSERT OR UPDATE OF title, description, category ON videos
  FOR EACH ROW EXECUTE FUNCTION search_collect_terms();

ALTER TABLE watch_parties
  ADD COLUMN search_title tsvector GENERATED ALWAYS AS (to_tsvector('wp_search'::regconfig, coalesce(title, ''))) STORED,
  ADD COLUMN search_body tsvector GENERATED ALWAYS AS (to_tsvector('wp_search'::regconfig, coalesce(description, ''))) STORED;
CREATE INDEX idx_parties_search_title ON watch_parties USING GIN (search_title);
CREATE INDEX idx_parties_search_body ON watch_parties USING GIN (search_body);
INSERT INTO search_terms (term) SELECT DISTINCT lexeme FROM watch_parties, unnest(search_title || search_body) ON CONFLICT DO NOTHING;
CREATE TRIGGER search_parties_terms AFTER INSERT OR UPDATE OF title, description ON watch_parties
  FOR EACH ROW EXECUTE FUNCTION search_collect_terms();

ALTER TABLE users
  ADD COLUMN search_title tsvector GENERATED ALWAYS AS (to_tsvector('wp_search'::regconfig, coalesce(username, ''))) STORED,
  ADD COLUMN search_body tsvector GENERATED ALWAYS AS (to_tsvector('wp_search'::regconfig, coalesce(first_name, '') || ' ' || coalesce(last_name, ''))) STORED;
CREATE INDEX idx_users_search_title ON users USING GIN (search_title);
CREATE INDEX idx_users_search_body ON users USING GIN (search_body);
INSERT INTO search_terms (term) SELECT DISTINCT lexeme FROM users, unnest(search_title || search_body) ON CONFLICT DO NOTHING;
CREATE TRIGGER search_users_terms AFTER INSERT OR UPDATE OF username, first_name, last_name ON users
  FOR EACH ROW EXECUTE FUNCTION search_collect_terms();

ALTER TABLE social_groups
  ADD COLUMN search_title tsvector GENERATED ALWAYS AS (to_tsvector('wp_search'::regconfig, coalesce(name, ''))) STORED,
  ADD COLUMN search_body tsvector GENERATED ALWAYS AS (to_tsvector('wp_search'::regconfig, coalesce(description, '') || ' ' || coalesce(category, ''))) STORED;
CREATE INDEX idx_groups_search_title ON social_groups USING GIN (search_title);
CREATE INDEX idx_groups_search_body ON social_groups USING GIN (search_body);
INSERT INTO search_terms (term) SELECT DISTINCT lexeme FROM social_groups, unnest(search_title || search_body) ON CONFLICT DO NOTHING;
CREATE TRIGGER search_groups_terms AFTER INSERT OR UPDATE OF name, description, category ON social_groups
  FOR EACH ROW EXECUTE FUNCTION search_collect_terms();

ALTER TABLE events
  ADD COLUMN search_title tsvector GENERATED ALWAYS AS (to_tsvector('wp_search'::regconfig, coalesce(title, ''))) STORED,
  ADD COLUMN search_body tsvector GENERATED ALWAYS AS (to_tsvector('wp_search'::regconfig, coalesce(description, '') || ' ' || coalesce(location, '') || ' ' || coalesce(category, ''))) STORED;
CREATE INDEX idx_events_search_title ON events USING GIN (search_title);
CREATE INDEX idx_events_search_body ON events USING GIN (search_body);
INSERT INTO search_terms (term) SELECT DISTINCT lexeme FROM events, unnest(search_title || search_body) ON CONFLICT DO NOTHING;
CREATE TRIGGER search_events_terms AFTER INSERT OR UPDATE OF title, description, location, category ON events
  FOR EACH ROW EXECUTE FUNCTION search_collect_terms();

-- Every search asked (SearchQuery): by a user, or anonymously under a session
-- key (a hash of the client's address and agent). Deleted after
-- search_log_retention_days; a user's own rows are deleted when they clear
-- their recent searches.
CREATE TABLE search_queries (
  id TEXT PRIMARY KEY,
  user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
  session_key TEXT NOT NULL DEFAULT '',
  query TEXT NOT NULL,
  search_type TEXT NOT NULL,              -- all | video | party | user | group | event
  filters JSONB NOT NULL DEFAULT '{}',
  results_count INTEGER NOT NULL,
  corrected_query TEXT NOT NULL DEFAULT '', -- the "did you mean" whose results were shown
  latency_ms DOUBLE PRECISION NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX idx_search_queries_user ON search_queries(user_id, created_at);
CREATE INDEX idx_search_queries_created ON search_queries(created_at);
-- The results a search showed (SearchResult), and which were clicked.
CREATE TABLE search_results (
  id TEXT PRIMARY KEY,
  query_id TEXT NOT NULL REFERENCES search_queries(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  clicked_at BIGINT,
  UNIQUE (query_id, object_type, object_id)
);
-- A named search kept by a user (SavedSearch), with an optional daily alert.
CREATE TABLE saved_searches (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  query TEXT NOT NULL,
  search_type TEXT NOT NULL,
  filters JSONB NOT NULL DEFAULT '{}',
  alert BOOLEAN NOT NULL DEFAULT FALSE,
  last_alert_at BIGINT,
  checked_until BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (user_id, name)
);
-- Per-user recommendations (ContentRecommendation), computed in the background.
CREATE TABLE content_recommendations (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  object_type TEXT NOT NULL,              -- video | party
  object_id TEXT NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  shown_at BIGINT,
  clicked_at BIGINT,
  UNIQUE (user_id, object_type, object_id)
);
CREATE INDEX idx_recommendations_user ON content_recommendations(user_id, object_type, score);

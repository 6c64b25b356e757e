-- Search and recommendations (issue #22).
--
-- Full text: one FTS5 table per searchable kind, two columns each (title: the
-- name a person reads; body: the rest of the text), rowid = the base row's
-- rowid. Triggers keep them in step with the base tables; the base tables
-- belong to their modules and are only read here. unicode61 with
-- remove_diacritics 2 folds case and accents ("Amélie" finds "amelie");
-- prefix='2 3' indexes the prefixes autocomplete asks for. The fts5vocab
-- tables list the indexed terms: the vocabulary of "did you mean".
-- Note: the rowid of a table without an INTEGER PRIMARY KEY may change under
-- VACUUM; after one, rebuild these tables (docs/operations.md, "Search").

CREATE VIRTUAL TABLE search_videos_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
CREATE VIRTUAL TABLE search_videos_vocab USING fts5vocab(search_videos_fts, 'row');
INSERT INTO search_videos_fts (rowid, title, body) SELECT rowid, title, description || ' ' || category FROM videos;
CREATE TRIGGER search_videos_ai AFTER INSERT ON videos BEGIN
  INSERT INTO search_videos_fts (rowid, title, body) VALUES (new.rowid, new.title, new.description || ' ' || new.category);
END;
CREATE TRIGGER search_videos_au AFTER UPDATE OF title, description, category ON videos BEGIN
  DELETE FROM search_videos_fts WHERE rowid = old.rowid;
  INSERT INTO search_videos_fts (rowid, title, body) VALUES (new.rowid, new.title, new.description || ' ' || new.category);
END;
CREATE TRIGGER search_videos_ad AFTER DELETE ON videos BEGIN
  DELETE FROM search_videos_fts WHERE rowid = old.rowid;
END;

CREATE VIRTUAL TABLE search_parties_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
CREATE VIRTUAL TABLE search_parties_vocab USING fts5vocab(search_parties_fts, 'row');
INSERT INTO search_parties_fts (rowid, title, body) SELECT rowid, title, description FROM watch_parties;
CREATE TRIGGER search_parties_ai AFTER INSERT ON watch_parties BEGIN
  INSERT INTO search_parties_fts (rowid, title, body) VALUES (new.rowid, new.title, new.description);
END;
CREATE TRIGGER search_parties_au AFTER UPDATE OF title, description ON watch_parties BEGIN
  DELETE FROM search_parties_fts WHERE rowid = old.rowid;
  INSERT INTO search_parties_fts (rowid, title, body) VALUES (new.rowid, new.title, new.description);
END;
CREATE TRIGGER search_parties_ad AFTER DELETE ON watch_parties BEGIN
  DELETE FROM search_parties_fts WHERE rowid = old.rowid;
END;

CREATE VIRTUAL TABLE search_users_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
CREATE VIRTUAL TABLE search_users_vocab USING fts5vocab(search_users_fts, 'row');
INSERT INTO search_users_fts (rowid, title, body) SELECT rowid, username, first_name || ' ' || last_name FROM users;
CREATE TRIGGER search_users_ai AFTER INSERT ON users BEGIN
  INSERT INTO search_users_fts (rowid, title, body) VALUES (new.rowid, new.username, new.first_name || ' ' || new.last_name);
END;
CREATE TRIGGER search_users_au AFTER UPDATE OF username, first_name, last_name ON users BEGIN
  DELETE FROM search_users_fts WHERE rowid = old.rowid;
  INSERT INTO search_users_fts (rowid, title, body) VALUES (new.rowid, new.username, new.first_name || ' ' || new.last_name);
END;
CREATE TRIGGER search_users_ad AFTER DELETE ON users BEGIN
  DELETE FROM search_users_fts WHERE rowid = old.rowid;
END;

CREATE VIRTUAL TABLE search_groups_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
CREATE VIRTUAL TABLE search_groups_vocab USING fts5vocab(search_groups_fts, 'row');
INSERT INTO search_groups_fts (rowid, title, body) SELECT rowid, name, description || ' ' || category FROM social_groups;
CREATE TRIGGER search_groups_ai AFTER INSERT ON social_groups BEGIN
  INSERT INTO search_groups_fts (rowid, title, body) VALUES (new.rowid, new.name, new.description || ' ' || new.category);
END;
CREATE TRIGGER search_groups_au AFTER UPDATE OF name, description, category ON social_groups BEGIN
  DELETE FROM search_groups_fts WHERE rowid = old.rowid;
  INSERT INTO search_groups_fts (rowid, title, body) VALUES (new.rowid, new.name, new.description || ' ' || new.category);
END;
CREATE TRIGGER search_groups_ad AFTER DELETE ON social_groups BEGIN
  DELETE FROM search_groups_fts WHERE rowid = old.rowid;
END;

CREATE VIRTUAL TABLE search_events_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
CREATE VIRTUAL TABLE search_events_vocab USING fts5vocab(search_events_fts, 'row');
INSERT INTO search_events_fts (rowid, title, body) SELECT rowid, title, description || ' ' || location || ' ' || category FROM events;
CREATE TRIGGER search_events_ai AFTER INSERT ON events BEGIN
  INSERT INTO search_events_fts (rowid, title, body) VALUES (new.rowid, new.title, new.description || ' ' || new.location || ' ' || new.category);
END;
CREATE TRIGGER search_events_au AFTER UPDATE OF title, description, location, category ON events BEGIN
  DELETE FROM search_events_fts WHERE rowid = old.rowid;
  INSERT INTO search_events_fts (rowid, title, body) VALUES (new.rowid, new.title, new.description || ' ' || new.location || ' ' || new.category);
END;
CREATE TRIGGER search_events_ad AFTER DELETE ON events BEGIN
  DELETE FROM search_events_fts WHERE rowid = old.rowid;
END;

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
  filters TEXT NOT NULL DEFAULT '{}',
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
  filters TEXT NOT NULL DEFAULT '{}',
  alert INTEGER NOT NULL DEFAULT 0,
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

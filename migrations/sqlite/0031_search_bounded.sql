-- Autocomplete (#22): the titles alone (usernames for users) in their own FTS5 tables, with
-- prefix indexes of 2 to 8 letters. A prefix query on a length that has no prefix index merges
-- the postings of every term starting so before it returns a row (20 ms for four letters of a
-- word in most of 100,000 titles); with one it reads its own postings in rowid order and stops
-- at the fifth visible row. Titles only: a prefix index of the descriptions would multiply the
-- index of the search itself. rowid = the base row's rowid, kept by triggers as in 0023 (and
-- rebuilt with them after a VACUUM, docs/operations.md "Search").

CREATE VIRTUAL TABLE search_video_titles USING fts5(title, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4 5 6 7 8');
INSERT INTO search_video_titles (rowid, title) SELECT rowid, title FROM videos;
CREATE TRIGGER search_video_titles_ai AFTER INSERT ON videos BEGIN
  INSERT INTO search_video_titles (rowid, title) VALUES (new.rowid, new.title);
END;
CREATE TRIGGER search_video_titles_au AFTER UPDATE OF title ON videos BEGIN
  DELETE FROM search_video_titles WHERE rowid = old.rowid;
  INSERT INTO search_video_titles (rowid, title) VALUES (new.rowid, new.title);
END;
CREATE TRIGGER search_video_titles_ad AFTER DELETE ON videos BEGIN
  DELETE FROM search_video_titles WHERE rowid = old.rowid;
END;

CREATE VIRTUAL TABLE search_party_titles USING fts5(title, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4 5 6 7 8');
INSERT INTO search_party_titles (rowid, title) SELECT rowid, title FROM watch_parties;
CREATE TRIGGER search_party_titles_ai AFTER INSERT ON watch_parties BEGIN
  INSERT INTO search_party_titles (rowid, title) VALUES (new.rowid, new.title);
END;
CREATE TRIGGER search_party_titles_au AFTER UPDATE OF title ON watch_parties BEGIN
  DELETE FROM search_party_titles WHERE rowid = old.rowid;
  INSERT INTO search_party_titles (rowid, title) VALUES (new.rowid, new.title);
END;
CREATE TRIGGER search_party_titles_ad AFTER DELETE ON watch_parties BEGIN
  DELETE FROM search_party_titles WHERE rowid = old.rowid;
END;

CREATE VIRTUAL TABLE search_user_titles USING fts5(title, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4 5 6 7 8');
INSERT INTO search_user_titles (rowid, title) SELECT rowid, username FROM users;
CREATE TRIGGER search_user_titles_ai AFTER INSERT ON users BEGIN
  INSERT INTO search_user_titles (rowid, title) VALUES (new.rowid, new.username);
END;
CREATE TRIGGER search_user_titles_au AFTER UPDATE OF username ON users BEGIN
  DELETE FROM search_user_titles WHERE rowid = old.rowid;
  INSERT INTO search_user_titles (rowid, title) VALUES (new.rowid, new.username);
END;
CREATE TRIGGER search_user_titles_ad AFTER DELETE ON users BEGIN
  DELETE FROM search_user_titles WHERE rowid = old.rowid;
END;

-- "Did you mean" (#22): the vocabulary is the fts5vocab tables, and listing one counts every
-- term's documents (130 ms for the five tables of 100,000 videos and 10,000 users). The server
-- keeps the terms in memory and reads a kind's again only when its version here has moved:
-- every write that can change a kind's indexed text moves it.
CREATE TABLE search_vocab_versions (
  kind TEXT PRIMARY KEY,
  version INTEGER NOT NULL
);
INSERT INTO search_vocab_versions (kind, version) VALUES ('video', 0), ('party', 0), ('user', 0), ('group', 0), ('event', 0);
CREATE TRIGGER search_vocab_video_ai AFTER INSERT ON videos BEGIN
  UPDATE search_vocab_versions SET version = version + 1 WHERE kind = 'video';
END;
CREATE TRIGGER search_vocab_video_au AFTER UPDATE OF title, description, category, tags ON videos BEGIN
  UPDATE search_vocab_versions SET version = version + 1 WHERE kind = 'video';
END;
CREATE TRIGGER search_vocab_video_ad AFTER DELETE ON videos BEGIN
  UPDATE search_vocab_versions SET version = version + 1 WHERE kind = 'video';
END;
CREATE TRIGGER search_vocab_party_ai AFTER INSERT ON watch_parties BEGIN
  UPDATE search_vocab_versions SET version = version + 1 WHERE kind = 'party';
END;
CREATE TRIGGER search_vocab_party_au AFTER UPDATE OF title, description ON watch_parties BEGIN
  UPDATE search_vocab_versions SET version = version + 1 WHERE kind = 'party';
END;
CREATE TRIGGER search_vocab_party_ad AFTER DELETE ON watch_parties BEGIN
  UPDATE search_vocab_versions SET version = version + 1 WHERE kind = 'party';
END;
CREATE TRIGGER search_vocab_user_ai AFTER INSERT ON users BEGIN
  UPDATE search_vocab_versions SET version = version + 1 WHERE kind = 'user';
END;
CREATE TRIGGER search_vocab_user_au AFTER UPDATE OF username, first_name, last_name ON users BEGIN
  UPDATE search_vocab_versions SET version = version + 1 WHERE kind = 'user';
END;
CREATE TRIGGER search_vocab_user_ad AFTER DELETE ON users BEGIN
  UPDATE search_vocab_versions SET version = version + 1 WHERE kind = 'user';
END;
CREATE TRIGGER search_vocab_group_ai AFTER INSERT ON social_groups BEGIN
  UPDATE search_vocab_versions SET version = version + 1 WHERE kind = 'group';
END;
CREATE TRIGGER search_vocab_group_au AFTER UPDATE OF name, description, category ON social_groups BEGIN
  UPDATE search_vocab_versions SET version = version + 1 WHERE kind = 'group';
END;
CREATE TRIGGER search_vocab_group_ad AFTER DELETE ON social_groups BEGIN
  UPDATE search_vocab_versions SET version = version + 1 WHERE kind = 'group';
END;
CREATE TRIGGER search_vocab_event_ai AFTER INSERT ON events BEGIN
  UPDATE search_vocab_versions SET version = version + 1 WHERE kind = 'event';
END;
CREATE TRIGGER search_vocab_event_au AFTER UPDATE OF title, description, location, category ON events BEGIN
  UPDATE search_vocab_versions SET version = version + 1 WHERE kind = 'event';
END;
CREATE TRIGGER search_vocab_event_ad AFTER DELETE ON events BEGIN
  UPDATE search_vocab_versions SET version = version + 1 WHERE kind = 'event';
END;

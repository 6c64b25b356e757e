-- Video tags (#22): normalized, joined by single spaces (videos/tags.hpp);
-- searched with the video's text, so the full-text triggers index them too.
ALTER TABLE videos ADD COLUMN tags TEXT NOT NULL DEFAULT '';

DROP TRIGGER search_videos_ai;
DROP TRIGGER search_videos_au;
CREATE TRIGGER search_videos_ai AFTER INSERT ON videos BEGIN
  INSERT INTO search_videos_fts (rowid, title, body)
    VALUES (new.rowid, new.title, new.description || ' ' || new.category || ' ' || new.tags);
END;
CREATE TRIGGER search_videos_au AFTER UPDATE OF title, description, category, tags ON videos BEGIN
  DELETE FROM search_videos_fts WHERE rowid = old.rowid;
  INSERT INTO search_videos_fts (rowid, title, body)
    VALUES (new.rowid, new.title, new.description || ' ' || new.category || ' ' || new.tags);
END;

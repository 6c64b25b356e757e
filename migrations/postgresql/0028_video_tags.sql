-- Video tags (#22): normalized, joined by single spaces (videos/tags.hpp);
-- searched with the video's text: the generated search_body takes them in.
ALTER TABLE videos ADD COLUMN tags TEXT NOT NULL DEFAULT '';

ALTER TABLE videos DROP COLUMN search_body;
ALTER TABLE videos ADD COLUMN search_body tsvector GENERATED ALWAYS AS (to_tsvector('wp_search'::regconfig,
  coalesce(description, '') || ' ' || coalesce(category, '') || ' ' || coalesce(tags, ''))) STORED;
CREATE INDEX idx_videos_search_body ON videos USING GIN (search_body);
DROP TRIGGER search_videos_terms ON videos;
CREATE TRIGGER search_videos_terms AFTER INSERT OR UPDATE OF title, description, category, tags ON videos
  FOR EACH ROW EXECUTE FUNCTION search_collect_terms();

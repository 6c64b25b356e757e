-- Bounded search and autocomplete (#22). A search ranks the newest matches and autocomplete
-- takes the newest titles, so each searched table needs its creation order as an index: the
-- planner walks it backwards for a word in most rows and takes the GIN bitmap for a rare one
-- (videos have idx_videos_created since 0003).
CREATE INDEX IF NOT EXISTS idx_parties_created ON watch_parties(created_at);
CREATE INDEX IF NOT EXISTS idx_users_date_joined ON users(date_joined);
CREATE INDEX IF NOT EXISTS idx_groups_created ON social_groups(created_at);
CREATE INDEX IF NOT EXISTS idx_events_created ON events(created_at);

-- Without the pending list: with fastupdate on, rows inserted since the last vacuum are kept in
-- an unsorted list that every search scans whole (up to gin_pending_list_limit, 4 MB: 6-19 ms
-- a query after a bulk load of 100,000 videos, bench/search.md). Inserts pay instead.
ALTER INDEX idx_videos_search_title SET (fastupdate = off);
ALTER INDEX idx_videos_search_body SET (fastupdate = off);
ALTER INDEX idx_parties_search_title SET (fastupdate = off);
ALTER INDEX idx_parties_search_body SET (fastupdate = off);
ALTER INDEX idx_users_search_title SET (fastupdate = off);
ALTER INDEX idx_users_search_body SET (fastupdate = off);
ALTER INDEX idx_groups_search_title SET (fastupdate = off);
ALTER INDEX idx_groups_search_body SET (fastupdate = off);
ALTER INDEX idx_events_search_title SET (fastupdate = off);
ALTER INDEX idx_events_search_body SET (fastupdate = off);
SELECT gin_clean_pending_list(i::regclass) FROM unnest(ARRAY['idx_videos_search_title', 'idx_videos_search_body',
  'idx_parties_search_title', 'idx_parties_search_body', 'idx_users_search_title', 'idx_users_search_body',
  'idx_groups_search_title', 'idx_groups_search_body', 'idx_events_search_title', 'idx_events_search_body']) i;

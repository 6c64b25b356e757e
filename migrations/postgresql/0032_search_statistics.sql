-- Finer statistics on the search columns (#22). A prefix query ("mi:*") is estimated from the
-- column's most common lexemes: with the default target (100) only ~1,000 are kept, a short
-- prefix matches few of them, and the planner guessed 127 rows for a prefix in 4,557 of 100,000
-- videos. It then took the GIN bitmap and sorted every match (55 ms) where walking the creation
-- index backwards finds the newest five at once (0.2 ms). With 1,000 (~10,000 lexemes kept) the
-- guess was 4,128 rows and the plan the fast one (bench/search.md).
ALTER TABLE videos ALTER COLUMN search_title SET STATISTICS 1000, ALTER COLUMN search_body SET STATISTICS 1000;
ALTER TABLE watch_parties ALTER COLUMN search_title SET STATISTICS 1000, ALTER COLUMN search_body SET STATISTICS 1000;
ALTER TABLE users ALTER COLUMN search_title SET STATISTICS 1000, ALTER COLUMN search_body SET STATISTICS 1000;
ALTER TABLE social_groups ALTER COLUMN search_title SET STATISTICS 1000, ALTER COLUMN search_body SET STATISTICS 1000;
ALTER TABLE events ALTER COLUMN search_title SET STATISTICS 1000, ALTER COLUMN search_body SET STATISTICS 1000;
-- An existing database gets the finer statistics now, not at autovacuum's next analyze.
ANALYZE videos (search_title, search_body);
ANALYZE watch_parties (search_title, search_body);
ANALYZE users (search_title, search_body);
ANALYZE social_groups (search_title, search_body);
ANALYZE events (search_title, search_body);

-- Mobile home (#21): the popular recent videos (GET /api/mobile/home/ when the
-- recommender has nothing for the user) are read in this order, most viewed
-- first, so the read walks the index from its end and stops at the page
-- instead of sorting every video of the window (bench/NOTES.md).
CREATE INDEX idx_videos_popular ON videos(view_count, created_at, id);

-- Videos: uploads, external URLs, processing jobs, comments, likes, views,
-- watch time and downloads. Counters live on the video row and change in the
-- same transaction as the rows they count.
CREATE TABLE videos (
  id TEXT PRIMARY KEY,
  uploaded_by_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL DEFAULT '',
  source_type TEXT NOT NULL,               -- upload | external
  external_url TEXT NOT NULL DEFAULT '',
  file_path TEXT NOT NULL DEFAULT '',      -- original, relative to data_dir
  original_filename TEXT NOT NULL DEFAULT '',
  mime_type TEXT NOT NULL DEFAULT '',
  file_size BIGINT NOT NULL DEFAULT 0,
  thumbnail TEXT NOT NULL DEFAULT '',      -- relative to data_dir, or empty
  duration DOUBLE PRECISION,                           -- seconds
  width INTEGER,
  height INTEGER,
  status TEXT NOT NULL,                    -- processing | ready | failed
  processing_error TEXT NOT NULL DEFAULT '',
  is_public BOOLEAN NOT NULL DEFAULT TRUE,
  allow_download BOOLEAN NOT NULL DEFAULT FALSE,
  view_count BIGINT NOT NULL DEFAULT 0,
  like_count BIGINT NOT NULL DEFAULT 0,
  dislike_count BIGINT NOT NULL DEFAULT 0,
  comment_count BIGINT NOT NULL DEFAULT 0,
  download_count BIGINT NOT NULL DEFAULT 0,
  metadata JSONB NOT NULL DEFAULT '{}',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_videos_uploader ON videos(uploaded_by_id, created_at);
CREATE INDEX idx_videos_created ON videos(created_at);
CREATE INDEX idx_videos_views ON videos(view_count);
CREATE INDEX idx_videos_likes ON videos(like_count);

-- Durable job queue. video_id is not a foreign key: a cancelled job outlives its video.
CREATE TABLE video_processing_jobs (
  id TEXT PRIMARY KEY,
  video_id TEXT NOT NULL,
  status TEXT NOT NULL,                    -- queued | running | succeeded | failed | cancelled
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  locked_by TEXT,
  locked_at BIGINT,
  progress INTEGER NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  finished_at BIGINT
);
CREATE INDEX idx_jobs_claim ON video_processing_jobs(status, next_attempt_at);
CREATE INDEX idx_jobs_video ON video_processing_jobs(video_id);

CREATE TABLE video_comments (
  id TEXT PRIMARY KEY,
  video_id TEXT NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  parent_id TEXT REFERENCES video_comments(id) ON DELETE CASCADE,
  content TEXT NOT NULL,
  is_edited BOOLEAN NOT NULL DEFAULT FALSE,
  is_deleted BOOLEAN NOT NULL DEFAULT FALSE,
  likes_count BIGINT NOT NULL DEFAULT 0,
  reply_count BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_comments_video ON video_comments(video_id, parent_id, created_at);
CREATE INDEX idx_comments_parent ON video_comments(parent_id, created_at);

CREATE TABLE comment_likes (
  id TEXT PRIMARY KEY,
  comment_id TEXT NOT NULL REFERENCES video_comments(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  UNIQUE (comment_id, user_id)
);

CREATE TABLE video_likes (
  id TEXT PRIMARY KEY,
  video_id TEXT NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  is_like BOOLEAN NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (video_id, user_id)
);

-- One row per counted view.
CREATE TABLE video_views (
  id TEXT PRIMARY KEY,
  video_id TEXT NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
  user_id TEXT,
  viewer_key TEXT NOT NULL,
  ip_address TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX idx_views_video ON video_views(video_id, created_at);

-- When each viewer (user id, or hash of IP + user agent) was last counted: the dedup window.
CREATE TABLE video_viewers (
  video_id TEXT NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
  viewer_key TEXT NOT NULL,
  last_counted_at BIGINT NOT NULL,
  PRIMARY KEY (video_id, viewer_key)
);

CREATE TABLE watch_times (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  video_id TEXT NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
  party_id TEXT,
  total_watch_time BIGINT NOT NULL DEFAULT 0,
  last_position DOUBLE PRECISION NOT NULL DEFAULT 0,
  completion_percentage DOUBLE PRECISION NOT NULL DEFAULT 0,
  average_quality TEXT NOT NULL DEFAULT '',
  buffering_events BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (user_id, video_id)
);

CREATE TABLE video_downloads (
  id TEXT PRIMARY KEY,
  video_id TEXT NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
  user_id TEXT,
  ip_address TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX idx_downloads_video ON video_downloads(video_id);

-- tus 1.0 resumable uploads in progress.
CREATE TABLE video_uploads (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  upload_length BIGINT NOT NULL,
  upload_offset BIGINT NOT NULL DEFAULT 0,
  metadata JSONB NOT NULL DEFAULT '{}',
  video_id TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

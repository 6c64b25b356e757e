-- The version of the durable playback copy, so that an older save can never
-- overwrite a newer one (UPDATE ... WHERE playback_version < :version).
ALTER TABLE watch_parties ADD COLUMN playback_version INTEGER NOT NULL DEFAULT 0;
UPDATE watch_parties SET playback_version = COALESCE(json_extract(playback, '$.version'), 0)
  WHERE json_valid(playback);

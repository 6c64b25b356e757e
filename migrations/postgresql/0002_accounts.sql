CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  username_key TEXT NOT NULL UNIQUE,      -- lower-cased: usernames are unique case-insensitively
  email TEXT NOT NULL,
  email_key TEXT NOT NULL UNIQUE,         -- normalized (lower-cased) email
  password_hash TEXT NOT NULL,
  first_name TEXT NOT NULL DEFAULT '',
  last_name TEXT NOT NULL DEFAULT '',
  is_active BOOLEAN NOT NULL DEFAULT TRUE,
  is_staff BOOLEAN NOT NULL DEFAULT FALSE,
  is_superuser BOOLEAN NOT NULL DEFAULT FALSE,
  email_verified BOOLEAN NOT NULL DEFAULT FALSE,
  date_joined BIGINT NOT NULL,
  last_login BIGINT,
  settings JSONB NOT NULL DEFAULT '{}'
);
CREATE INDEX idx_user_last_login ON users(last_login);

CREATE TABLE user_profiles (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
  avatar TEXT NOT NULL DEFAULT '',
  bio TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT '',
  timezone TEXT NOT NULL DEFAULT '',
  birth_date DATE,
  phone TEXT NOT NULL DEFAULT '',
  is_verified BOOLEAN NOT NULL DEFAULT FALSE,
  privacy_settings JSONB NOT NULL DEFAULT '{}'
);

-- One row per login (a device); its refresh tokens form one rotation family.
CREATE TABLE user_sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  user_agent TEXT NOT NULL DEFAULT '',
  ip_address TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  revoke_reason TEXT
);
CREATE INDEX idx_session_user ON user_sessions(user_id);

CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,            -- SHA-256 of the opaque token
  session_id TEXT NOT NULL REFERENCES user_sessions(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE INDEX idx_refresh_session ON refresh_tokens(session_id);

CREATE TABLE login_history (
  id TEXT PRIMARY KEY,
  user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
  username_tried TEXT NOT NULL,
  success BOOLEAN NOT NULL,
  reason TEXT NOT NULL,
  ip_address TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX idx_login_history_user ON login_history(user_id, created_at);

-- Single-use tokens mailed or handed out: password_reset, email_verify, 2fa_challenge.
CREATE TABLE user_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE INDEX idx_user_tokens_user ON user_tokens(user_id, purpose);

CREATE TABLE two_factor_auth (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  secret TEXT NOT NULL,
  is_enabled BOOLEAN NOT NULL DEFAULT FALSE,
  last_used_step BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  enabled_at BIGINT
);

CREATE TABLE recovery_codes (
  code_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  used_at BIGINT
);
CREATE INDEX idx_recovery_user ON recovery_codes(user_id);

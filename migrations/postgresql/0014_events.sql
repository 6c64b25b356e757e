-- Events (issue #16): scheduled gatherings with attendees, invitations,
-- RSVPs, a personal calendar feed and reminders. Times are ms since the
-- epoch (UTC); `timezone` is the IANA zone the event was created in, kept
-- for showing it and for stepping a series in local time.
CREATE TABLE events (
  id TEXT PRIMARY KEY,
  organizer_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  location TEXT NOT NULL DEFAULT '',
  start_time BIGINT NOT NULL,
  end_time BIGINT NOT NULL,
  timezone TEXT NOT NULL DEFAULT 'UTC',
  max_attendees INTEGER,                   -- NULL: no limit
  require_approval BOOLEAN NOT NULL DEFAULT FALSE,
  is_public BOOLEAN NOT NULL DEFAULT TRUE,
  status TEXT NOT NULL CHECK (status IN ('upcoming', 'live', 'ended', 'cancelled')),
  category TEXT NOT NULL,
  settings JSONB NOT NULL DEFAULT '{}',
  creates_party BOOLEAN NOT NULL DEFAULT FALSE,
  video_id TEXT REFERENCES videos(id) ON DELETE SET NULL,
  group_id TEXT REFERENCES social_groups(id) ON DELETE SET NULL,
  party_id TEXT REFERENCES watch_parties(id) ON DELETE SET NULL,
  -- A recurring event's occurrences share series_id; each is an event of its own.
  series_id TEXT,
  recurrence TEXT CHECK (recurrence IN ('weekly', 'monthly')),
  recurrence_until BIGINT,
  -- Attendees going: moved in the transaction that changes an attendee row,
  -- under the event row's lock, so max_attendees holds under concurrency.
  going_count INTEGER NOT NULL DEFAULT 0,
  -- The last waitlist ticket handed out (attendee seq), under the same lock.
  last_seq INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_event_start ON events(start_time);
CREATE INDEX idx_event_status_start ON events(status, start_time);
CREATE INDEX idx_event_status_end ON events(status, end_time);
CREATE INDEX idx_event_organizer ON events(organizer_id);
CREATE INDEX idx_event_series ON events(series_id, start_time);
CREATE INDEX idx_event_party ON events(party_id);

-- One row per event and user who asked in: going, pending approval, or
-- waitlisted (in seq order).
CREATE TABLE event_attendees (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('going', 'pending', 'waitlisted')),
  seq INTEGER NOT NULL,
  preferences JSONB NOT NULL DEFAULT '{}',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (event_id, user_id)
);
CREATE INDEX idx_event_attendee_user ON event_attendees(user_id, status);
CREATE INDEX idx_event_attendee_event ON event_attendees(event_id, status, seq);

CREATE TABLE event_invitations (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  inviter_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  invitee_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined')),
  created_at BIGINT NOT NULL,
  responded_at BIGINT,
  UNIQUE (event_id, invitee_id)
);
CREATE INDEX idx_event_invitation_invitee ON event_invitations(invitee_id, status);

CREATE TABLE event_rsvps (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  response TEXT NOT NULL CHECK (response IN ('going', 'maybe', 'not_going')),
  note TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (event_id, user_id)
);
CREATE INDEX idx_event_rsvp_event ON event_rsvps(event_id, response);

-- One row per (event, attendee, offset): the reminder is sent by whichever
-- worker first sets sent_at on it (a conditional update), so exactly once.
CREATE TABLE event_reminders (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  offset_minutes INTEGER NOT NULL,
  due_at BIGINT NOT NULL,
  sent_at BIGINT,
  sent_by TEXT,
  UNIQUE (event_id, user_id, offset_minutes)
);
CREATE INDEX idx_event_reminder_due ON event_reminders(sent_at, due_at);

-- The secret of a user's calendar feed URL. Kept as it is (not hashed): the
-- user reads their URL again to paste it into a calendar app; rotating it
-- is how a leaked URL is revoked.
CREATE TABLE event_calendar_tokens (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  token TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);

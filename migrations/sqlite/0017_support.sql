-- Support desk (#19): tickets, replies (internal notes), attachments, FAQ and votes, feedback.
CREATE TABLE support_tickets (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  subject TEXT NOT NULL,
  description TEXT NOT NULL,
  category TEXT NOT NULL,
  priority TEXT NOT NULL DEFAULT 'normal',
  status TEXT NOT NULL DEFAULT 'open',
  assigned_to TEXT REFERENCES users(id) ON DELETE SET NULL,
  admin_notes TEXT NOT NULL DEFAULT '',
  -- an appeal's moderation action (no foreign key: the moderation module owns that table)
  moderation_action_id TEXT,
  first_staff_reply_at BIGINT,
  resolved_at BIGINT,
  closed_at BIGINT,
  reply_count INTEGER NOT NULL DEFAULT 0,
  internal_count INTEGER NOT NULL DEFAULT 0,
  last_reply_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_ticket_user ON support_tickets(user_id, created_at);
CREATE INDEX idx_ticket_queue ON support_tickets(status, created_at);
CREATE INDEX idx_ticket_assignee ON support_tickets(assigned_to, status);

CREATE TABLE ticket_replies (
  id TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES support_tickets(id) ON DELETE CASCADE,
  author_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  from_staff INTEGER NOT NULL DEFAULT 0,
  is_internal INTEGER NOT NULL DEFAULT 0,
  content TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX idx_ticket_reply ON ticket_replies(ticket_id, created_at);

CREATE TABLE support_feedback (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  text TEXT NOT NULL DEFAULT '',
  page TEXT NOT NULL DEFAULT '',
  context TEXT NOT NULL DEFAULT '{}',
  screenshot_id TEXT,
  status TEXT NOT NULL DEFAULT 'new',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_feedback_status ON support_feedback(status, created_at);

-- Claimed by a ticket (its description: reply_id NULL), a reply, or a feedback's screenshot.
CREATE TABLE support_attachments (
  id TEXT PRIMARY KEY,
  uploader_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  ticket_id TEXT REFERENCES support_tickets(id) ON DELETE CASCADE,
  reply_id TEXT REFERENCES ticket_replies(id) ON DELETE CASCADE,
  feedback_id TEXT REFERENCES support_feedback(id) ON DELETE CASCADE,
  filename TEXT NOT NULL,
  mime_type TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('image', 'video', 'file')),
  size BIGINT NOT NULL,
  has_thumbnail INTEGER NOT NULL DEFAULT 0,
  position INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX idx_support_attachment_ticket ON support_attachments(ticket_id);
CREATE INDEX idx_support_attachment_orphan ON support_attachments(created_at) WHERE ticket_id IS NULL AND feedback_id IS NULL;

CREATE TABLE faq_entries (
  id TEXT PRIMARY KEY,
  category TEXT NOT NULL,
  question TEXT NOT NULL,
  answer TEXT NOT NULL,
  position INTEGER NOT NULL DEFAULT 0,
  is_published INTEGER NOT NULL DEFAULT 0,
  helpful_count INTEGER NOT NULL DEFAULT 0,
  not_helpful_count INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_faq_order ON faq_entries(category, position);

CREATE TABLE faq_votes (
  faq_id TEXT NOT NULL REFERENCES faq_entries(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  helpful INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (faq_id, user_id)
);

-- Credit notes (#18): a refund of an invoice's payment, numbered without gaps
-- per year in a series of its own (CN-2026-000001), referring to the invoice.
-- And the store's cosmetics: what an item brings, by kind (a theme's colours,
-- an emoji pack's emoji), as JSON checked by the store's rules.
CREATE TABLE credit_note_counters (
  year INTEGER PRIMARY KEY,
  last_seq INTEGER NOT NULL
);

CREATE TABLE credit_notes (
  id TEXT PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  year INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  invoice_id TEXT NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
  payment_id TEXT NOT NULL UNIQUE REFERENCES payments(id) ON DELETE CASCADE,
  seller TEXT NOT NULL,
  buyer TEXT NOT NULL,
  lines TEXT NOT NULL,
  currency TEXT NOT NULL,
  subtotal BIGINT NOT NULL,
  tax_rate_bp INTEGER NOT NULL,
  tax BIGINT NOT NULL,
  total BIGINT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  issued_at BIGINT NOT NULL,
  UNIQUE (year, seq)
);
CREATE INDEX idx_credit_note_user ON credit_notes(user_id, issued_at);
CREATE INDEX idx_credit_note_invoice ON credit_notes(invoice_id);

ALTER TABLE store_items ADD COLUMN properties TEXT NOT NULL DEFAULT '{}';

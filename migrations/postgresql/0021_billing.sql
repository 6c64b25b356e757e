-- Billing (#18): the provider's customers, subscriptions, payments (charges and
-- refunds), invoices with their yearly counter, handled webhook events, checkouts.
CREATE TABLE billing_customers (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  provider_customer_id TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);

CREATE TABLE billing_checkouts (
  session_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  item TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  completed_at BIGINT
);
CREATE INDEX idx_billing_checkout_user ON billing_checkouts(user_id, created_at);

CREATE TABLE subscriptions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  plan TEXT NOT NULL,
  provider_subscription_id TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL,
  start_date BIGINT NOT NULL,
  end_date BIGINT,
  current_period_start BIGINT,
  current_period_end BIGINT,
  auto_renew BOOLEAN NOT NULL DEFAULT TRUE,
  features TEXT NOT NULL DEFAULT '{}',
  past_due_since BIGINT,
  provider_version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_subscription_user ON subscriptions(user_id, status);

CREATE TABLE payments (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  subscription_id TEXT REFERENCES subscriptions(id) ON DELETE SET NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  amount BIGINT NOT NULL,
  currency TEXT NOT NULL,
  transaction_id TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  metadata TEXT NOT NULL DEFAULT '{}',
  created_at BIGINT NOT NULL
);
CREATE INDEX idx_payment_user ON payments(user_id, created_at);
-- A charge or refund the provider confirmed is recorded once; failures may repeat.
CREATE UNIQUE INDEX idx_payment_once ON payments(kind, transaction_id) WHERE status <> 'failed';

CREATE TABLE invoice_counters (
  year INTEGER PRIMARY KEY,
  last_seq INTEGER NOT NULL
);

CREATE TABLE invoices (
  id TEXT PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  year INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  payment_id TEXT NOT NULL UNIQUE REFERENCES payments(id) ON DELETE CASCADE,
  seller TEXT NOT NULL,
  buyer TEXT NOT NULL,
  lines TEXT NOT NULL,
  currency TEXT NOT NULL,
  subtotal BIGINT NOT NULL,
  tax_rate_bp INTEGER NOT NULL,
  tax BIGINT NOT NULL,
  total BIGINT NOT NULL,
  issued_at BIGINT NOT NULL,
  UNIQUE (year, seq)
);
CREATE INDEX idx_invoice_user ON invoices(user_id, issued_at);

CREATE TABLE billing_events (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  received_at BIGINT NOT NULL
);

-- Coins, the store, inventory and achievements (issue #18).
--
-- The coin ledger is double-entry: every movement is a row of
-- coin_transactions with two or more coin_entries whose amounts sum to zero,
-- between accounts (a user's wallet, the system's issuance, store revenue).
-- coin_accounts.balance caches the sum of an account's entries; it changes
-- only in the transaction that adds the entries, and GET
-- /api/store/staff/ledger/check/ proves the two equal. A wallet never goes
-- below zero: the debit is a conditional UPDATE (and the CHECK backs it).
-- Nothing here is ever deleted: a refund is a new transaction reversing one.
CREATE TABLE coin_accounts (
  id TEXT PRIMARY KEY,            -- "wallet:<user id>", "system:issuance", "system:revenue"
  kind TEXT NOT NULL,             -- wallet, issuance, revenue
  user_id TEXT,
  balance BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  CHECK (kind <> 'wallet' OR balance >= 0)
);

-- (kind, ref) makes each movement happen once: the payment of a coin
-- purchase, the reward of an achievement, a day's activity, a store purchase
-- and its refund each have one key.
CREATE TABLE coin_transactions (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,             -- grant, bought, achievement, daily, purchase, refund
  ref TEXT NOT NULL,
  user_id TEXT,                   -- whose wallet it concerns
  memo TEXT NOT NULL DEFAULT '',
  reverses_id TEXT REFERENCES coin_transactions(id),
  created_by TEXT,                -- staff for grants and refunds
  created_at BIGINT NOT NULL,
  UNIQUE (kind, ref)
);
CREATE INDEX idx_coin_transactions_user ON coin_transactions(user_id, created_at);

CREATE TABLE coin_entries (
  id TEXT PRIMARY KEY,
  transaction_id TEXT NOT NULL REFERENCES coin_transactions(id),
  account_id TEXT NOT NULL REFERENCES coin_accounts(id),
  amount BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX idx_coin_entries_tx ON coin_entries(transaction_id);
CREATE INDEX idx_coin_entries_account ON coin_entries(account_id, created_at);

-- The catalog. stock NULL: unlimited; sold counts what is out (a refund puts one back).
CREATE TABLE store_items (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,             -- badge, emoji_pack, profile_theme, party_theme
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  image TEXT NOT NULL DEFAULT '',  -- a badge's emoji or short text, a theme's colour
  price BIGINT NOT NULL CHECK (price >= 0),
  stock BIGINT CHECK (stock IS NULL OR stock >= 0),
  sold BIGINT NOT NULL DEFAULT 0 CHECK (sold >= 0),
  is_active BOOLEAN NOT NULL DEFAULT TRUE,
  available_from BIGINT,
  available_until BIGINT,
  created_by TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_store_items_kind ON store_items(kind, created_at);

-- StoreTransaction: a purchase, with the client's idempotency key.
CREATE TABLE store_purchases (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  item_id TEXT NOT NULL REFERENCES store_items(id),
  price BIGINT NOT NULL,
  status TEXT NOT NULL,           -- completed, refunded
  idempotency_key TEXT,
  transaction_id TEXT NOT NULL,
  refund_transaction_id TEXT,
  refunded_by TEXT,
  refund_reason TEXT,
  created_at BIGINT NOT NULL,
  refunded_at BIGINT,
  UNIQUE (user_id, idempotency_key)
);
CREATE INDEX idx_store_purchases_user ON store_purchases(user_id, created_at);

-- UserInventory. A refund revokes the row (revoked_at), it is not deleted.
CREATE TABLE user_inventory (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  item_id TEXT NOT NULL REFERENCES store_items(id),
  purchase_id TEXT REFERENCES store_purchases(id),
  equipped BOOLEAN NOT NULL DEFAULT FALSE,
  acquired_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE UNIQUE INDEX idx_user_inventory_owned ON user_inventory(user_id, item_id) WHERE revoked_at IS NULL;
CREATE INDEX idx_user_inventory_equipped ON user_inventory(user_id) WHERE equipped;

-- Achievements: a counter per user and domain event type, and each unlock
-- once (the primary key), with the transaction that paid its reward.
CREATE TABLE achievement_counters (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  event_type TEXT NOT NULL,
  total BIGINT NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, event_type)
);

CREATE TABLE user_achievements (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  achievement TEXT NOT NULL,
  unlocked_at BIGINT NOT NULL,
  transaction_id TEXT,
  PRIMARY KEY (user_id, achievement)
);

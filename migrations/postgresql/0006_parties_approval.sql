-- A join request awaiting the host's approval (settings.require_approval):
-- an inactive participant row with is_pending set; joined_at is when it was asked.
ALTER TABLE party_participants ADD COLUMN is_pending BOOLEAN NOT NULL DEFAULT FALSE;

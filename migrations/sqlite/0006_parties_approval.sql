-- A join request (settings.require_approval) lives in the participant row:
-- 'pending' awaits the host's decision (the row is inactive; joined_at is when
-- it was asked), 'rejected' remembers the host's no, 'none' is a plain member.
ALTER TABLE party_participants ADD COLUMN join_request TEXT NOT NULL DEFAULT 'none'
  CHECK (join_request IN ('none', 'pending', 'rejected'));
-- Whether the invitation lets its invitee skip approval: only one sent by the
-- host or a moderator does.
ALTER TABLE party_invitations ADD COLUMN admits INTEGER NOT NULL DEFAULT 0;

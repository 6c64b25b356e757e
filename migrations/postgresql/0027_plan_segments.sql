-- Broadcasts to the users of one billing plan (#19): the staff broadcast and
-- the notifications module's fan-out name the plan.
ALTER TABLE admin_broadcasts ADD COLUMN plan_id TEXT;

ALTER TABLE notification_broadcasts ADD COLUMN plan_id TEXT;
ALTER TABLE notification_broadcasts DROP CONSTRAINT IF EXISTS notification_broadcasts_audience_check;
ALTER TABLE notification_broadcasts ADD CONSTRAINT notification_broadcasts_audience_check
  CHECK (audience IN ('all', 'followers', 'staff', 'plan'));

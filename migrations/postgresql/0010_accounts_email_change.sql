-- A change of email address waits for the new address to be confirmed: the
-- mailed token (purpose 'email_change') carries the address it will set.
ALTER TABLE user_tokens ADD COLUMN new_email TEXT;

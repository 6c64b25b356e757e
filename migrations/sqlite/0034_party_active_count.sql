-- How many members a party has now, kept by triggers on every change of party_participants (any
-- path: the service, a cascade, bulk SQL), so that reading a party no longer counts its members:
-- a join read the party three times, and each count walked the whole room (bench/NOTES.md).
ALTER TABLE watch_parties ADD COLUMN active_participants INTEGER NOT NULL DEFAULT 0;
UPDATE watch_parties SET active_participants =
  (SELECT COUNT(*) FROM party_participants c WHERE c.party_id = watch_parties.id AND c.is_active = 1);
CREATE TRIGGER party_active_count_ai AFTER INSERT ON party_participants WHEN new.is_active BEGIN
  UPDATE watch_parties SET active_participants = active_participants + 1 WHERE id = new.party_id;
END;
CREATE TRIGGER party_active_count_ad AFTER DELETE ON party_participants WHEN old.is_active BEGIN
  UPDATE watch_parties SET active_participants = active_participants - 1 WHERE id = old.party_id;
END;
CREATE TRIGGER party_active_count_au AFTER UPDATE OF is_active, party_id ON party_participants
  WHEN old.is_active <> new.is_active OR old.party_id <> new.party_id BEGIN
  UPDATE watch_parties SET active_participants = active_participants - 1 WHERE id = old.party_id AND old.is_active;
  UPDATE watch_parties SET active_participants = active_participants + 1 WHERE id = new.party_id AND new.is_active;
END;

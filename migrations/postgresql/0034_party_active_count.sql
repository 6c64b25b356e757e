-- How many members a party has now, kept by triggers on every change of party_participants (any
-- path: the service, a cascade, bulk SQL), so that reading a party no longer counts its members:
-- a join read the party three times, and each count walked the whole room (bench/NOTES.md).
ALTER TABLE watch_parties ADD COLUMN active_participants INTEGER NOT NULL DEFAULT 0;
UPDATE watch_parties p SET active_participants =
  (SELECT COUNT(*) FROM party_participants c WHERE c.party_id = p.id AND c.is_active);
CREATE FUNCTION party_active_count() RETURNS trigger AS $fn$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.is_active THEN
    UPDATE watch_parties SET active_participants = active_participants - 1 WHERE id = OLD.party_id;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.is_active THEN
    UPDATE watch_parties SET active_participants = active_participants + 1 WHERE id = NEW.party_id;
  END IF;
  RETURN NULL;
END
$fn$ LANGUAGE plpgsql;
CREATE TRIGGER party_active_count_ai AFTER INSERT ON party_participants
  FOR EACH ROW WHEN (NEW.is_active) EXECUTE FUNCTION party_active_count();
CREATE TRIGGER party_active_count_ad AFTER DELETE ON party_participants
  FOR EACH ROW WHEN (OLD.is_active) EXECUTE FUNCTION party_active_count();
CREATE TRIGGER party_active_count_au AFTER UPDATE OF is_active, party_id ON party_participants
  FOR EACH ROW WHEN (OLD.is_active IS DISTINCT FROM NEW.is_active OR OLD.party_id IS DISTINCT FROM NEW.party_id)
  EXECUTE FUNCTION party_active_count();

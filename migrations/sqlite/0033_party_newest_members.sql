-- party_state lists the host and moderators, then the newest joiners (docs/realtime.md): this
-- index reads those few rows of a big room in join order, newest first, instead of sorting
-- every member at each connect (bench/NOTES.md, "Joining one big room").
CREATE INDEX idx_participant_newest ON party_participants(party_id, is_active, role, joined_at, user_id);

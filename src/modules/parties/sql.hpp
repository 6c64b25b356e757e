#pragma once
// Every SQL text of the parties store, and the column table of each row it
// reads. Only store.cpp includes this. A row query (kPartyById, ...) is the
// text after the SELECT list: db::select_rows puts the list first.
#include <cstdint>
#include <string>

#include "db/columns.hpp"
#include "modules/parties/model.hpp"

namespace wp::parties::sql {

// Where a user stands in a party, read under the party lock.
struct Membership {
  bool active = false, banned = false;
  Role role = Role::participant;
  JoinRequest join_request = JoinRequest::none;
};

struct EmojiCount {
  std::string emoji;
  std::int64_t count = 0;
};

struct UserId {
  std::string id;
};

// ---------------------------------------------------------------- row tables

inline const db::Columns<UserId> kUserId{{"x.uid", &UserId::id}};

inline const db::Columns<PartyRow> kParty{
    {"p.id", &PartyRow::id},
    {"p.host_id", &PartyRow::host_id},
    {"u.username", &PartyRow::host_username},
    {"p.video_id", &PartyRow::video_id},
    {"p.media_url", &PartyRow::media_url},
    {"p.title", &PartyRow::title},
    {"p.description", &PartyRow::description},
    {"p.status", &PartyRow::status},
    {"p.room_code", &PartyRow::room_code},
    {"p.visibility", &PartyRow::visibility},
    {"p.max_participants", &PartyRow::max_participants},
    {"p.scheduled_start", &PartyRow::scheduled_start},
    {"p.actual_start", &PartyRow::actual_start},
    {"p.ended_at", &PartyRow::ended_at},
    {"p.settings", &PartyRow::settings},
    {"p.playback", &PartyRow::playback},
    {"p.created_at", &PartyRow::created_at},
    {"p.updated_at", &PartyRow::updated_at},
    {"p.active_participants",  // kept by triggers (migration 0034)
     &PartyRow::participant_count},
    {"p.group_id", &PartyRow::group_id},
};

inline const db::Columns<ParticipantRow> kParticipant{
    {"pp.id", &ParticipantRow::id},
    {"pp.party_id", &ParticipantRow::party_id},
    {"pp.user_id", &ParticipantRow::user_id},
    {"u.username", &ParticipantRow::username},
    {"pp.role", &ParticipantRow::role},
    {"pp.is_active", &ParticipantRow::is_active},
    {"pp.is_banned", &ParticipantRow::is_banned},
    {"pp.is_muted", &ParticipantRow::is_muted},
    {"pp.join_request", &ParticipantRow::join_request},
    {"pp.joined_at", &ParticipantRow::joined_at},
};

inline const db::Columns<Membership> kMembership{
    {"is_active", &Membership::active},
    {"is_banned", &Membership::banned},
    {"role", &Membership::role},
    {"join_request", &Membership::join_request},
};

inline const db::Columns<MessageRow> kMessage{
    {"m.id", &MessageRow::id},
    {"m.party_id", &MessageRow::party_id},
    {"m.user_id", &MessageRow::user_id},
    {"u.username", &MessageRow::username},
    {"m.content", &MessageRow::content},
    {"m.message_type", &MessageRow::message_type},
    {"m.sent_at", &MessageRow::sent_at},
};

inline const db::Columns<EmojiCount> kEmojiCount{
    {"emoji", &EmojiCount::emoji},
    {"COUNT(*)", &EmojiCount::count},
};

inline const db::Columns<InvitationRow> kInvitation{
    {"i.id", &InvitationRow::id},
    {"i.party_id", &InvitationRow::party_id},
    {"p.title", &InvitationRow::party_title},
    {"i.inviter_id", &InvitationRow::inviter_id},
    {"u.username", &InvitationRow::inviter_username},
    {"i.invitee_id", &InvitationRow::invitee_id},
    {"i.status", &InvitationRow::status},
    {"i.created_at", &InvitationRow::created_at},
};

// ---------------------------------------------------------------- parties

inline constexpr const char* kInsertParty =
    "INSERT INTO watch_parties (id, host_id, video_id, media_url, title, description, status, room_code, "
    "visibility, max_participants, scheduled_start, actual_start, settings, playback, created_at, updated_at, group_id) "
    "VALUES (:id, :h, :v, :m, :t, :d, :st, :rc, :vis, :max, :ss, :as, :set, :pb, :c, :u, :g)";
inline constexpr const char* kPartyById = "FROM watch_parties p JOIN users u ON u.id = p.host_id WHERE p.id = :id";
// Notifications (#15): scheduled parties whose start falls in (a, b], and whom to tell (members, invitees).
inline constexpr const char* kStartingBetween =
    "FROM watch_parties p JOIN users u ON u.id = p.host_id WHERE p.status = 'scheduled' AND p.scheduled_start > :a "
    "AND p.scheduled_start <= :b ORDER BY p.scheduled_start, p.id";
inline constexpr const char* kStartAudience =
    "FROM (SELECT user_id AS uid FROM party_participants WHERE party_id = :p AND is_active = TRUE UNION SELECT "
    "invitee_id FROM party_invitations WHERE party_id = :p2 AND status = 'pending') x";
inline constexpr const char* kPartyByCode =
    "FROM watch_parties p JOIN users u ON u.id = p.host_id WHERE p.room_code = :c";
inline constexpr const char* kCountRoomCode = "SELECT COUNT(*) FROM watch_parties WHERE room_code = :c";
// Not host_id: only joins and leaves change it, under the party lock; a copy read
// before a concurrent handover must not put the old host back.
inline constexpr const char* kUpdateParty =
    "UPDATE watch_parties SET title = :t, description = :d, status = :st, visibility = :vis, max_participants = :max, "
    "scheduled_start = :ss, actual_start = :as, ended_at = :e, settings = :set, updated_at = :u WHERE id = :id";
inline constexpr const char* kDeleteParty = "DELETE FROM watch_parties WHERE id = :id";
inline constexpr const char* kSavePlayback =
    "UPDATE watch_parties SET playback = :pb, playback_version = :v WHERE id = :id AND playback_version < :v2";

// The party list: kPartyFrom (kCountParties) + kAnyParty + the filters that
// apply, then kPartyPage.
inline constexpr const char* kPartyFrom = "FROM watch_parties p JOIN users u ON u.id = p.host_id";
inline constexpr const char* kCountParties = "SELECT COUNT(*) FROM watch_parties p";
inline constexpr const char* kAnyParty = " WHERE 1=1";
// A party of a private group is never listed publicly (the groups tables are read here, not written).
inline constexpr const char* kListedPublicly =
    " AND p.visibility = 'public' AND p.status <> 'ended' AND NOT EXISTS (SELECT 1 FROM social_groups pg WHERE "
    "pg.id = p.group_id AND pg.is_private = TRUE)";
// What a viewer may see: public parties (but not of a private group), any party they belong to or are
// invited to (by someone not blocked with them either way), the parties of the groups they are an active member of, and `friends` parties (not of a
// private group) of a host they are friends with (the social graph's friendships).
inline constexpr const char* kVisibleToViewer =
    " AND ((p.visibility = 'public' AND NOT EXISTS (SELECT 1 FROM social_groups pg WHERE pg.id = p.group_id AND "
    "pg.is_private = TRUE)) OR EXISTS (SELECT 1 FROM party_participants m WHERE m.party_id = p.id AND "
    "m.user_id = :viewer AND m.is_banned = FALSE) OR EXISTS (SELECT 1 FROM party_invitations i WHERE i.party_id = "
    "p.id AND i.invitee_id = :viewer2 AND i.status <> 'declined' AND NOT EXISTS (SELECT 1 FROM user_blocks ib "
    "WHERE (ib.blocker_id = i.inviter_id AND ib.blocked_id = i.invitee_id) OR (ib.blocker_id = i.invitee_id AND "
    "ib.blocked_id = i.inviter_id))) OR EXISTS (SELECT 1 FROM group_memberships gm "
    "WHERE gm.group_id = p.group_id AND gm.user_id = :viewer5 AND gm.status = 'active') OR (p.visibility = "
    "'friends' AND NOT EXISTS (SELECT 1 FROM social_groups pg2 WHERE pg2.id = p.group_id AND pg2.is_private = TRUE) "
    "AND EXISTS (SELECT 1 FROM friendships fr WHERE fr.status = 'accepted' AND ((fr.user_low = p.host_id AND "
    "fr.user_high = :viewer6) OR (fr.user_high = p.host_id AND fr.user_low = :viewer7)))))";
inline constexpr const char* kInGroup = " AND p.group_id = :group";
// ---- mobile home (#21): PartyFilter::of_friends_or_groups (the social graph's and the groups' tables, read).
inline constexpr const char* kOfFriendsOrGroups =
    " AND p.host_id <> :fg0 AND (p.host_id IN (SELECT f1.user_high FROM friendships f1 WHERE f1.user_low = :fg1 AND "
    "f1.status = 'accepted' UNION SELECT f2.user_low FROM friendships f2 WHERE f2.user_high = :fg2 AND f2.status = "
    "'accepted') OR p.group_id IN (SELECT gm2.group_id FROM group_memberships gm2 WHERE gm2.user_id = :fg3 AND "
    "gm2.status = 'active')) AND NOT EXISTS (SELECT 1 FROM user_blocks fb WHERE (fb.blocker_id = :fg4 AND "
    "fb.blocked_id = p.host_id) OR (fb.blocker_id = p.host_id AND fb.blocked_id = :fg5))";
// ---- end mobile home
inline constexpr const char* kWithStatus = " AND p.status = :status";
inline constexpr const char* kWithVisibility = " AND p.visibility = :visibility";
inline constexpr const char* kViewerIsMember =
    " AND EXISTS (SELECT 1 FROM party_participants m2 WHERE m2.party_id = p.id AND m2.user_id = :viewer3 AND "
    "m2.is_active = TRUE)";
// The active host: host_id keeps naming a host who left an empty party.
inline constexpr const char* kViewerIsHost =
    " AND EXISTS (SELECT 1 FROM party_participants h WHERE h.party_id = p.id AND h.user_id = :viewer4 AND "
    "h.is_active = TRUE AND h.role = 'host')";
inline constexpr const char* kWithTitleLike = " AND LOWER(p.title) LIKE :search ESCAPE '\\'";
inline constexpr const char* kPartyPage = " ORDER BY p.created_at DESC, p.id LIMIT :lim OFFSET :off";

// ---------------------------------------------------------------- participants

inline constexpr const char* kParticipantOf =
    "FROM party_participants pp JOIN users u ON u.id = pp.user_id WHERE pp.party_id = :p AND pp.user_id = :u";
inline constexpr const char* kActiveParticipants =
    "FROM party_participants pp JOIN users u ON u.id = pp.user_id WHERE pp.party_id = :p AND pp.is_active = TRUE "
    "ORDER BY pp.joined_at";
// The first of party_state's list: the host and moderators (host first), then the newest plain
// participants (most likely online), each read through idx_participant_newest (migration 0033).
inline constexpr const char* kActiveStaff =
    "FROM party_participants pp JOIN users u ON u.id = pp.user_id WHERE pp.party_id = :p AND pp.is_active = TRUE "
    "AND pp.role IN ('host', 'moderator') ORDER BY CASE pp.role WHEN 'host' THEN 0 ELSE 1 END, pp.joined_at, "
    "pp.user_id LIMIT :lim";
inline constexpr const char* kNewestParticipants =
    "FROM party_participants pp JOIN users u ON u.id = pp.user_id WHERE pp.party_id = :p AND pp.is_active = TRUE "
    "AND pp.role = 'participant' ORDER BY pp.joined_at DESC, pp.user_id DESC LIMIT :lim";
// Leaves out users blocked with :viewer either way (the social graph's user_blocks).
inline constexpr const char* kActiveParticipantsSeenBy =
    "FROM party_participants pp JOIN users u ON u.id = pp.user_id WHERE pp.party_id = :p AND pp.is_active = TRUE "
    "AND NOT EXISTS (SELECT 1 FROM user_blocks b WHERE (b.blocker_id = :v1 AND b.blocked_id = pp.user_id) OR "
    "(b.blocker_id = pp.user_id AND b.blocked_id = :v2)) ORDER BY pp.joined_at";
inline constexpr const char* kPendingParticipantsSeenBy =
    "FROM party_participants pp JOIN users u ON u.id = pp.user_id WHERE pp.party_id = :p AND "
    "pp.join_request = 'pending' AND NOT EXISTS (SELECT 1 FROM user_blocks b WHERE (b.blocker_id = :v1 AND "
    "b.blocked_id = pp.user_id) OR (b.blocker_id = pp.user_id AND b.blocked_id = :v2)) ORDER BY pp.joined_at";
inline constexpr const char* kPendingParticipants =
    "FROM party_participants pp JOIN users u ON u.id = pp.user_id WHERE pp.party_id = :p AND "
    "pp.join_request = 'pending' ORDER BY pp.joined_at";
inline constexpr const char* kMemberOfPartyPlaying =
    "SELECT CASE WHEN EXISTS (SELECT 1 FROM party_participants pp JOIN watch_parties p ON p.id = pp.party_id "
    "WHERE pp.user_id = :u AND pp.is_active = TRUE AND p.video_id = :v) THEN 1 ELSE 0 END";
inline constexpr const char* kCountUser = "SELECT COUNT(*) FROM users WHERE id = :id";
// The users blocked with :a either way (the social graph's user_blocks, read here, never written).
inline constexpr const char* kBlockedWith =
    "FROM (SELECT blocked_id AS uid FROM user_blocks WHERE blocker_id = :a UNION SELECT blocker_id FROM user_blocks "
    "WHERE blocked_id = :b) x";

// Membership changes run in one transaction that first reads the party row
// (kPartyCap: its seats and members now): on PostgreSQL with kForUpdate,
// which locks it; SQLite's BEGIN IMMEDIATE already serializes writers.
struct PartyCap {
  int max = 0;
  std::int64_t active = 0;
};
inline const db::Columns<PartyCap> kPartyCap{
    {"max_participants", &PartyCap::max},
    {"active_participants", &PartyCap::active},  // kept by triggers (migration 0034)
};
inline constexpr const char* kLockPartyOf = "FROM watch_parties WHERE id = :id";
inline constexpr const char* kForUpdate = " FOR UPDATE";
inline constexpr const char* kMembershipOf = "FROM party_participants WHERE party_id = :p AND user_id = :u";
inline const db::Columns<UserId> kHostId{{"user_id", &UserId::id}};
inline constexpr const char* kActiveHostOf =
    "FROM party_participants WHERE party_id = :p AND is_active = TRUE AND role = 'host' LIMIT 1";
inline constexpr const char* kInsertParticipant =
    "INSERT INTO party_participants (id, party_id, user_id, role, joined_at) VALUES (:id, :p, :u, :r, :t)";
inline constexpr const char* kActivate =
    "UPDATE party_participants SET is_active = TRUE, join_request = 'none', left_at = NULL, joined_at = :t, "
    "role = :r WHERE party_id = :p AND user_id = :u";
inline constexpr const char* kStillPending = " AND join_request = 'pending'";
inline constexpr const char* kSetHost = "UPDATE watch_parties SET host_id = :u, updated_at = :t WHERE id = :p";
inline constexpr const char* kRequestAgain =
    "UPDATE party_participants SET join_request = 'pending', joined_at = :t WHERE party_id = :p AND user_id = :u";
inline constexpr const char* kInsertRequest =
    "INSERT INTO party_participants (id, party_id, user_id, role, is_active, join_request, joined_at) VALUES "
    "(:id, :p, :u, 'participant', FALSE, 'pending', :t)";
inline constexpr const char* kReject =
    "UPDATE party_participants SET join_request = 'rejected' WHERE party_id = :p AND user_id = :u AND "
    "join_request = 'pending'";
// Never active (left_at unset): the row was only the request.
inline constexpr const char* kDeleteRequestOnly =
    "DELETE FROM party_participants WHERE party_id = :p AND user_id = :u AND join_request = 'pending' AND "
    "is_active = FALSE AND left_at IS NULL";
inline constexpr const char* kWithdrawRequest =
    "UPDATE party_participants SET join_request = 'none' WHERE party_id = :p AND user_id = :u AND "
    "join_request = 'pending'";
inline constexpr const char* kLeave =
    "UPDATE party_participants SET is_active = FALSE, left_at = :t, role = CASE WHEN role = 'host' THEN "
    "'participant' ELSE role END WHERE party_id = :p AND user_id = :u";
// Host handover: the longest-present moderator, else participant.
inline constexpr const char* kNextHost =
    "SELECT user_id FROM party_participants WHERE party_id = :p AND is_active = TRUE ORDER BY CASE role WHEN "
    "'moderator' THEN 0 ELSE 1 END, joined_at LIMIT 1";
inline constexpr const char* kSetRole = "UPDATE party_participants SET role = :r WHERE party_id = :p AND user_id = :u";
// The host's role only changes by leaving (they may have become host meanwhile).
inline constexpr const char* kSetRoleOfNonHost =
    "UPDATE party_participants SET role = :r WHERE party_id = :p AND user_id = :u AND is_active = TRUE AND "
    "role <> 'host'";
inline constexpr const char* kSetMuted =
    "UPDATE party_participants SET is_muted = :m WHERE party_id = :p AND user_id = :u";
inline constexpr const char* kRemoveNonHost =
    "UPDATE party_participants SET is_active = FALSE, join_request = 'none', left_at = :t, is_banned = CASE WHEN "
    ":b = 1 THEN TRUE ELSE is_banned END WHERE party_id = :p AND user_id = :u AND role <> 'host'";

// ---------------------------------------------------------------- chat and reactions

inline constexpr const char* kInsertMessage =
    "INSERT INTO party_messages (id, party_id, user_id, content, message_type, sent_at) VALUES (:id, :p, :u, :c, "
    ":mt, :t)";
inline constexpr const char* kNewestMessages =
    "FROM party_messages m JOIN users u ON u.id = m.user_id WHERE m.party_id = :p ORDER BY m.sent_at DESC, "
    "m.id DESC LIMIT :lim";
inline constexpr const char* kMessagesBefore =
    "FROM party_messages m JOIN users u ON u.id = m.user_id WHERE m.party_id = :p AND (m.sent_at < (SELECT sent_at "
    "FROM party_messages WHERE id = :b1) OR (m.sent_at = (SELECT sent_at FROM party_messages WHERE id = :b2) AND "
    "m.id < :b3)) ORDER BY m.sent_at DESC, m.id DESC LIMIT :lim";
inline constexpr const char* kMessagesAfter =
    "FROM party_messages m JOIN users u ON u.id = m.user_id WHERE m.party_id = :p AND (m.sent_at > (SELECT sent_at "
    "FROM party_messages WHERE id = :a1) OR (m.sent_at = (SELECT sent_at FROM party_messages WHERE id = :a2) AND "
    "m.id > :a3)) ORDER BY m.sent_at, m.id LIMIT :lim";
inline constexpr const char* kInsertReaction =
    "INSERT INTO party_reactions (id, party_id, user_id, emoji, video_timestamp, created_at) VALUES (:id, :p, :u, "
    ":e, :ts, :t)";
inline constexpr const char* kReactionCounts = "FROM party_reactions WHERE party_id = :p GROUP BY emoji";

// ---------------------------------------------------------------- invitations and reports

// Creates or re-opens (as pending) an invitation. A plain member's invitation
// does not take away the admission a moderator's gave.
inline constexpr const char* kUpsertInvitation =
    "INSERT INTO party_invitations (id, party_id, inviter_id, invitee_id, status, created_at, admits) VALUES (:id, "
    ":p, :i, :u, :st, :t, :a) ON CONFLICT (party_id, invitee_id) DO UPDATE SET status = excluded.status, "
    "inviter_id = excluded.inviter_id, created_at = excluded.created_at, responded_at = NULL, admits = "
    "(excluded.admits OR (party_invitations.status <> 'declined' AND party_invitations.admits))";
inline constexpr const char* kInvitationById =
    "FROM party_invitations i JOIN watch_parties p ON p.id = i.party_id JOIN users u ON u.id = i.inviter_id "
    "WHERE i.id = :id";
// An invitation counts only while inviter and invitee are not blocked either way (the social
// graph's user_blocks): blocking withdraws the pending ones, and this covers an invitation
// that raced the block and one accepted before it.
#define WP_INVITATION_NOT_BLOCKED                                                                               \
  " AND NOT EXISTS (SELECT 1 FROM user_blocks ib WHERE (ib.blocker_id = i.inviter_id AND ib.blocked_id = "     \
  "i.invitee_id) OR (ib.blocker_id = i.invitee_id AND ib.blocked_id = i.inviter_id))"
inline constexpr const char* kPendingInvitationsOf =
    "FROM party_invitations i JOIN watch_parties p ON p.id = i.party_id JOIN users u ON u.id = i.inviter_id "
    "WHERE i.invitee_id = :u AND i.status = 'pending'" WP_INVITATION_NOT_BLOCKED
    " ORDER BY i.created_at DESC LIMIT :lim OFFSET :off";
inline constexpr const char* kCountPendingInvitationsOf =
    "SELECT COUNT(*) FROM party_invitations i WHERE i.invitee_id = :u AND i.status = 'pending'" WP_INVITATION_NOT_BLOCKED;
// Blocking withdraws the pair's pending invitations, both ways.
inline constexpr const char* kWithdrawInvitationsBetween =
    "DELETE FROM party_invitations WHERE status = 'pending' AND ((inviter_id = :a AND invitee_id = :b) OR "
    "(inviter_id = :c AND invitee_id = :d))";
inline constexpr const char* kSetInvitationStatus =
    "UPDATE party_invitations SET status = :st, responded_at = :t WHERE id = :id";
inline constexpr const char* kCountInvitations =
    "SELECT COUNT(*) FROM party_invitations i WHERE i.party_id = :p AND i.invitee_id = :u AND i.status <> "
    "'declined'" WP_INVITATION_NOT_BLOCKED;
inline constexpr const char* kCountAdmittingInvitations =
    "SELECT COUNT(*) FROM party_invitations i WHERE i.party_id = :p AND i.invitee_id = :u AND i.status <> "
    "'declined' AND i.admits = TRUE" WP_INVITATION_NOT_BLOCKED;
#undef WP_INVITATION_NOT_BLOCKED
// ---------------------------------------------------------------- moderation (#19)

inline constexpr const char* kMessageById = "FROM party_messages m JOIN users u ON u.id = m.user_id WHERE m.id = :id";
// A removed message keeps its row (history and resume stay in order) with no text.
inline constexpr const char* kHideMessage =
    "UPDATE party_messages SET content = '', message_type = 'removed' WHERE id = :id AND message_type <> 'removed'";
inline constexpr const char* kRestoreMessage =
    "UPDATE party_messages SET content = :c, message_type = :mt WHERE id = :id AND message_type = 'removed'";

}  // namespace wp::parties::sql

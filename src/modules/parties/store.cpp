#include "modules/parties/store.hpp"

#include <soci/soci.h>

#include "core/ids.hpp"
#include "db/affected.hpp"
#include "db/columns.hpp"
#include "db/kept.hpp"
#include "db/like.hpp"
#include "db/soci_optional.hpp"
#include "modules/parties/sql.hpp"

namespace wp::parties {

using soci::into;
using soci::use;

namespace {

// Whether a COUNT(*) query over these parameters finds anything.
template <class... Ts>
bool found(soci::session& s, const char* count_sql, const Ts&... values) {
  return db::fetch_count(s, count_sql, db::uses(values...)) > 0;
}

// Runs a prepared change and tells whether it touched a row.
using db::changed;

// The WHERE of the party list, its parameters added to p.
std::string list_where(const PartyFilter& f, const std::string& viewer, db::NamedParams& p) {
  std::string where = sql::kAnyParty;
  if (f.public_only) {
    where += sql::kListedPublicly;
  } else {
    where += sql::kVisibleToViewer;
    p.add("viewer", viewer);
    p.add("viewer2", viewer);
    p.add("viewer5", viewer);
    p.add("viewer6", viewer);
    p.add("viewer7", viewer);
  }
  if (f.group_id) {
    where += sql::kInGroup;
    p.add("group", *f.group_id);
  }
  if (f.of_friends_or_groups) {
    where += sql::kOfFriendsOrGroups;
    for (auto name : {"fg0", "fg1", "fg2", "fg3", "fg4", "fg5"}) p.add(name, viewer);
  }
  if (f.status) {
    where += sql::kWithStatus;
    p.add("status", std::string(to_string(*f.status)));
  }
  if (f.visibility) {
    where += sql::kWithVisibility;
    p.add("visibility", std::string(to_string(*f.visibility)));
  }
  if (f.mine) {
    where += sql::kViewerIsMember;
    p.add("viewer3", viewer);
  }
  if (f.hosting) {
    where += sql::kViewerIsHost;
    p.add("viewer4", viewer);
  }
  if (f.search) {
    where += sql::kWithTitleLike;
    p.add("search", db::like_pattern(*f.search));
  }
  return where;
}

// The statements of every membership change, kept prepared: each join runs them.
struct MembershipStatements {
  explicit MembershipStatements(db::Database& db)
      : lock(db, sql::kPartyCap,
             std::string(sql::kLockPartyOf) + (db.dialect() == db::Dialect::postgresql ? sql::kForUpdate : "")),
        membership(db, sql::kMembership, sql::kMembershipOf),
        active_host(db, sql::kHostId, sql::kActiveHostOf),
        insert_participant(db, sql::kInsertParticipant) {}
  db::KeptSelect<sql::PartyCap, std::string> lock;
  db::KeptSelect<sql::Membership, std::string, std::string> membership;
  db::KeptSelect<sql::UserId, std::string> active_host;
  db::KeptWrite<std::string, std::string, std::string, std::string, long long> insert_participant;  // id, party, user, role, at
};

// Locks the party row (see sql::kPartyCap) and returns its seats and members (none: no party).
sql::PartyCap lock_party(soci::session& s, const MembershipStatements& reads, const std::string& party_id) {
  return reads.lock.one(s, party_id).value_or(sql::PartyCap{});
}

std::optional<sql::Membership> membership(soci::session& s, const MembershipStatements& reads, const std::string& party_id,
                                          const std::string& user_id) {
  return reads.membership.one(s, party_id, user_id);
}

// Makes the user's row active (the row `m` read, or a new one); they take the
// host role when nobody active holds it. With `only_pending` the row is
// admitted only while its request is still pending. Returns their role, or
// nothing when that guard found no pending request.
std::optional<Role> activate(soci::session& s, const MembershipStatements& st, const std::string& party_id,
                             const std::string& user_id, const std::optional<sql::Membership>& m, bool only_pending,
                             long long t) {
  bool hostless = !st.active_host.one(s, party_id);
  Role role = hostless ? Role::host : m ? m->role : Role::participant;
  std::string r(to_string(role));
  if (m) {
    std::string update = sql::kActivate;
    if (only_pending) update += sql::kStillPending;
    if (!changed((s.prepare << update, use(t), use(r), use(party_id), use(user_id)))) return std::nullopt;
  } else {
    st.insert_participant.run(s, new_uuid(), party_id, user_id, r, t);
  }
  if (hostless) s << sql::kSetHost, use(user_id), use(t), use(party_id);
  return role;
}

}  // namespace

struct Store::Kept {
  explicit Kept(db::Database& db)
      : party(db, sql::kParty, sql::kPartyById),
        participant(db, sql::kParticipant, sql::kParticipantOf),
        active_staff(db, sql::kParticipant, sql::kActiveStaff),
        newest_participants(db, sql::kParticipant, sql::kNewestParticipants),
        newest_messages(db, sql::kMessage, sql::kNewestMessages),
        blocked_with(db, sql::kUserId, sql::kBlockedWith),
        membership(db),
        insert_message(db, sql::kInsertMessage) {}
  db::KeptSelect<PartyRow, std::string> party;
  db::KeptSelect<ParticipantRow, std::string, std::string> participant;
  db::KeptSelect<ParticipantRow, std::string, int> active_staff;
  db::KeptSelect<ParticipantRow, std::string, int> newest_participants;
  db::KeptSelect<MessageRow, std::string, int> newest_messages;
  db::KeptSelect<sql::UserId, std::string, std::string> blocked_with;
  MembershipStatements membership;
  db::KeptWrite<std::string, std::string, std::string, std::string, std::string, long long>
      insert_message;  // id, party, user, content, type, at
};

Store::Store(db::Database& db) : db_(db), kept_(std::make_unique<Kept>(db)) {}
Store::~Store() = default;

// ---------------------------------------------------------------- parties

void Store::create_party(const PartyRow& p, const ParticipantRow& host) {
  long long created = p.created_at, updated = p.updated_at, joined = host.joined_at;
  std::optional<long long> scheduled = p.scheduled_start, actual = p.actual_start;
  std::string status(to_string(p.status)), visibility(to_string(p.visibility)), role(to_string(host.role));
  db_.tx([&](soci::session& s) {
    s << sql::kInsertParty, use(p.id), use(p.host_id), use(p.video_id), use(p.media_url), use(p.title),
        use(p.description), use(status), use(p.room_code), use(visibility), use(p.max_participants), use(scheduled),
        use(actual), use(p.settings), use(p.playback), use(created), use(updated), use(p.group_id);
    s << sql::kInsertParticipant, use(host.id), use(p.id), use(host.user_id), use(role), use(joined);
  });
}

std::optional<PartyRow> Store::party(const std::string& id) {
  return db_.with([&](soci::session& s) { return kept_->party.one(s, id); });
}

std::vector<PartyRow> Store::starting_between(std::int64_t after, std::int64_t until) {
  long long a = after, b = until;
  return db_.with(
      [&](soci::session& s) { return db::select_rows(s, sql::kParty, sql::kStartingBetween, db::uses(a, b)); });
}

std::vector<std::string> Store::start_audience(const std::string& party_id) {
  auto rows = db_.with([&](soci::session& s) {
    return db::select_rows(s, sql::kUserId, sql::kStartAudience, db::uses(party_id, party_id));
  });
  std::vector<std::string> out;
  for (auto& r : rows) out.push_back(r.id);
  return out;
}

std::optional<PartyRow> Store::party_by_code(const std::string& code) {
  return db_.with([&](soci::session& s) { return db::select_one(s, sql::kParty, sql::kPartyByCode, db::uses(code)); });
}

bool Store::room_code_taken(const std::string& code) {
  return db_.with([&](soci::session& s) { return found(s, sql::kCountRoomCode, code); });
}

std::vector<PartyRow> Store::parties(const PartyFilter& f, const std::string& viewer_id, int limit, int offset) {
  return db_.with([&](soci::session& s) {
    db::NamedParams p;
    std::string where = list_where(f, viewer_id, p);
    return db::select_rows(s, sql::kParty, sql::kPartyFrom + where + sql::kPartyPage, [&](soci::statement& st) {
      p.bind(st);
      st.exchange(use(limit, "lim"));
      st.exchange(use(offset, "off"));
    });
  });
}

long long Store::count_parties(const PartyFilter& f, const std::string& viewer_id) {
  return db_.with([&](soci::session& s) {
    db::NamedParams p;
    std::string where = list_where(f, viewer_id, p);
    return db::fetch_count(s, sql::kCountParties + where, [&](soci::statement& st) { p.bind(st); });
  });
}

void Store::update_party(const PartyRow& p) {
  long long updated = p.updated_at;
  std::optional<long long> scheduled = p.scheduled_start, actual = p.actual_start, ended = p.ended_at;
  std::string status(to_string(p.status)), visibility(to_string(p.visibility));
  db_.with([&](soci::session& s) {
    s << sql::kUpdateParty, use(p.title), use(p.description), use(status), use(visibility), use(p.max_participants),
        use(scheduled), use(actual), use(ended), use(p.settings), use(updated), use(p.id);
  });
}

void Store::delete_party(const std::string& id) {
  db_.with([&](soci::session& s) { s << sql::kDeleteParty, use(id); });
}

void Store::save_playback(const std::string& party_id, long long version, const std::string& playback_json) {
  db_.with([&](soci::session& s) {
    s << sql::kSavePlayback, use(playback_json), use(version), use(party_id), use(version);
  });
}

// ---------------------------------------------------------------- participants

std::optional<ParticipantRow> Store::participant(const std::string& party_id, const std::string& user_id) {
  return db_.with([&](soci::session& s) {
    return kept_->participant.one(s, party_id, user_id);
  });
}

bool Store::member_of_party_playing(const std::string& user_id, const std::string& video_id) {
  return db_.with([&](soci::session& s) { return found(s, sql::kMemberOfPartyPlaying, user_id, video_id); });
}

std::vector<ParticipantRow> Store::active_participants(const std::string& party_id) {
  return db_.with([&](soci::session& s) {
    return db::select_rows(s, sql::kParticipant, sql::kActiveParticipants, db::uses(party_id));
  });
}

std::vector<ParticipantRow> Store::first_participants(const std::string& party_id, int limit) {
  return db_.with([&](soci::session& s) { return first_participants_in(s, party_id, limit); });
}

std::vector<ParticipantRow> Store::first_participants_in(soci::session& s, const std::string& party_id, int limit) {
  auto out = kept_->active_staff.rows(s, party_id, limit);
  if (out.size() < static_cast<std::size_t>(limit))
    for (auto& p : kept_->newest_participants.rows(s, party_id, limit - static_cast<int>(out.size())))
      out.push_back(std::move(p));
  return out;
}

JoinerView Store::joiner_view(const std::string& party_id, const std::string& user_id, const JoinerReads& r) {
  return db_.read([&](soci::session& s) {
    JoinerView v;
    v.party = kept_->party.one(s, party_id);
    if (!v.party) return v;
    if (r.roster_limit > 0) v.roster = first_participants_in(s, party_id, r.roster_limit);
    v.recent = kept_->newest_messages.rows(s, party_id, r.recent);
    if (r.missed_after) v.missed = messages_after_in(s, party_id, *r.missed_after, r.missed_max);
    v.me = kept_->participant.one(s, party_id, user_id);
    v.blocked = blocked_with_in(s, user_id);
    return v;
  });
}

std::vector<ParticipantRow> Store::participants_seen_by(const std::string& party_id, ParticipantStatus status,
                                                        const std::string& viewer_id) {
  const char* rest =
      status == ParticipantStatus::pending ? sql::kPendingParticipantsSeenBy : sql::kActiveParticipantsSeenBy;
  return db_.with([&](soci::session& s) {
    return db::select_rows(s, sql::kParticipant, rest, db::uses(party_id, viewer_id, viewer_id));
  });
}

std::vector<ParticipantRow> Store::pending_participants(const std::string& party_id) {
  return db_.with([&](soci::session& s) {
    return db::select_rows(s, sql::kParticipant, sql::kPendingParticipants, db::uses(party_id));
  });
}

JoinResult Store::join(const std::string& party_id, const std::string& user_id, std::int64_t now,
                       bool needs_approval, int plan_cap) {
  long long t = now;
  return db_.tx([&](soci::session& s) -> JoinResult {
    auto cap = lock_party(s, kept_->membership, party_id);
    auto m = membership(s, kept_->membership, party_id, user_id);
    if (m && m->banned) return {JoinOutcome::banned};
    if (m && m->active) return {JoinOutcome::already_member, m->role};
    if (needs_approval) {
      if (m && m->join_request == JoinRequest::pending) return {JoinOutcome::already_requested};
      if (m && m->join_request == JoinRequest::rejected) return {JoinOutcome::declined};
      if (m) {
        s << sql::kRequestAgain, use(t), use(party_id), use(user_id);
      } else {
        std::string id = new_uuid();
        s << sql::kInsertRequest, use(id), use(party_id), use(user_id), use(t);
      }
      return {JoinOutcome::requested};
    }
    if (cap.active >= cap.max) return {JoinOutcome::full};
    if (cap.active >= plan_cap) return {JoinOutcome::plan_full};
    return {JoinOutcome::joined, *activate(s, kept_->membership, party_id, user_id, m, false, t)};
  });
}

ApproveOutcome Store::approve(const std::string& party_id, const std::string& user_id, std::int64_t now,
                              int plan_cap) {
  long long t = now;
  return db_.tx([&](soci::session& s) {
    auto cap = lock_party(s, kept_->membership, party_id);
    auto m = membership(s, kept_->membership, party_id, user_id);
    if (!m || m->join_request != JoinRequest::pending) return ApproveOutcome::not_requested;
    if (cap.active >= cap.max) return ApproveOutcome::full;
    if (cap.active >= plan_cap) return ApproveOutcome::plan_full;
    return activate(s, kept_->membership, party_id, user_id, m, true, t) ? ApproveOutcome::approved : ApproveOutcome::not_requested;
  });
}

bool Store::reject(const std::string& party_id, const std::string& user_id) {
  return db_.tx([&](soci::session& s) {
    lock_party(s, kept_->membership, party_id);
    return changed((s.prepare << sql::kReject, use(party_id), use(user_id)));
  });
}

bool Store::withdraw(const std::string& party_id, const std::string& user_id) {
  return db_.tx([&](soci::session& s) {
    lock_party(s, kept_->membership, party_id);
    if (changed((s.prepare << sql::kDeleteRequestOnly, use(party_id), use(user_id)))) return true;
    return changed((s.prepare << sql::kWithdrawRequest, use(party_id), use(user_id)));
  });
}

std::vector<std::string> Store::unknown_users(const std::vector<std::string>& ids) {
  return db_.with([&](soci::session& s) {
    std::vector<std::string> out;
    for (auto& id : ids)
      if (!found(s, sql::kCountUser, id)) out.push_back(id);
    return out;
  });
}

std::optional<std::string> Store::leave(const std::string& party_id, const std::string& user_id, std::int64_t now) {
  long long t = now;
  return db_.tx([&](soci::session& s) -> std::optional<std::string> {
    lock_party(s, kept_->membership, party_id);
    auto m = membership(s, kept_->membership, party_id, user_id);
    if (!m || !m->active) return std::nullopt;
    s << sql::kLeave, use(t), use(party_id), use(user_id);
    if (m->role != Role::host) return std::nullopt;
    std::string next;
    s << sql::kNextHost, into(next), use(party_id);
    if (!s.got_data()) return std::nullopt;
    std::string host(to_string(Role::host));
    s << sql::kSetRole, use(host), use(party_id), use(next);
    s << sql::kSetHost, use(next), use(t), use(party_id);
    return next;
  });
}

bool Store::set_role(const std::string& party_id, const std::string& user_id, Role new_role) {
  std::string role(to_string(new_role));
  return db_.tx([&](soci::session& s) {
    lock_party(s, kept_->membership, party_id);
    return changed((s.prepare << sql::kSetRoleOfNonHost, use(role), use(party_id), use(user_id)));
  });
}

void Store::set_muted(const std::string& party_id, const std::string& user_id, bool muted) {
  int m = muted;
  db_.with([&](soci::session& s) { s << sql::kSetMuted, use(m), use(party_id), use(user_id); });
}

bool Store::remove_participant(const std::string& party_id, const std::string& user_id, bool ban, std::int64_t now) {
  long long t = now;
  int b = ban;
  return db_.tx([&](soci::session& s) {
    lock_party(s, kept_->membership, party_id);
    return changed((s.prepare << sql::kRemoveNonHost, use(t), use(b), use(party_id), use(user_id)));
  });
}

std::vector<std::string> Store::blocked_with(const std::string& user_id) {
  return db_.with([&](soci::session& s) { return blocked_with_in(s, user_id); });
}

std::vector<std::string> Store::blocked_with_in(soci::session& s, const std::string& user_id) {
  std::vector<std::string> out;
  for (auto& r : kept_->blocked_with.rows(s, user_id, user_id)) out.push_back(std::move(r.id));
  return out;
}

// ---------------------------------------------------------------- chat and reactions

void Store::insert_message(const MessageRow& m) {
  long long t = m.sent_at;
  db_.with([&](soci::session& s) {
    kept_->insert_message.run(s, m.id, m.party_id, m.user_id, m.content, m.message_type, t);
  });
}

std::vector<MessageRow> Store::messages_before(const std::string& party_id, const std::optional<std::string>& before,
                                               int limit) {
  return db_.with([&](soci::session& s) {
    if (!before) return kept_->newest_messages.rows(s, party_id, limit);
    return db::select_rows(s, sql::kMessage, sql::kMessagesBefore,
                           db::uses(party_id, *before, *before, *before, limit));
  });
}

std::vector<MessageRow> Store::messages_after(const std::string& party_id, const std::string& after, int limit) {
  return db_.with([&](soci::session& s) { return messages_after_in(s, party_id, after, limit); });
}

std::vector<MessageRow> Store::messages_after_in(soci::session& s, const std::string& party_id,
                                                 const std::string& after, int limit) {
  return db::select_rows(s, sql::kMessage, sql::kMessagesAfter, db::uses(party_id, after, after, after, limit));
}

void Store::insert_reaction(const ReactionRow& r) {
  long long t = r.created_at;
  db_.with([&](soci::session& s) {
    s << sql::kInsertReaction, use(r.id), use(r.party_id), use(r.user_id), use(r.emoji), use(r.video_timestamp),
        use(t);
  });
}

std::map<std::string, long long> Store::reaction_counts(const std::string& party_id) {
  return db_.with([&](soci::session& s) {
    std::map<std::string, long long> out;
    for (auto& r : db::select_rows(s, sql::kEmojiCount, sql::kReactionCounts, db::uses(party_id)))
      out[r.emoji] = r.count;
    return out;
  });
}

// ---------------------------------------------------------------- invitations and reports

void Store::invite(const InvitationRow& inv) {
  long long t = inv.created_at;
  std::string pending(to_string(InvitationStatus::pending));
  int admits = inv.admits;
  db_.with([&](soci::session& s) {
    s << sql::kUpsertInvitation, use(inv.id), use(inv.party_id), use(inv.inviter_id), use(inv.invitee_id),
        use(pending), use(t), use(admits);
  });
}

std::optional<InvitationRow> Store::invitation(const std::string& id) {
  return db_.with(
      [&](soci::session& s) { return db::select_one(s, sql::kInvitation, sql::kInvitationById, db::uses(id)); });
}

std::vector<InvitationRow> Store::pending_invitations(const std::string& user_id, int limit, int offset) {
  return db_.with([&](soci::session& s) {
    return db::select_rows(s, sql::kInvitation, sql::kPendingInvitationsOf, db::uses(user_id, limit, offset));
  });
}

long long Store::count_pending_invitations(const std::string& user_id) {
  return db_.with(
      [&](soci::session& s) { return db::fetch_count(s, sql::kCountPendingInvitationsOf, db::uses(user_id)); });
}

void Store::set_invitation_status(const std::string& id, InvitationStatus status, std::int64_t now) {
  long long t = now;
  std::string text(to_string(status));
  db_.with([&](soci::session& s) { s << sql::kSetInvitationStatus, use(text), use(t), use(id); });
}

void Store::withdraw_invitations_between(const std::string& a, const std::string& b) {
  db_.with([&](soci::session& s) { s << sql::kWithdrawInvitationsBetween, use(a), use(b), use(b), use(a); });
}

bool Store::is_invited(const std::string& party_id, const std::string& user_id) {
  return db_.with([&](soci::session& s) { return found(s, sql::kCountInvitations, party_id, user_id); });
}

bool Store::invitation_admits(const std::string& party_id, const std::string& user_id) {
  return db_.with([&](soci::session& s) { return found(s, sql::kCountAdmittingInvitations, party_id, user_id); });
}

// ---------------------------------------------------------------- moderation (#19)

std::optional<MessageRow> Store::message(const std::string& id) {
  return db_.with([&](soci::session& s) { return db::select_one(s, sql::kMessage, sql::kMessageById, db::uses(id)); });
}

bool Store::hide_message(const std::string& id) {
  return db_.with([&](soci::session& s) {
    soci::statement st = (s.prepare << sql::kHideMessage, use(id));
    return db::execute_counting(st) > 0;
  });
}

bool Store::restore_message(const std::string& id, const std::string& content, const std::string& message_type) {
  return db_.with([&](soci::session& s) {
    soci::statement st = (s.prepare << sql::kRestoreMessage, use(content), use(message_type), use(id));
    return db::execute_counting(st) > 0;
  });
}

}  // namespace wp::parties

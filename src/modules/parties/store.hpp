#pragma once
// Every read and write of the watch-party tables (the SQL text is in sql.hpp).
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/parties/model.hpp"

namespace wp::parties {

// What a joiner's party_state reads (LiveRooms::send_party_state).
struct JoinerReads {
  int roster_limit = 0;                     // as first_participants; 0: not read (reused)
  int recent = 0;                           // the newest messages
  std::optional<std::string> missed_after;  // the message the joiner saw last, if any
  int missed_max = 0;
};
struct JoinerView {
  std::optional<PartyRow> party;
  std::vector<ParticipantRow> roster;
  std::vector<MessageRow> recent;                 // newest first
  std::optional<std::vector<MessageRow>> missed;  // oldest first
  std::optional<ParticipantRow> me;
  std::vector<std::string> blocked;               // as blocked_with
};

class Store {
 public:
  explicit Store(db::Database& db);
  ~Store();

  void create_party(const PartyRow& party, const ParticipantRow& host);
  std::optional<PartyRow> party(const std::string& id);
  std::optional<PartyRow> party_by_code(const std::string& code);
  bool room_code_taken(const std::string& code);
  // Parties visible to viewer_id under the filter.
  std::vector<PartyRow> parties(const PartyFilter& f, const std::string& viewer_id, int limit, int offset);
  long long count_parties(const PartyFilter& f, const std::string& viewer_id);
  // Everything the host may change (not host_id: joins and leaves own it).
  void update_party(const PartyRow& party);
  void delete_party(const std::string& id);
  // Writes the durable playback copy unless the stored one is as new or newer.
  void save_playback(const std::string& party_id, long long version, const std::string& playback_json);

  std::optional<ParticipantRow> participant(const std::string& party_id, const std::string& user_id);
  // Everything a joiner's party_state needs, in one snapshot on one session.
  JoinerView joiner_view(const std::string& party_id, const std::string& user_id, const JoinerReads& reads);
  // Whether the user is an active participant of some party that plays the video.
  bool member_of_party_playing(const std::string& user_id, const std::string& video_id);
  std::vector<ParticipantRow> active_participants(const std::string& party_id);
  // At most `limit` active participants: the host and moderators first, then the newest joiners.
  std::vector<ParticipantRow> first_participants(const std::string& party_id, int limit);
  // Active participants (or pending requests) but none blocked with viewer_id either way.
  std::vector<ParticipantRow> participants_seen_by(const std::string& party_id, ParticipantStatus status,
                                                   const std::string& viewer_id);
  // Join requests awaiting approval, oldest first.
  std::vector<ParticipantRow> pending_participants(const std::string& party_id);
  // Notifications (#15): scheduled parties starting in (after, until], and their members and invitees.
  std::vector<PartyRow> starting_between(std::int64_t after, std::int64_t until);
  std::vector<std::string> start_audience(const std::string& party_id);
  // Admits the user if a seat is free, atomically with the count, or records
  // a join request when needs_approval. Whoever joins a party without an
  // active host becomes its host (role and host_id, in the same transaction).
  // plan_cap: the host's plan's max_party_size (billing); a join at it is plan_full.
  JoinResult join(const std::string& party_id, const std::string& user_id, std::int64_t now, bool needs_approval,
                  int plan_cap);
  // Admits a pending request if a seat is free (atomically, as join).
  ApproveOutcome approve(const std::string& party_id, const std::string& user_id, std::int64_t now, int plan_cap);
  // Marks a pending request rejected (remembered: a join by that user is
  // refused until a moderator's invitation); false when there was none.
  bool reject(const std::string& party_id, const std::string& user_id);
  // The user takes back their own pending request; false when there was none.
  bool withdraw(const std::string& party_id, const std::string& user_id);
  // The users blocked with user_id, either way (the social graph's user_blocks).
  std::vector<std::string> blocked_with(const std::string& user_id);
  // The ids among `ids` that name no user.
  std::vector<std::string> unknown_users(const std::vector<std::string>& ids);
  // Marks the user gone; when they were the host, hands the party to the
  // longest-present moderator, else participant. Returns the new host.
  std::optional<std::string> leave(const std::string& party_id, const std::string& user_id, std::int64_t now);
  // Changes an active non-host's role; false when they are not (any more).
  bool set_role(const std::string& party_id, const std::string& user_id, Role role);
  void set_muted(const std::string& party_id, const std::string& user_id, bool muted);
  // Kicks or bans a non-host; false when they are the host (by now).
  bool remove_participant(const std::string& party_id, const std::string& user_id, bool ban, std::int64_t now);

  void insert_message(const MessageRow& m);
  // Newest first, strictly older than the message `before` when given.
  std::vector<MessageRow> messages_before(const std::string& party_id, const std::optional<std::string>& before,
                                          int limit);
  // Oldest first, strictly newer than the message `after`.
  std::vector<MessageRow> messages_after(const std::string& party_id, const std::string& after, int limit);

  void insert_reaction(const ReactionRow& r);
  std::map<std::string, long long> reaction_counts(const std::string& party_id);

  // Creates or re-opens (as pending) an invitation; false if the user is already a member.
  void invite(const InvitationRow& inv);
  std::optional<InvitationRow> invitation(const std::string& id);
  std::vector<InvitationRow> pending_invitations(const std::string& user_id, int limit, int offset);
  long long count_pending_invitations(const std::string& user_id);
  void set_invitation_status(const std::string& id, InvitationStatus status, std::int64_t now);
  // Deletes the pending invitations between the pair, both ways.
  void withdraw_invitations_between(const std::string& a, const std::string& b);
  // Invited (not declined) by someone not blocked with them either way.
  bool is_invited(const std::string& party_id, const std::string& user_id);
  // Invited (not declined) by the host or a moderator, so no approval is needed.
  bool invitation_admits(const std::string& party_id, const std::string& user_id);

  // moderation (#19): one chat message; hiding and restoring its text.
  std::optional<MessageRow> message(const std::string& id);
  bool hide_message(const std::string& id);
  bool restore_message(const std::string& id, const std::string& content, const std::string& message_type);

 private:
  // The reads above that joiner_view also makes, on a borrowed session.
  std::vector<ParticipantRow> first_participants_in(soci::session& s, const std::string& party_id, int limit);
  std::vector<MessageRow> messages_after_in(soci::session& s, const std::string& party_id, const std::string& after,
                                            int limit);
  std::vector<std::string> blocked_with_in(soci::session& s, const std::string& user_id);

  db::Database& db_;
  // The reads of every party socket's connect, kept prepared (db/kept.hpp).
  struct Kept;
  std::unique_ptr<Kept> kept_;
};

}  // namespace wp::parties

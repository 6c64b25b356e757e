#pragma once
// Rows of the watch-party tables, as store reads and writes them.
#include <cstdint>
#include <optional>
#include <string>

namespace wp::parties {

struct PartyRow {
  std::string id;
  std::string host_id;
  std::string host_username;  // read only (joined)
  std::optional<std::string> video_id;
  std::string media_url;
  std::string title;
  std::string description;
  std::string status;      // scheduled | live | ended
  std::string room_code;
  std::string visibility;  // public | unlisted | private
  int max_participants = 50;
  std::optional<std::int64_t> scheduled_start, actual_start, ended_at;
  std::string settings = "{}";
  std::string playback = "{}";
  std::int64_t created_at = 0, updated_at = 0;
  long long participant_count = 0;  // read only (active participants)
};

struct ParticipantRow {
  std::string id;
  std::string party_id;
  std::string user_id;
  std::string username;  // read only
  std::string role;      // host | moderator | participant
  bool is_active = true;
  bool is_banned = false;
  bool is_muted = false;
  std::int64_t joined_at = 0;  // when they joined, or asked to
  // A join request: none | pending (awaiting approval, not active) | rejected (the host said no).
  std::string join_request = "none";
  bool is_pending() const { return join_request == "pending"; }
};

struct MessageRow {
  std::string id;
  std::string party_id;
  std::string user_id;
  std::string username;  // read only
  std::string content;
  std::string message_type = "text";
  std::int64_t sent_at = 0;
};

struct ReactionRow {
  std::string id;
  std::string party_id;
  std::string user_id;
  std::string username;
  std::string emoji;
  double video_timestamp = 0;
  std::int64_t created_at = 0;
};

struct InvitationRow {
  std::string id;
  std::string party_id;
  std::string party_title;       // read only
  std::string inviter_id;
  std::string inviter_username;  // read only
  std::string invitee_id;
  std::string status;  // pending | accepted | declined
  std::int64_t created_at = 0;
  bool admits = false;  // sent by the host or a moderator: the invitee skips approval
};

struct PartyFilter {
  std::optional<std::string> status, visibility, search;
  bool mine = false, hosting = false, public_only = false;
};

enum class JoinOutcome { joined, already_member, full, banned, requested, already_requested, declined };

struct JoinResult {
  JoinOutcome outcome;
  std::string role;  // when joined: "host" when the party had no active host
};

enum class ApproveOutcome { approved, full, not_requested };

}  // namespace wp::parties

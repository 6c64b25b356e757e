#pragma once
// Party polls (issue #17): the rows of their tables, the inputs of their
// rules and what a vote comes to. The rules are polls_service.hpp's.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/enum_names.hpp"

namespace wp::parties {

// open: votes are taken; closed: by hand, or at expires_at (then it is closed
// even before the timer has marked it).
enum class PollStatus { open, closed };

struct PollOptionRow {
  std::string id, poll_id;
  int position = 0;
  std::string text;
  std::int64_t votes_count = 0;
};

struct PollRow {
  std::string id, party_id;
  std::optional<std::string> creator_id;
  std::string creator_username;
  std::string question;
  bool multiple_choice = false, anonymous = false;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> expires_at, closed_at;
  std::vector<PollOptionRow> options;  // in order

  PollStatus status(std::int64_t now) const {
    return closed_at || (expires_at && *expires_at <= now) ? PollStatus::closed : PollStatus::open;
  }
};

// Who chose an option (named polls only ever show these).
struct PollVoter {
  std::string option_id, user_id, username;
};

struct CreatePollInput {
  std::string question;
  std::vector<std::string> options;
  bool multiple_choice = false, anonymous = false;
  std::optional<std::int64_t> duration_s;
};

// What a vote came to: taken, or refused because the poll is closed or expired.
enum class VoteOutcome { taken, closed };

// A poll the store closed: this node's close, to announce.
struct ClosedPoll {
  std::string id, party_id;
};

}  // namespace wp::parties

WP_ENUM_NAMES(wp::parties::PollStatus, {wp::parties::PollStatus::open, "open"},
              {wp::parties::PollStatus::closed, "closed"});

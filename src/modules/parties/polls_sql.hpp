#pragma once
// Every SQL text of the poll store, and the column table of each row it
// reads. Only polls_store.cpp includes this.
#include <string>

#include "db/columns.hpp"
#include "modules/parties/polls_model.hpp"

namespace wp::parties::sql::polls {

struct PollAndParty {
  std::string id, party_id;
};
struct OptionId {
  std::string id;
};

inline const db::Columns<PollRow> kPoll{
    {"p.id", &PollRow::id},
    {"p.party_id", &PollRow::party_id},
    {"p.creator_id", &PollRow::creator_id},
    {"COALESCE(u.username, '')", &PollRow::creator_username},
    {"p.question", &PollRow::question},
    {"p.is_multiple_choice", &PollRow::multiple_choice},
    {"p.is_anonymous", &PollRow::anonymous},
    {"p.created_at", &PollRow::created_at},
    {"p.expires_at", &PollRow::expires_at},
    {"p.closed_at", &PollRow::closed_at},
};

inline const db::Columns<PollOptionRow> kOption{
    {"o.id", &PollOptionRow::id},
    {"o.poll_id", &PollOptionRow::poll_id},
    {"o.position", &PollOptionRow::position},
    {"o.text", &PollOptionRow::text},
    {"o.votes_count", &PollOptionRow::votes_count},
};

inline const db::Columns<PollVoter> kVoter{
    {"v.option_id", &PollVoter::option_id},
    {"v.user_id", &PollVoter::user_id},
    {"u.username", &PollVoter::username},
};

inline const db::Columns<PollAndParty> kPollAndParty{{"p.id", &PollAndParty::id}, {"p.party_id", &PollAndParty::party_id}};
inline const db::Columns<OptionId> kOptionId{{"v.option_id", &OptionId::id}};

inline constexpr const char* kInsertPoll =
    "INSERT INTO party_polls (id, party_id, creator_id, question, is_multiple_choice, is_anonymous, created_at, "
    "expires_at) VALUES (:id, :p, :c, :q, :m, :a, :t, :e)";
inline constexpr const char* kInsertOption =
    "INSERT INTO party_poll_options (id, poll_id, position, text) VALUES (:id, :p, :pos, :t)";
inline constexpr const char* kPollById = "FROM party_polls p LEFT JOIN users u ON u.id = p.creator_id WHERE p.id = :id";
inline constexpr const char* kPollsOfParty =
    "FROM party_polls p LEFT JOIN users u ON u.id = p.creator_id WHERE p.party_id = :p "
    "ORDER BY p.created_at DESC, p.id DESC LIMIT :lim OFFSET :off";
inline constexpr const char* kCountPollsOfParty = "SELECT COUNT(*) FROM party_polls WHERE party_id = :p";
inline constexpr const char* kOptionsOfPoll = "FROM party_poll_options o WHERE o.poll_id = :p ORDER BY o.position";
inline constexpr const char* kVotersOfPoll =
    "FROM party_poll_votes v JOIN users u ON u.id = v.user_id WHERE v.poll_id = :p ORDER BY v.created_at, v.id";

// The vote's guard: touching the row locks it on PostgreSQL (SQLite's write
// transaction is already exclusive), so votes and the close of one poll
// happen one after another, and none lands once the poll is closed or expired.
inline constexpr const char* kLockOpenPoll =
    "UPDATE party_polls SET results_sent_at = results_sent_at WHERE id = :id AND closed_at IS NULL "
    "AND (expires_at IS NULL OR expires_at > :now)";
inline constexpr const char* kVotesOfUser = "FROM party_poll_votes v WHERE v.poll_id = :p AND v.user_id = :u";
inline constexpr const char* kInsertVote =
    "INSERT INTO party_poll_votes (id, poll_id, option_id, user_id, created_at) VALUES (:id, :p, :o, :u, :t)";
inline constexpr const char* kDeleteVote = "DELETE FROM party_poll_votes WHERE option_id = :o AND user_id = :u";
inline constexpr const char* kCountUp = "UPDATE party_poll_options SET votes_count = votes_count + 1 WHERE id = :o";
inline constexpr const char* kCountDown = "UPDATE party_poll_options SET votes_count = votes_count - 1 WHERE id = :o";

// Whoever sets closed_at announces the close; an expired poll closed by hand
// keeps its expiry as its closing time.
inline constexpr const char* kClosePoll =
    "UPDATE party_polls SET closed_at = CASE WHEN expires_at IS NOT NULL AND expires_at < :now1 THEN expires_at "
    "ELSE :now2 END WHERE id = :id AND closed_at IS NULL";
inline constexpr const char* kDuePolls =
    "FROM party_polls p WHERE p.closed_at IS NULL AND p.expires_at IS NOT NULL AND p.expires_at <= :now "
    "ORDER BY p.expires_at LIMIT :lim";
// A live poll_results is sent by whoever moves results_sent_at on, at most
// once per interval per poll on all nodes.
inline constexpr const char* kClaimResults =
    "UPDATE party_polls SET results_sent_at = :now WHERE id = :id AND results_sent_at <= :since";

}  // namespace wp::parties::sql::polls

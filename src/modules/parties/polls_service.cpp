// PollsService: creating, voting, closing and the live results of party polls.
#include "modules/parties/polls_service.hpp"

#include <algorithm>
#include <set>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "modules/parties/polls_protocol.hpp"

namespace wp::parties {

namespace {

constexpr std::size_t kMinOptions = 2, kMaxOptions = 10;

[[noreturn]] void poll_closed_error() { throw PartyError(ErrorCode::conflict, "poll_closed", "The poll is closed."); }

void check_options(const CreatePollInput& in) {
  if (in.options.size() < kMinOptions || in.options.size() > kMaxOptions)
    throw_validation("options", "A poll has 2 to 10 options.");
  std::set<std::string> seen;
  for (auto& text : in.options)
    if (!seen.insert(text).second) throw_validation("options", "Options must differ.");
}

// The chosen options, each once and each an option of the poll.
void check_choice(const PollRow& p, const std::vector<std::string>& option_ids) {
  if (option_ids.empty()) throw_validation("option_ids", "Choose an option.");
  if (!p.multiple_choice && option_ids.size() > 1) throw_validation("option_ids", "This poll takes one option.");
  std::set<std::string> seen;
  for (auto& id : option_ids) {
    bool known = std::any_of(p.options.begin(), p.options.end(), [&](auto& o) { return o.id == id; });
    if (!known) throw_validation("option_ids", "No such option in this poll: " + id + ".");
    if (!seen.insert(id).second) throw_validation("option_ids", "An option is chosen once.");
  }
}

}  // namespace

PollView PollsService::create(const Principal& user, const std::string& party_id, const CreatePollInput& in) {
  auto me = parties_.participation(user, party_id);
  if (!is_moderator_role(me.role)) throw_forbidden("Only the host or a moderator may create a poll.");
  if (parties_.get(user, party_id).status == PartyStatus::ended)
    throw PartyError(ErrorCode::conflict, "party_ended", "The party has ended.");
  check_options(in);
  PollRow p;
  p.id = new_uuid();
  p.party_id = party_id;
  p.creator_id = user.id;
  p.creator_username = user.username;
  p.question = in.question;
  p.multiple_choice = in.multiple_choice;
  p.anonymous = in.anonymous;
  p.created_at = now_ms();
  if (in.duration_s) p.expires_at = p.created_at + *in.duration_s * 1000;
  for (std::size_t i = 0; i < in.options.size(); ++i)
    p.options.push_back({new_uuid(), p.id, static_cast<int>(i), in.options[i], 0});
  store_.create(p);
  hub_.broadcast(party_id, realtime::make_message(protocol::poll_created(p, p.created_at)));
  publish_event(events_, {.type = "poll.created", .user_id = user.id, .party_id = party_id});
  return view(std::move(p), user);
}

std::vector<PollView> PollsService::list(const Principal& user, const std::string& party_id, int limit, int offset,
                                         long long& count) {
  parties_.participation(user, party_id);
  count = store_.count_polls_of(party_id);
  std::vector<PollView> out;
  for (auto& p : store_.polls_of(party_id, limit, offset)) out.push_back(view(std::move(p), user));
  return out;
}

PollView PollsService::vote(const Principal& user, const std::string& party_id, const std::string& poll_id,
                            const std::vector<std::string>& option_ids) {
  parties_.participation(user, party_id);
  auto p = poll_in(party_id, poll_id);
  auto now = now_ms();
  if (p.status(now) == PollStatus::closed) poll_closed_error();
  check_choice(p, option_ids);
  if (store_.vote(poll_id, user.id, option_ids, now) == VoteOutcome::closed) poll_closed_error();
  results_changed(poll_id, party_id);
  return view(poll_in(party_id, poll_id), user);
}

PollView PollsService::close(const Principal& user, const std::string& party_id, const std::string& poll_id) {
  auto me = parties_.participation(user, party_id);
  if (!is_moderator_role(me.role)) throw_forbidden("Only the host or a moderator may close a poll.");
  poll_in(party_id, poll_id);
  if (store_.close(poll_id, now_ms())) announce_closed(poll_id);
  return view(poll_in(party_id, poll_id), user);
}

void PollsService::tick() {
  auto now = now_ms();
  if (now - last_expiry_check_.load() >= kExpiryCheckMs) {
    last_expiry_check_ = now;
    for (auto& closed : store_.close_expired(now, 100)) announce_closed(closed.id);
  }
  std::map<std::string, Pending> waiting;
  {
    std::lock_guard lock(mu_);
    waiting = pending_;
  }
  for (auto& [poll_id, p] : waiting) {
    if (send_results(poll_id, p.party_id) || now - p.since < kStalePendingMs || store_.poll(poll_id)) continue;
    std::lock_guard lock(mu_);
    pending_.erase(poll_id);
  }
}

PollRow PollsService::poll_in(const std::string& party_id, const std::string& poll_id) {
  auto p = store_.poll(poll_id);
  if (!p || p->party_id != party_id) throw_not_found("Poll not found.");
  return *p;
}

PollView PollsService::view(PollRow poll, const Principal& user) {
  auto mine = store_.choices(poll.id, user.id);
  PollView v{std::move(poll), {}, std::move(mine)};
  if (v.poll.anonymous) return v;
  for (auto& voter : store_.voters(v.poll.id))
    if (!(relations_ && voter.user_id != user.id && relations_->blocked_between(user.id, voter.user_id)))
      v.voters.push_back(std::move(voter));
  return v;
}

void PollsService::announce_closed(const std::string& poll_id) {
  auto p = store_.poll(poll_id);
  if (!p) return;
  {
    // The close carries the final counts: no results wait behind it.
    std::lock_guard lock(mu_);
    pending_.erase(poll_id);
  }
  hub_.broadcast(p->party_id, realtime::make_message(protocol::poll_closed(*p, now_ms())));
}

void PollsService::results_changed(const std::string& poll_id, const std::string& party_id) {
  {
    std::lock_guard lock(mu_);
    pending_.try_emplace(poll_id, Pending{party_id, now_ms()});
  }
  send_results(poll_id, party_id);
}

// Claims the poll's next send in the database; the counts are read after the
// claim, so a vote committed before it is in them and one after it is pending.
bool PollsService::send_results(const std::string& poll_id, const std::string& party_id) {
  auto now = now_ms();
  if (!store_.claim_results(poll_id, now, now - kResultsIntervalMs)) return false;
  {
    std::lock_guard lock(mu_);
    pending_.erase(poll_id);
  }
  auto p = store_.poll(poll_id);
  if (p) hub_.broadcast(party_id, realtime::make_message(protocol::poll_results(*p, now)));
  return true;
}

}  // namespace wp::parties

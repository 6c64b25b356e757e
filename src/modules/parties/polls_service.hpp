#pragma once
// The poll rules of a party (issue #17): the host and moderators create and
// close polls; members vote and change their vote until the poll closes.
// Live over the party socket, on every node through the Hub: poll_created,
// poll_results (at most kResultsIntervalMs apart per poll, on all nodes
// together, and always followed by the final counts), poll_closed.
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/domain_events.hpp"
#include "core/principal.hpp"
#include "core/relations.hpp"
#include "modules/parties/polls_model.hpp"
#include "modules/parties/polls_store.hpp"
#include "modules/parties/service.hpp"
#include "realtime/hub.hpp"

namespace wp::parties {

// A poll as one viewer sees it: named polls list who chose what (but not the
// users blocked with the viewer); anonymous ones never do.
struct PollView {
  PollRow poll;
  std::vector<PollVoter> voters;
  std::vector<std::string> my_choices;
};

class PollsService {
 public:
  static constexpr std::int64_t kResultsIntervalMs = 200;  // 5 a second
  static constexpr std::int64_t kExpiryCheckMs = 250;
  // A poll whose results could not be claimed for this long is checked: a
  // deleted one (its party deleted) stops waiting.
  static constexpr std::int64_t kStalePendingMs = 2000;

  PollsService(PollStore& store, PartiesService& parties, realtime::Hub& hub) : store_(store), parties_(parties), hub_(hub) {}
  void set_relations(Relations& relations) { relations_ = &relations; }
  void set_events(const DomainEvents& events) { events_ = &events; }

  PollView create(const Principal& user, const std::string& party_id, const CreatePollInput& in);
  std::vector<PollView> list(const Principal& user, const std::string& party_id, int limit, int offset, long long& count);
  PollView vote(const Principal& user, const std::string& party_id, const std::string& poll_id,
                const std::vector<std::string>& option_ids);
  PollView close(const Principal& user, const std::string& party_id, const std::string& poll_id);

  // The server's timer (on the pool, every ~100 ms, on every node): closes the
  // expired polls (the database says which node announces each) and sends
  // the poll_results that waited for their interval.
  void tick();

 private:
  PollRow poll_in(const std::string& party_id, const std::string& poll_id);
  PollView view(PollRow poll, const Principal& user);
  void announce_closed(const std::string& poll_id);
  // A vote changed the counts: send them now if the interval allows, else later (tick).
  void results_changed(const std::string& poll_id, const std::string& party_id);
  bool send_results(const std::string& poll_id, const std::string& party_id);

  PollStore& store_;
  PartiesService& parties_;
  realtime::Hub& hub_;
  Relations* relations_ = nullptr;
  const DomainEvents* events_ = nullptr;
  std::mutex mu_;
  struct Pending {
    std::string party_id;
    std::int64_t since = 0;
  };
  std::map<std::string, Pending> pending_;  // by poll id: results not yet sent
  std::atomic<std::int64_t> last_expiry_check_{0};
};

}  // namespace wp::parties

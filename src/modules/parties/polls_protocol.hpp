#pragma once
// A poll's JSON (REST and party socket alike) and the poll messages of the
// party socket: poll_created, poll_results, poll_closed (docs/realtime.md).
// Nothing here names a voter: the REST answer adds voters of named polls.
#include <boost/json/object.hpp>

#include <cstdint>
#include <string>

#include "modules/parties/polls_model.hpp"

namespace wp::parties::protocol {

boost::json::object poll_json(const PollRow& poll, std::int64_t now);
// The counts only, per option in order, and their total.
boost::json::object poll_counts_json(const PollRow& poll, std::int64_t now);

std::string poll_created(const PollRow& poll, std::int64_t now);
std::string poll_results(const PollRow& poll, std::int64_t now);
std::string poll_closed(const PollRow& poll, std::int64_t now);

}  // namespace wp::parties::protocol

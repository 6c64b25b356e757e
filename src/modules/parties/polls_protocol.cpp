#include "modules/parties/polls_protocol.hpp"

#include <boost/json/serialize.hpp>

#include "core/clock.hpp"
#include "http/json.hpp"
#include "modules/parties/dto.hpp"

namespace wp::parties::protocol {

namespace json = boost::json;

namespace {

using http::time_or_null;

std::int64_t total(const PollRow& p) {
  std::int64_t n = 0;
  for (auto& o : p.options) n += o.votes_count;
  return n;
}

}  // namespace

json::object poll_json(const PollRow& p, std::int64_t now) {
  json::array options;
  for (auto& o : p.options)
    options.push_back(json::object{{"id", o.id}, {"position", o.position}, {"text", o.text}, {"votes_count", o.votes_count}});
  return {{"id", p.id},
          {"party_id", p.party_id},
          {"question", p.question},
          {"options", std::move(options)},
          {"multiple_choice", p.multiple_choice},
          {"anonymous", p.anonymous},
          {"status", to_string(p.status(now))},
          {"total_votes", total(p)},
          {"created_by", p.creator_id ? json::value(user_ref(*p.creator_id, p.creator_username)) : json::value(nullptr)},
          {"created_at", to_rfc3339(p.created_at)},
          {"expires_at", time_or_null(p.expires_at)},
          {"closed_at", time_or_null(p.closed_at)}};
}

json::object poll_counts_json(const PollRow& p, std::int64_t now) {
  json::array options;
  for (auto& o : p.options) options.push_back(json::object{{"id", o.id}, {"votes_count", o.votes_count}});
  return {{"poll_id", p.id}, {"status", to_string(p.status(now))}, {"options", std::move(options)}, {"total_votes", total(p)}};
}

std::string poll_created(const PollRow& p, std::int64_t now) {
  return json::serialize(json::object{{"type", "poll_created"}, {"poll", poll_json(p, now)}});
}

std::string poll_results(const PollRow& p, std::int64_t now) {
  auto o = poll_counts_json(p, now);
  o["type"] = "poll_results";
  return json::serialize(o);
}

std::string poll_closed(const PollRow& p, std::int64_t now) {
  return json::serialize(json::object{{"type", "poll_closed"}, {"poll", poll_json(p, now)}});
}

}  // namespace wp::parties::protocol

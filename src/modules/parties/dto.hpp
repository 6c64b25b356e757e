#pragma once
// JSON shapes of parties, for REST and for the realtime wire.
#include <boost/json.hpp>

#include <set>

#include "modules/parties/service.hpp"

namespace wp::parties {

boost::json::object party_json(const PartyRow& p);
boost::json::object participant_json(const ParticipantRow& p, bool online);
boost::json::object message_json(const MessageRow& m);
boost::json::object reaction_json(const ReactionRow& r);
boost::json::object invitation_json(const InvitationRow& i);
boost::json::object user_ref(const std::string& id, const std::string& username);
boost::json::array messages_json(const std::vector<MessageRow>& rows);

}  // namespace wp::parties

#pragma once
// JSON shapes of parties, for REST (and reused inside realtime messages),
// and the settings object as REST and the database hold it.
#include <boost/json.hpp>

#include <string>
#include <vector>

#include "modules/parties/model.hpp"

namespace wp::parties {

boost::json::object party_json(const PartyRow& p);
boost::json::object participant_json(const ParticipantRow& p, bool online);
// participant_json's object written straight as text at the end of `out`: a
// joiner's party_state lists up to a hundred of them, and building each as an
// object first cost more than the rest of the state (bench/NOTES.md).
void append_participant_text(std::string& out, const ParticipantRow& p, bool online);
boost::json::object message_json(const MessageRow& m);
boost::json::object reaction_json(const ReactionRow& r);
boost::json::object invitation_json(const InvitationRow& i);
boost::json::object user_ref(const std::string& id, const std::string& username);
boost::json::array messages_json(const std::vector<MessageRow>& rows);

boost::json::object settings_json(const Settings& s);
Settings parse_settings(const std::string& json_text);
// Known settings of `current` with the keys of `patch` laid over them, as JSON text.
std::string merge_settings(const std::string& current, const boost::json::object& patch);

}  // namespace wp::parties

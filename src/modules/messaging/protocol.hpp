#pragma once
// Every messaging message on /ws/user/ (docs/realtime.md, "Messaging"): the
// `data` of the events the service publishes, the answers to `sync`, and
// the parsing of what clients send.
#include <boost/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "modules/messaging/model.hpp"

namespace wp::messaging::protocol {

// ---- event data (published through wp::UserChannel)
std::string message_data(const MessageRow& m);  // message_new, message_edited, message_deleted
std::string reaction_data(const MessageRow& m, const std::string& user_id, Emoji emoji, bool reacted,
                          const std::vector<ReactionCount>& reactions);
std::string read_data(const std::string& conversation_id, const std::string& user_id, std::int64_t last_read_seq);
std::string typing_data(const std::string& conversation_id, const std::string& user_id, const std::string& username);
std::string conversation_data(const std::string& conversation_id, Change change, const std::string& user_id);

// ---- answers to `sync`, on one socket, in the events' envelope {"type", "data"}
std::string replayed(const MessageRow& m);  // a message_new
std::string refetch(const std::string& conversation_id, std::int64_t last_seq);
std::string sync_done(const std::map<std::string, std::int64_t>& last_seqs);

// ---- client -> server (throw wp::Error validation: answered `invalid_message`)
std::map<std::string, std::int64_t> parse_sync(const boost::json::object& msg);
// `conversation_id`: a UUID; null only where `nullable` (viewing).
std::optional<std::string> parse_conversation_id(const boost::json::object& msg, bool nullable);

}  // namespace wp::messaging::protocol

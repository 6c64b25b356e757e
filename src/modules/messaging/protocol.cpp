#include "modules/messaging/protocol.hpp"

#include "core/error.hpp"
#include "core/ids.hpp"
#include "modules/messaging/dto.hpp"

namespace wp::messaging::protocol {

namespace json = boost::json;

namespace {
constexpr std::size_t kMaxSyncConversations = 100;
}

std::string message_data(const MessageRow& m) {
  json::object o{{"conversation_id", m.conversation_id}, {"seq", m.seq}, {"message", message_json(m, false)}};
  if (m.deleted()) o["message_id"] = m.id;
  return json::serialize(o);
}

std::string reaction_data(const MessageRow& m, const std::string& user_id, Emoji emoji, bool reacted,
                          const std::vector<ReactionCount>& reactions) {
  return json::serialize(json::object{{"conversation_id", m.conversation_id},
                                      {"message_id", m.id},
                                      {"user_id", user_id},
                                      {"emoji", to_string(emoji)},
                                      {"reacted", reacted},
                                      {"reactions", reactions_json(reactions, false)}});
}

std::string read_data(const std::string& conversation_id, const std::string& user_id, std::int64_t last_read_seq) {
  return json::serialize(
      json::object{{"conversation_id", conversation_id}, {"user_id", user_id}, {"last_read_seq", last_read_seq}});
}

std::string typing_data(const std::string& conversation_id, const std::string& user_id, const std::string& username) {
  return json::serialize(
      json::object{{"conversation_id", conversation_id}, {"user_id", user_id}, {"username", username}});
}

std::string conversation_data(const std::string& conversation_id, Change change, const std::string& user_id) {
  json::object o{{"conversation_id", conversation_id}, {"change", to_string(change)}};
  if (!user_id.empty()) o["user_id"] = user_id;
  return json::serialize(o);
}

std::string replayed(const MessageRow& m) {
  return json::serialize(json::object{{"type", "message_new"}, {"data", json::parse(message_data(m))}});
}

std::string refetch(const std::string& conversation_id, std::int64_t last_seq) {
  return json::serialize(json::object{
      {"type", "refetch"}, {"data", json::object{{"conversation_id", conversation_id}, {"last_seq", last_seq}}}});
}

std::string sync_done(const std::map<std::string, std::int64_t>& last_seqs) {
  json::object c;
  for (auto& [id, seq] : last_seqs) c[id] = seq;
  return json::serialize(json::object{{"type", "sync_done"}, {"data", json::object{{"conversations", std::move(c)}}}});
}

std::map<std::string, std::int64_t> parse_sync(const json::object& msg) {
  auto c = msg.if_contains("conversations");
  if (!c || !c->is_object()) throw_validation("conversations", "sync needs conversations: {id: last seq}.");
  if (c->as_object().size() > kMaxSyncConversations) throw_validation("conversations", "At most 100 conversations.");
  std::map<std::string, std::int64_t> out;
  for (auto& [id, seq] : c->as_object()) {
    if (!is_uuid(id)) throw_validation("conversations", "Conversation ids are UUIDs.");
    // Boost.JSON keeps whole numbers past 2^63 - 1 as uint64: no seq is that large.
    if (!seq.is_int64()) throw_validation("conversations", "Each last seq is a whole number below 2^63.");
    auto n = seq.to_number<std::int64_t>();
    if (n < 0) throw_validation("conversations", "Each last seq is 0 or more.");
    out[std::string(id)] = n;
  }
  return out;
}

std::optional<std::string> parse_conversation_id(const json::object& msg, bool nullable) {
  auto c = msg.if_contains("conversation_id");
  if (nullable && (!c || c->is_null())) return std::nullopt;
  if (!c || !c->is_string() || !is_uuid(c->as_string()))
    throw_validation("conversation_id", "conversation_id must be a conversation id.");
  return std::string(c->as_string());
}

}  // namespace wp::messaging::protocol

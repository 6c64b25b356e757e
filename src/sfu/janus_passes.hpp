#pragma once
// What watchparty derives rather than stores, so that every node can kick a
// member or destroy a room that another node made, with no shared state:
//  - a room's secret (Janus asks for it on allowed/kick/destroy) is an HMAC
//    of the room under the server's key;
//  - a member's participant id is an HMAC of room and user, below 2^53;
//  - a member's token is "wp<a|v>.<room>.<user>.<random>": random, and named
//    so that the admin API's token list tells whose token it is.
#include <cstdint>
#include <optional>
#include <string>

#include "core/sfu.hpp"

namespace wp::sfu {

std::string room_secret(const std::string& key, const SfuRoom& room);
std::uint64_t participant_id(const std::string& key, const SfuRoom& room, const std::string& user_id);

// "wpa.<room>." : the start of every token of the room; with the user, of theirs.
std::string token_prefix(const SfuRoom& room);
std::string token_prefix(const SfuRoom& room, const std::string& user_id);
std::string new_token(const SfuRoom& room, const std::string& user_id);
// The user of one of our tokens of that room (nullopt for any other token).
std::optional<std::string> token_user(const SfuRoom& room, const std::string& token);

// A random room number in [1, 2^53).
std::uint64_t random_room_id();

}  // namespace wp::sfu

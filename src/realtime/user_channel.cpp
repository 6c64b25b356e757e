#include "realtime/user_channel.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"

namespace wp::realtime {

namespace {
constexpr std::string_view kUserRoom = "user:";
}

LiveUserChannel::LiveUserChannel(Hub& hub, UserPresence& presence, FriendsOf friends_of,
                                 std::chrono::milliseconds renew_every, Clock clock)
    : hub_(hub),
      presence_(presence),
      friends_of_(std::move(friends_of)),
      renew_every_ms_(renew_every.count()),
      clock_(clock ? std::move(clock) : Clock(now_ms)),
      node_(new_uuid()) {}

std::string LiveUserChannel::room(const std::string& user_id) { return std::string(kUserRoom) + user_id; }

std::string LiveUserChannel::event(const std::string& type, const std::string& data_json) {
  boost::system::error_code ec;
  auto data = boost::json::parse(data_json, ec);
  if (ec || !data.is_object()) throw std::invalid_argument("user channel event " + type + ": data is not a JSON object");
  return boost::json::serialize(boost::json::object{{"type", type}, {"data", std::move(data)}});
}

void LiveUserChannel::publish(const std::string& user_id, const std::string& type, const std::string& data_json) {
  hub_.broadcast(room(user_id), make_message(event(type, data_json)));
}

void LiveUserChannel::publish_each(const std::vector<std::string>& user_ids, const std::string& type,
                                   const std::string& data_json) {
  std::vector<std::string> rooms;
  rooms.reserve(user_ids.size());
  for (auto& u : user_ids) rooms.push_back(room(u));
  hub_.broadcast_each(rooms, make_message(event(type, data_json)));
}

std::vector<bool> LiveUserChannel::online(const std::vector<std::string>& user_ids) { return presence_.online(user_ids); }

bool LiveUserChannel::has_sockets_here(const std::string& user_id) const {
  return !hub_.online_users(room(user_id)).empty();
}

void LiveUserChannel::attach(const std::string& user_id, const std::string& session_id,
                             std::shared_ptr<Connection> conn, const Message& first) {
  if (hub_.join(room(user_id), {conn, user_id, session_id}, first) > 1) return;
  bool tell = false;
  try {
    tell = presence_.connect(node_, user_id);
    // A close that raced this open may have found no socket and removed the
    // entry meanwhile: the last word follows what the hub holds now.
    if (!has_sockets_here(user_id)) presence_.disconnect(node_, user_id);
  } catch (const Error&) {
    hub_.leave(room(user_id), conn);  // refused: the socket never opens, so it never says goodbye
    throw;
  }
  if (tell) announce(user_id, true);
}

void LiveUserChannel::detach(const std::string& user_id, const std::shared_ptr<Connection>& conn) {
  if (hub_.leave(room(user_id), conn) > 0) return;
  presence_.disconnect(node_, user_id);
  // An open that raced this close wrote its entry before ours was removed.
  if (has_sockets_here(user_id)) presence_.connect(node_, user_id);
}

std::vector<std::string> LiveUserChannel::local_users() const {
  std::vector<std::string> users;
  for (auto& [name, members] : hub_.local_rooms())
    if (name.compare(0, kUserRoom.size(), kUserRoom) == 0) users.push_back(name.substr(kUserRoom.size()));
  return users;
}

void LiveUserChannel::tick() {
  auto now = clock_();
  if (restore_ || now - last_renew_ms_ >= renew_every_ms_) {
    bool restore = restore_.exchange(false);
    try {
      presence_.renew(node_, local_users(), restore);
      last_renew_ms_ = now;
    } catch (const Error&) {
      if (restore) restore_ = true;  // Redis went away again: the next tick tries again
      throw;
    }
  }
  for (auto& user_id : presence_.take_offline()) announce(user_id, false);
}

void LiveUserChannel::announce(const std::string& user_id, bool online) {
  std::vector<std::string> friends;
  try {
    friends = friends_of_ ? friends_of_(user_id) : std::vector<std::string>{};
  } catch (const Error& e) {
    // The database is unreachable: this change goes untold; the friends list
    // (UserChannel::online) stays right.
    spdlog::warn("presence of {} not told to friends: {}", user_id, e.what());
    return;
  }
  // One buffer for every friend's room.
  auto msg = make_message(event("presence", boost::json::serialize(boost::json::object{{"user_id", user_id},
                                                                                      {"online", online}})));
  for (auto& friend_id : friends) hub_.broadcast(room(friend_id), msg);
}

}  // namespace wp::realtime

#include "realtime/hub.hpp"

#include <algorithm>
#include <set>

#include "core/strings.hpp"

namespace wp::realtime {

namespace {
constexpr std::string_view kRoom = "room:", kEach = "each:", kUsers = "users:", kClose = "close:",
                           kSignal = "signal:";
bool starts_with(const std::string& s, std::string_view prefix) { return s.compare(0, prefix.size(), prefix) == 0; }
}  // namespace

std::string room_channel(const std::string& room) { return std::string(kRoom) + room; }

Hub::Hub(Backplane& backplane) : backplane_(backplane) {
  backplane_.set_receiver([this](const std::string& channel, const Message& payload) { receive(channel, payload); });
}

void Hub::receive(const std::string& channel, const Message& payload) {
  if (starts_with(channel, kRoom)) {
    auto room = channel.substr(kRoom.size());
    if (tap_ && !tap_(room, *payload)) return;
    deliver_local(room, payload);
  } else if (starts_with(channel, kEach)) {
    for (auto& room : split_list(channel.substr(kEach.size()))) {
      if (tap_) tap_(room, *payload);
      deliver_local(room, payload);
    }
  } else if (starts_with(channel, kUsers)) {
    auto rest = channel.substr(kUsers.size());
    auto colon = rest.find(':');
    if (colon == std::string::npos) return;
    auto room = rest.substr(0, colon);
    if (tap_ && !tap_(room, *payload)) return;
    deliver_to_users(room, rest.substr(colon + 1), payload);
  } else if (starts_with(channel, kClose)) {
    auto rest = channel.substr(kClose.size());
    auto colon = rest.find(':');
    auto first_space = payload->find(' ');
    auto second_space = payload->find(' ', first_space == std::string::npos ? payload->size() : first_space + 1);
    if (colon == std::string::npos || second_space == std::string::npos) return;
    auto room = rest.substr(0, colon), user = rest.substr(colon + 1);
    int code = std::atoi(payload->substr(0, first_space).c_str());
    auto sessions = payload->substr(first_space + 1, second_space - first_space - 1);
    close_local(room == "*" ? "" : room, user == "*" ? "" : user, sessions, code, payload->substr(second_space + 1));
  } else if (starts_with(channel, kSignal)) {
    auto it = signals_.find(channel.substr(kSignal.size()));
    if (it != signals_.end() && it->second) it->second(*payload);
  }
}

int Hub::join(const std::string& room, Member member, const Message& first) {
  std::lock_guard lock(mu_);
  if (first) member.conn->send(first);
  auto user_id = member.user_id;
  auto& members = rooms_[room];
  members.push_back(std::move(member));
  lanes_.erase(room);
  return static_cast<int>(std::count_if(members.begin(), members.end(), [&](auto& m) { return m.user_id == user_id; }));
}

int Hub::leave(const std::string& room, const std::shared_ptr<Connection>& conn) {
  std::lock_guard lock(mu_);
  auto it = rooms_.find(room);
  if (it == rooms_.end()) return 0;
  auto& members = it->second;
  auto m = std::find_if(members.begin(), members.end(), [&](auto& x) { return x.conn == conn; });
  if (m == members.end()) return 0;
  std::string user_id = m->user_id;
  members.erase(m);
  lanes_.erase(room);
  int left = static_cast<int>(std::count_if(members.begin(), members.end(), [&](auto& x) { return x.user_id == user_id; }));
  if (members.empty()) rooms_.erase(it);
  return left;
}

void Hub::broadcast(const std::string& room, const Message& msg) { backplane_.publish(room_channel(room), msg); }

void Hub::broadcast_each(const std::vector<std::string>& rooms, const Message& msg) {
  if (rooms.empty()) return;
  if (rooms.size() == 1) return broadcast(rooms.front(), msg);
  std::string channel(kEach);
  for (std::size_t i = 0; i < rooms.size(); ++i) channel += (i ? "," : "") + rooms[i];
  backplane_.publish(channel, msg);
}

std::shared_ptr<const Hub::Lanes> Hub::lanes_of(const std::string& room, const std::vector<Member>& members) {
  auto& lanes = lanes_[room];
  if (lanes) return lanes;
  auto built = std::make_shared<Lanes>();
  for (auto& m : members) {
    auto* fanout = m.conn->fanout();
    auto lane = std::find_if(built->begin(), built->end(), [&](const Lane& l) { return l.fanout == fanout; });
    if (lane == built->end()) lane = built->insert(built->end(), Lane{fanout, {}});
    lane->conns.push_back(m.conn);
  }
  lanes = std::move(built);
  return lanes;
}

void Hub::deliver_local(const std::string& room, const Message& msg) {
  std::shared_ptr<const Lanes> lanes;
  {
    std::lock_guard lock(mu_);
    auto it = rooms_.find(room);
    if (it == rooms_.end()) return;
    lanes = lanes_of(room, it->second);
  }
  for (auto& lane : *lanes) {
    if (lane.fanout) {
      lane.fanout->send_each(Fanout::Members(lanes, &lane.conns), msg);
    } else {
      for (auto& c : lane.conns) c->send(msg);
    }
  }
}

std::size_t Hub::deliver_to_every_local(const Message& msg) {
  std::set<std::shared_ptr<Connection>> targets;
  {
    std::lock_guard lock(mu_);
    for (auto& [room, members] : rooms_)
      for (auto& m : members) targets.insert(m.conn);
  }
  for (auto& c : targets) c->send(msg);
  return targets.size();
}

void Hub::send_to_users(const std::string& room, const std::vector<std::string>& user_ids, const Message& msg) {
  if (user_ids.empty()) return;
  std::string channel = std::string(kUsers) + room + ":";
  for (std::size_t i = 0; i < user_ids.size(); ++i) channel += (i ? "," : "") + user_ids[i];
  backplane_.publish(channel, msg);
}

void Hub::send_to_all_but(const std::string& room, const std::vector<std::string>& user_ids, const Message& msg) {
  if (user_ids.empty()) return broadcast(room, msg);
  std::string channel = std::string(kUsers) + room + ":!";
  for (std::size_t i = 0; i < user_ids.size(); ++i) channel += (i ? "," : "") + user_ids[i];
  backplane_.publish(channel, msg);
}

void Hub::deliver_local_except(const std::string& room, const std::vector<std::string>& user_ids, const Message& msg) {
  std::string list = "!";
  for (std::size_t i = 0; i < user_ids.size(); ++i) list += (i ? "," : "") + user_ids[i];
  deliver_to_users(room, list, msg);
}

void Hub::deliver_to_users(const std::string& room, const std::string& user_list, const Message& msg) {
  const bool all_but = !user_list.empty() && user_list[0] == '!';
  auto list = split_list(all_but ? user_list.substr(1) : user_list);
  std::set<std::string> users(list.begin(), list.end());
  std::vector<std::shared_ptr<Connection>> targets;
  {
    std::lock_guard lock(mu_);
    auto it = rooms_.find(room);
    if (it == rooms_.end()) return;
    for (auto& m : it->second)
      if ((users.count(m.user_id) > 0) != all_but) targets.push_back(m.conn);
  }
  for (auto& c : targets) c->send(msg);
}

void Hub::publish_close(const std::string& room, const std::string& user_id, const std::string& sessions, int code,
                        const std::string& reason) {
  auto channel = std::string(kClose) + (room.empty() ? "*" : room) + ":" + (user_id.empty() ? "*" : user_id);
  backplane_.publish(channel, make_message(std::to_string(code) + " " + sessions + " " + reason));
}

void Hub::close_user(const std::string& room, const std::string& user_id, int code, const std::string& reason) {
  publish_close(room, user_id, "*", code, reason);
}

void Hub::close_room(const std::string& room, int code, const std::string& reason) {
  publish_close(room, "", "*", code, reason);
}

void Hub::close_user_everywhere(const std::string& user_id, int code, const std::string& reason) {
  publish_close("", user_id, "*", code, reason);
}

void Hub::close_user_everywhere(const std::string& user_id, int code, const std::string& reason,
                                const Sessions& which) {
  std::string sessions = which.kind == Sessions::Kind::all    ? "*"
                         : which.kind == Sessions::Kind::only ? "=" + which.id
                                                              : "!" + which.id;
  publish_close("", user_id, sessions, code, reason);
}

void Hub::close_local(const std::string& room, const std::string& user_id, const std::string& sessions, int code,
                      const std::string& reason) {
  auto session_matches = [&](const std::string& id) {
    if (sessions == "*" || sessions.empty()) return true;
    bool same = sessions.compare(1, std::string::npos, id) == 0;
    return sessions[0] == '=' ? same : !same;
  };
  std::vector<std::shared_ptr<Connection>> targets;
  {
    std::lock_guard lock(mu_);
    for (auto& [name, members] : rooms_) {
      if (!room.empty() && name != room) continue;
      for (auto& m : members)
        if ((user_id.empty() || m.user_id == user_id) && session_matches(m.session_id)) targets.push_back(m.conn);
    }
  }
  for (auto& c : targets) c->close(code, reason);
}

void Hub::signal(const std::string& name, const std::string& payload) {
  backplane_.publish(std::string(kSignal) + name, make_message(payload));
}

void Hub::on_signal(const std::string& name, SignalHandler handler) { signals_[name] = std::move(handler); }

std::vector<std::string> Hub::online_users(const std::string& room) const {
  std::lock_guard lock(mu_);
  std::set<std::string> users;
  auto it = rooms_.find(room);
  if (it != rooms_.end())
    for (auto& m : it->second) users.insert(m.user_id);
  return {users.begin(), users.end()};
}

std::map<std::string, std::vector<std::string>> Hub::local_rooms() const {
  std::lock_guard lock(mu_);
  std::map<std::string, std::vector<std::string>> out;
  for (auto& [room, members] : rooms_) {
    std::set<std::string> users;
    for (auto& m : members) users.insert(m.user_id);
    out[room] = {users.begin(), users.end()};
  }
  return out;
}

std::size_t Hub::connection_count() const {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (auto& [room, members] : rooms_) n += members.size();
  return n;
}

std::map<std::string, std::size_t> Hub::connections_by_room() const {
  std::lock_guard lock(mu_);
  std::map<std::string, std::size_t> out;
  for (auto& [room, members] : rooms_) out[room] = members.size();
  return out;
}

}  // namespace wp::realtime

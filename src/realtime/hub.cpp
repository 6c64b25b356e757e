#include "realtime/hub.hpp"

#include <algorithm>
#include <set>

namespace wp::realtime {

Hub::Hub(Backplane& backplane) : backplane_(backplane) {
  backplane_.set_receiver([this](const std::string& room, const Message& msg) { deliver_local(room, msg); });
}

int Hub::join(const std::string& room, const std::string& user_id, std::shared_ptr<Connection> conn,
              const Message& first) {
  std::lock_guard lock(mu_);
  if (first) conn->send(first);
  auto& members = rooms_[room];
  members.push_back({std::move(conn), user_id});
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
  int left = static_cast<int>(std::count_if(members.begin(), members.end(), [&](auto& x) { return x.user_id == user_id; }));
  if (members.empty()) rooms_.erase(it);
  return left;
}

void Hub::broadcast(const std::string& room, const Message& msg) { backplane_.publish(room, msg); }

void Hub::deliver_local(const std::string& room, const Message& msg) {
  std::vector<std::shared_ptr<Connection>> targets;
  {
    std::lock_guard lock(mu_);
    auto it = rooms_.find(room);
    if (it == rooms_.end()) return;
    for (auto& m : it->second) targets.push_back(m.conn);
  }
  // Sending outside the lock: a send may close a slow connection, which leaves the room.
  for (auto& c : targets) c->send(msg);
}

void Hub::close_user(const std::string& room, const std::string& user_id, int code, const std::string& reason) {
  std::vector<std::shared_ptr<Connection>> targets;
  {
    std::lock_guard lock(mu_);
    auto it = rooms_.find(room);
    if (it == rooms_.end()) return;
    for (auto& m : it->second)
      if (m.user_id == user_id) targets.push_back(m.conn);
  }
  for (auto& c : targets) c->close(code, reason);
}

void Hub::close_room(const std::string& room, int code, const std::string& reason) {
  std::vector<std::shared_ptr<Connection>> targets;
  {
    std::lock_guard lock(mu_);
    auto it = rooms_.find(room);
    if (it == rooms_.end()) return;
    for (auto& m : it->second) targets.push_back(m.conn);
  }
  for (auto& c : targets) c->close(code, reason);
}

void Hub::close_user_everywhere(const std::string& user_id, int code, const std::string& reason) {
  std::vector<std::shared_ptr<Connection>> targets;
  {
    std::lock_guard lock(mu_);
    for (auto& [room, members] : rooms_)
      for (auto& m : members)
        if (m.user_id == user_id) targets.push_back(m.conn);
  }
  for (auto& c : targets) c->close(code, reason);
}

std::vector<std::string> Hub::online_users(const std::string& room) const {
  std::lock_guard lock(mu_);
  std::set<std::string> users;
  auto it = rooms_.find(room);
  if (it != rooms_.end())
    for (auto& m : it->second) users.insert(m.user_id);
  return {users.begin(), users.end()};
}

std::size_t Hub::connection_count() const {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (auto& [room, members] : rooms_) n += members.size();
  return n;
}

}  // namespace wp::realtime

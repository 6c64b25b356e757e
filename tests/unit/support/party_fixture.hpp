#pragma once
// A parties service on a temporary SQLite database, with the in-process live
// state, the local backplane and connections that record what they are sent.
// Shared by the parties service tests; FakeConnection and eventually() serve
// any module with a realtime side (TempDatabase is in temp_db.hpp).
#include <boost/json.hpp>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/blocking_pool.hpp"
#include "core/principal.hpp"
#include "core/rate_limiter.hpp"
#include "modules/parties/live_state.hpp"
#include "modules/parties/service.hpp"
#include "modules/parties/store.hpp"
#include "realtime/hub.hpp"
#include "temp_db.hpp"

namespace wp::testkit {

// A socket that keeps every message it is sent.
class FakeConnection : public realtime::Connection {
 public:
  explicit FakeConnection(std::string name = new_uuid()) : name_(std::move(name)) {}
  void send(realtime::Message m) override {
    std::lock_guard lock(mu_);
    sent_.push_back(*m);
  }
  void close(int code, const std::string&) override {
    std::lock_guard lock(mu_);
    closed_.push_back(code);
  }
  const std::string& id() const override { return name_; }

  std::vector<boost::json::object> messages(const std::string& type = "") const {
    std::lock_guard lock(mu_);
    std::vector<boost::json::object> out;
    for (auto& text : sent_) {
      auto o = boost::json::parse(text).as_object();
      if (type.empty() || o.at("type").as_string() == type) out.push_back(std::move(o));
    }
    return out;
  }
  std::vector<int> closes() const {
    std::lock_guard lock(mu_);
    return closed_;
  }

 private:
  std::string name_;
  mutable std::mutex mu_;
  std::vector<std::string> sent_;
  std::vector<int> closed_;
};

// Polls until pred holds or the time is up.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = std::chrono::milliseconds(3000)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

// The whole parties module of one node, as app.cpp wires it (no videos).
struct PartyWorld : TempDatabase {
  BlockingPool pool{4, 256};
  realtime::LocalBackplane backplane;
  realtime::Hub hub{backplane};
  parties::MemoryLiveState live{hub};
  MemoryRateLimiter limiter;
  parties::Store store{*db};
  parties::LiveRooms rooms{store, hub, live, pool, config, nullptr};
  parties::PartiesService service{store, rooms, hub, limiter, nullptr};

  ~PartyWorld() { pool.stop(); }

  parties::PartyRow create_party(const Principal& host, boost::json::object settings = {}) {
    parties::CreateInput in;
    in.title = "Movie night";
    in.media_url = "https://media.example.com/movie.mp4";
    in.settings = std::move(settings);
    return service.create(host, in);
  }

  struct Socket {
    std::shared_ptr<parties::Room> room;
    std::shared_ptr<FakeConnection> conn;
  };
  Socket connect(const Principal& user, const std::string& party_id) {
    auto conn = std::make_shared<FakeConnection>();
    auto room = service.connect(user, party_id, conn, std::nullopt);
    return {room, conn};
  }
  void disconnect(const Principal& user, const Socket& s) { rooms.detach(s.room, user.id, s.conn); }
};

}  // namespace wp::testkit

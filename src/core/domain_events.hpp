#pragma once
// Things that happened in the modules, told to whoever listens: analytics
// records them, achievements count them. A module publishes after its change
// is committed; it never learns who listens. Listeners are registered at
// startup and must not block: they copy the event into their own bounded
// queue (dropping and counting when it is full) and return. publish() may be
// called from any thread, an I/O strand included.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace wp {

// The types, one name per line in docs/architecture.md ("Domain events").
// A new type is added there in the same commit as its publish() call.
struct DomainEvent {
  std::string type;       // "party.created", "party.joined", "watch.progress", ...
  std::string user_id;    // who did it; empty when anonymous
  std::string video_id;   // the video it concerns, if any
  std::string party_id;   // the party it happened in, if any
  std::int64_t amount = 1;  // a quantity: 1 for a plain happening, seconds for watch.progress
  std::string data_json;    // optional JSON object with details ("{\"action\":\"seek\"}")
  std::chrono::system_clock::time_point at = std::chrono::system_clock::now();
};

class DomainEvents {
 public:
  using Listener = std::function<void(const DomainEvent&)>;
  // At startup only, before the server accepts connections.
  void subscribe(Listener listener) { listeners_.push_back(std::move(listener)); }
  void publish(const DomainEvent& event) const {
    for (const auto& listener : listeners_) listener(event);
  }

 private:
  std::vector<Listener> listeners_;
};

// For modules: tells `events` when one is wired (null: nobody listens).
inline void publish_event(const DomainEvents* events, const DomainEvent& event) {
  if (events) events->publish(event);
}

}  // namespace wp

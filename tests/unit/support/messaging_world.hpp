#pragma once
// The messaging service on a temporary SQLite database, with fakes for its
// seams: relations (blocks), a recording per-user channel and a recording
// notifier, and an in-memory rate limiter.
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/notifier.hpp"
#include "core/rate_limiter.hpp"
#include "core/relations.hpp"
#include "modules/messaging/service.hpp"
#include "block_list.hpp"
#include "recording_channel.hpp"
#include "recording_notifier.hpp"
#include "temp_db.hpp"

namespace wp::testkit {

struct MessagingWorld : TempDatabase {
  BlockList relations;
  RecordingChannel channel;
  RecordingNotifier notifier;
  MemoryRateLimiter limiter;
  messaging::Store store{*db};
  messaging::MessagingService service{store, relations, channel, notifier, limiter, settings()};

  messaging::Settings settings() {
    messaging::Settings s;
    s.data_dir = config.data_dir;
    s.send_limit = 100000;
    s.sync_limit = 5;
    return s;
  }
  Principal user(const std::string& name) { return add_user(name + "_" + new_uuid().substr(0, 6)); }
  messaging::ConversationView direct(const Principal& a, const Principal& b) {
    bool created = false;
    return service.open_direct(a, b.id, created);
  }
  messaging::ConversationView group(const Principal& owner, const std::vector<Principal>& others) {
    messaging::GroupInput in;
    in.title = "group";
    for (auto& o : others) in.member_ids.push_back(o.id);
    return service.create_group(owner, in);
  }
  messaging::MessageRow send(const Principal& who, const std::string& conversation_id, const std::string& body,
                             std::string client_id = "") {
    messaging::MessageInput in;
    in.client_id = client_id.empty() ? new_uuid() : client_id;
    in.body = body;
    return service.send(who, conversation_id, in).message;
  }
};

}  // namespace wp::testkit

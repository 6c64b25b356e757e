// What messaging carries over /ws/user/: events after commit, notifications,
// and the client's sync, typing and viewing (docs/realtime.md, "Messaging").
#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "modules/messaging/protocol.hpp"
#include "modules/messaging/service.hpp"

namespace wp::messaging {

namespace {

constexpr std::size_t kPreviewChars = 100;

// The first characters of a text, never cutting a UTF-8 sequence.
std::string preview_of(const std::string& body) {
  std::size_t chars = 0, i = 0;
  for (; i < body.size(); ++i) {
    if ((body[i] & 0xC0) != 0x80 && chars++ == kPreviewChars) break;
  }
  return body.substr(0, i);
}

}  // namespace

std::vector<Recipient> recipients_of(const std::vector<MemberRow>& members) {
  std::vector<Recipient> out;
  out.reserve(members.size());
  for (auto& m : members) out.push_back({m.user_id, m.viewing_until});
  return out;
}

void MessagingService::publish(const std::vector<MemberRow>& to, const std::string& type, const std::string& data,
                               const std::string& except, const std::string& extra) {
  std::vector<std::string> ids;
  ids.reserve(to.size() + 1);
  for (auto& m : to)
    if (m.user_id != except) ids.push_back(m.user_id);
  if (!extra.empty()) ids.push_back(extra);
  channel_.publish_each(ids, type, data);
}

void MessagingService::message_stored(const MessageRow& m, const std::vector<Recipient>& to) {
  std::vector<std::string> ids;
  ids.reserve(to.size());
  for (auto& r : to) ids.push_back(r.user_id);
  channel_.publish_each(ids, "message_new", protocol::message_data(m));
  if (m.message_type == MessageType::system) return;
  // Decided now (who has it in view at the send), told after the answer:
  // each notice runs SQL, and the send's answer need not wait for it.
  auto notices = new_message_notices(m, to);
  if (notices.empty()) return;
  auto job = [notifier = &notifier_, notices = std::move(notices)] {
    for (auto& n : notices) notify_quietly(notifier, n);
  };
  if (!later_ || !later_(job)) job();
}

void MessagingService::conversation_changed(const std::string& id, Change change, const std::string& user_id,
                                            const std::string& extra) {
  publish(store_.members(id), "conversation_updated", protocol::conversation_data(id, change, user_id), "", extra);
}

std::vector<Notice> MessagingService::new_message_notices(const MessageRow& m, const std::vector<Recipient>& to) {
  auto now = now_ms();
  std::string sender = m.sender_id.value_or("");
  boost::json::object data{{"conversation_id", m.conversation_id},
                           {"message_id", m.id},
                           {"seq", m.seq},
                           {"sender", boost::json::object{{"id", sender}, {"username", m.sender_username.value_or("")}}},
                           {"preview", preview_of(m.body.value_or(""))},
                           {"actor_username", m.sender_username.value_or("")}};  // for the notice's text
  auto text = boost::json::serialize(data);
  std::vector<Notice> out;
  for (auto& member : to) {
    // Whoever has the conversation in view, on any node, sees the message already.
    if (member.user_id == sender || member.viewing_until > now) continue;
    out.push_back(Notice{member.user_id, "new_message", text, "conversation:" + m.conversation_id, sender});
  }
  return out;
}

std::vector<SyncItem> MessagingService::sync(const Principal& me, const std::map<std::string, std::int64_t>& have) {
  std::vector<SyncItem> out;
  // Messages replayed by this sync, over all its conversations.
  std::int64_t budget = settings_.sync_limit;
  for (auto& [id, seq] : have) {
    SyncItem item;
    item.conversation_id = id;
    auto c = store_.member(id, me.id) ? store_.conversation(id) : std::nullopt;
    if (!c) {
      // Not (or no longer) a member: the client's REST call will say so.
      item.refetch = true;
      out.push_back(std::move(item));
      continue;
    }
    item.last_seq = c->last_seq;
    if (c->last_seq - seq > budget)
      item.refetch = true;
    else if (c->last_seq > seq)
      item.messages = store_.messages_after(id, seq, static_cast<int>(budget), me.id);
    budget -= static_cast<std::int64_t>(item.messages.size());
    if (!item.messages.empty()) item.last_seq = std::max(item.last_seq, item.messages.back().seq);
    out.push_back(std::move(item));
  }
  return out;
}

void MessagingService::typing(const Principal& me, const std::string& conversation_id) {
  membership(me, conversation_id);
  // One relay per user and conversation per interval; the rest are dropped.
  if (limiter_.acquire("msg:typing:" + me.id + ":" + conversation_id, 1, settings_.typing_every_ms)) return;
  // A blocked pair does not write to each other, nor seem to.
  auto c = existing(conversation_id);
  if (c.kind == ConversationKind::direct) {
    for (auto& m : store_.members(conversation_id))
      if (m.user_id != me.id && relations_.blocked_between(me.id, m.user_id)) return;
  }
  publish(store_.members(conversation_id), "typing", protocol::typing_data(conversation_id, me.id, me.username),
          me.id);
}

void MessagingService::viewing(const Principal& me, const std::optional<std::string>& conversation_id) {
  if (conversation_id) membership(me, *conversation_id);
  store_.set_viewing(me.id, conversation_id, now_ms() + settings_.viewing_ms);
}

}  // namespace wp::messaging

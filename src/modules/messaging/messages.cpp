// Messages, reactions and read state (docs/api.md, "Messaging").
#include <algorithm>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "modules/messaging/protocol.hpp"
#include "modules/messaging/service.hpp"

namespace wp::messaging {

namespace {

// Characters, not bytes: UTF-8 continuation bytes do not count.
std::size_t char_count(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

MessageType type_of(AttachmentKind kind) {
  switch (kind) {
    case AttachmentKind::image: return MessageType::image;
    case AttachmentKind::video: return MessageType::video;
    case AttachmentKind::file: break;
  }
  return MessageType::file;
}

}  // namespace

MessageRow MessagingService::message_in(const std::string& conversation_id, const std::string& message_id,
                                        const std::string& viewer) {
  auto m = is_uuid(message_id) ? store_.message(message_id, viewer) : std::nullopt;
  if (!m || m->conversation_id != conversation_id) throw_not_found("No such message in this conversation.");
  return *m;
}

Sent MessagingService::send(const Principal& me, const std::string& conversation_id, const MessageInput& in) {
  // The store's statement checks membership as it counts; what must refuse a
  // non-member before that (a reply's lookup, a direct pair's blocks) asks first.
  if (in.reply_to_id || kind_of(conversation_id) == ConversationKind::direct) {
    membership(me, conversation_id);
    check_direct_unblocked(me, existing(conversation_id));
  }
  NewMessage m;
  m.conversation_id = conversation_id;
  m.sender_id = me.id;
  m.sender_username = me.username;
  m.client_id = in.client_id;
  m.body = in.body;
  m.metadata = in.metadata;
  m.attachment_ids = in.attachment_ids;
  if (in.body && char_count(*in.body) > settings_.max_body)
    throw_validation("body", "At most " + std::to_string(settings_.max_body) + " characters.");
  if (in.attachment_ids.empty() && (!in.body || in.body->empty()))
    throw_validation("body", "A message needs text or attachments.");
  if (in.reply_to_id) {
    auto replied = is_uuid(*in.reply_to_id) ? store_.message(*in.reply_to_id, me.id) : std::nullopt;
    if (!replied || replied->conversation_id != conversation_id)
      throw_validation("reply_to_id", "Not a message of this conversation.");
    m.reply_to_id = in.reply_to_id;
  }
  m.message_type = MessageType::text;
  if (!in.attachment_ids.empty()) {
    auto first = store_.attachment(in.attachment_ids.front());
    if (!first || first->uploader_id != me.id) throw_validation("attachment_ids", "No such upload of yours.");
    m.message_type = type_of(first->kind);
  }
  if (in.message_type) {
    if (*in.message_type == MessageType::system) throw_validation("message_type", "Only the server sends system messages.");
    m.message_type = *in.message_type;
  }
  // Moderation (#19): the word list here; a mute is refused by the store's
  // statement itself, so a send costs no lookup of the sender's standing.
  if (guard_) guard_->screen_text(in.body.value_or(""), "body");
  if (auto wait = limiter_.acquire("msg:send:" + me.id, settings_.send_limit, settings_.send_window_ms)) {
    // A retry of a stored message is answered even over the limit.
    if (auto first = store_.by_client_id(conversation_id, me.id, in.client_id)) return Sent{*first, false};
    throw Error(ErrorCode::rate_limited, "Too many messages; wait a moment.").with_retry_after(*wait);
  }
  auto sent = stored(me, m);
  if (sent.created) {
    message_stored(sent.message, sent.recipients);
    publish_event(events_, {.type = "message.sent", .user_id = me.id});
  }
  if (sent.created && guard_ && in.body) guard_->posted(me.id, ContentType::direct_message, sent.message.id, *in.body);
  return sent;
}

Sent MessagingService::stored(const Principal& me, const NewMessage& m) {
  try {
    return store_.send(m, now_ms());
  } catch (const Error& e) {
    // Refused: not a member, or muted. The guard says which (403 with the mute's end).
    if (e.code() == ErrorCode::not_found && guard_) guard_->screen(me.id, ContentType::direct_message, "", "body");
    throw;
  }
}

MessagePage MessagingService::messages(const Principal& me, const std::string& conversation_id,
                                       const PageRequest& page) {
  membership(me, conversation_id);
  MessageQuery q;
  q.limit = page.limit;
  q.text = page.text;
  auto seq_of = [&](const std::string& id, const char* field) {
    auto m = is_uuid(id) ? store_.message(id, me.id) : std::nullopt;
    if (!m || m->conversation_id != conversation_id) throw_validation(field, "Not a message of this conversation.");
    return m->seq;
  };
  if (page.before) {
    q.direction = Direction::before;
    q.seq = seq_of(*page.before, "before");
  } else if (page.after) {
    q.direction = Direction::after;
    q.seq = seq_of(*page.after, "after");
  } else if (page.after_seq) {
    q.direction = Direction::after;
    q.seq = *page.after_seq;
  }
  return store_.messages(conversation_id, q, me.id);
}

MessageRow MessagingService::edit(const Principal& me, const std::string& conversation_id,
                                  const std::string& message_id, const std::string& body) {
  membership(me, conversation_id);
  auto m = message_in(conversation_id, message_id, me.id);
  if (m.sender_id != me.id || m.message_type == MessageType::system)
    throw_forbidden("Only the sender may edit a message.");
  if (m.deleted()) throw_conflict("The message was deleted.");
  check_direct_unblocked(me, existing(conversation_id));
  if (body.empty() && m.attachments.empty()) throw_validation("body", "A message needs text or attachments.");
  if (char_count(body) > settings_.max_body)
    throw_validation("body", "At most " + std::to_string(settings_.max_body) + " characters.");
  if (!store_.edit(message_id, body, now_ms())) throw_conflict("The message was deleted.");
  auto edited = message_in(conversation_id, message_id, me.id);
  publish(store_.members(conversation_id), "message_edited", protocol::message_data(edited));
  return edited;
}

MessageRow MessagingService::remove(const Principal& me, const std::string& conversation_id,
                                    const std::string& message_id) {
  membership(me, conversation_id);
  auto m = message_in(conversation_id, message_id, me.id);
  if (m.sender_id != me.id || m.message_type == MessageType::system)
    throw_forbidden("Only the sender may delete a message.");
  if (m.deleted()) return m;
  remove_attachment_files(settings_, store_.soft_delete(message_id, now_ms()));
  auto tombstone = message_in(conversation_id, message_id, me.id);
  publish(store_.members(conversation_id), "message_deleted", protocol::message_data(tombstone));
  return tombstone;
}

std::pair<bool, std::vector<ReactionCount>> MessagingService::react(const Principal& me,
                                                                    const std::string& conversation_id,
                                                                    const std::string& message_id, Emoji emoji) {
  membership(me, conversation_id);
  auto m = message_in(conversation_id, message_id, me.id);
  if (m.deleted()) throw_conflict("The message was deleted.");
  check_direct_unblocked(me, existing(conversation_id));
  bool reacted = store_.toggle_reaction(message_id, me.id, emoji, now_ms());
  auto reactions = store_.reactions(m, me.id);
  publish(store_.members(conversation_id), "reaction", protocol::reaction_data(m, me.id, emoji, reacted, reactions));
  return {reacted, reactions};
}

ReadState MessagingService::mark_read(const Principal& me, const std::string& conversation_id,
                                      const std::string& message_id) {
  membership(me, conversation_id);
  auto m = message_in(conversation_id, message_id, me.id);
  bool moved = store_.mark_read(conversation_id, me.id, m.seq);
  ReadState state;
  state.last_read_seq = membership(me, conversation_id).last_read_seq;
  state.unread_count = store_.unread(conversation_id, me.id);
  if (moved && store_.show_read_receipts(me.id))
    publish(store_.members(conversation_id), "read", protocol::read_data(conversation_id, me.id, state.last_read_seq),
            me.id);
  return state;
}

}  // namespace wp::messaging

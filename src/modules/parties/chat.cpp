// PartiesService: the chat rules (chat off, mute, slow mode) and reactions.
#include <algorithm>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "modules/parties/chat_text.hpp"
#include "modules/parties/protocol.hpp"
#include "modules/parties/service.hpp"

namespace wp::parties {

namespace {

constexpr int kReactionBurst = 5;
constexpr std::int64_t kReactionWindowMs = 2000;
constexpr std::int64_t kMaxSlowModeMs = 3600 * 1000;  // the largest slow_mode_seconds

[[noreturn]] void rate_limited(const std::string& ws_code, const std::string& message, int wait) {
  PartyError e(ErrorCode::rate_limited, ws_code, message);
  e.with_retry_after(wait);
  throw e;
}

}  // namespace

std::vector<MessageRow> PartiesService::chat_history(const Principal& user, const std::string& id,
                                                     const std::optional<std::string>& before, int limit) {
  auto p = visible_party(user, id);
  member(p, user.id);
  return store_.messages_before(id, before, limit);
}

// Chat on, not muted, not too soon after the last message (slow mode).
void PartiesService::check_chat(const Principal& user, const std::string& id, const std::shared_ptr<Room>& room) {
  auto me = rooms_.member(room, user.id);
  std::int64_t gap = 0;
  {
    std::lock_guard lock(room->mu);
    if (room->party.status == PartyStatus::ended) refuse(ErrorCode::forbidden, "party_ended", "The party has ended.");
    if (!room->settings.chat_enabled) refuse(ErrorCode::forbidden, "chat_disabled", "Chat is turned off in this party.");
    gap = static_cast<std::int64_t>(room->settings.slow_mode_seconds) * 1000;
  }
  if (me.muted) refuse(ErrorCode::forbidden, "muted", "You are muted in this party.");
  // Every message is counted, so slow mode turned on just after one applies to the next.
  const std::string slow_key = "slow:" + id + ":" + user.id;
  if (gap > 0 && !is_moderator_role(me.role)) {
    if (auto wait = limiter_.acquire(slow_key, 1, gap))
      rate_limited("slow_mode", "Slow mode: wait before sending another message.", *wait);
  } else {
    limiter_.hit(slow_key, kMaxSlowModeMs);
  }
}

MessageRow PartiesService::post_chat(const Principal& user, const std::string& id, const std::string& content) {
  visible_party(user, id);
  return chat_in_room(user, id, content);
}

MessageRow PartiesService::chat_in_room(const Principal& user, const std::string& id, const std::string& content) {
  auto text = checked_chat(content);
  check_chat(user, id, rooms_.load(id));
  screen_chat(user.id, text);  // moderation (#19): muted users, the word list
  // Time-ordered ids keep history, resume and broadcast in one order.
  std::int64_t sent_at = 0;
  auto message_id = new_uuid_v7(&sent_at);
  MessageRow m{message_id, id, user.id, user.username, text, "text", sent_at, {}};
  store_.insert_message(m);
  if (badges_) {
    try {
      m.badges = badges_->badges_of(user.id);
    } catch (const Error& e) {
      spdlog::debug("party {}: chat message {} sent without badges: {}", id, m.id, e.what());  // stored already
    }
  }
  if (guard_) guard_->posted(user.id, ContentType::party_message, m.id, m.content);
  // Stored is accepted: when Redis is gone now, every node sends it after its
  // resync (LiveRooms::replay_missed_chat), so the sender is not told to retry.
  try {
    // Not to the users blocked with the sender (either way).
    rooms_.send_about(id, user.id, realtime::make_message(protocol::chat_message(m)));
  } catch (const Error& e) {
    if (e.code() != ErrorCode::unavailable) throw;
    spdlog::warn("party {}: chat message {} stored, published after redis is back: {}", id, m.id, e.what());
  }
  notify_mentions(user, id, m);
  publish_event(events_, {.type = "party.chat_sent", .user_id = user.id, .party_id = id});
  return m;
}

// Members of the party mentioned by @username hear of it (nobody outside: the chat is the party's).
void PartiesService::notify_mentions(const Principal& author, const std::string& party_id, const MessageRow& m) {
  if (!notifier_ || !ids_by_name_) return;
  auto names = mentioned_usernames(m.content);
  if (names.empty()) return;
  auto party = store_.party(party_id);
  if (!party) return;
  boost::json::object data{{"actor_id", author.id},
                           {"actor_username", author.username},
                           {"party_id", party_id},
                           {"party_title", party->title},
                           {"message_id", m.id},
                           {"excerpt", excerpt(m.content, 200)},
                           {"link", "/parties/" + party_id}};
  auto text = boost::json::serialize(data);
  for (auto& uid : ids_by_name_(names))
    if (uid != author.id && is_party_member(uid, party_id))
      notify_quietly(notifier_, {uid, "mention", text, "", author.id});
}

ReactionRow PartiesService::react(const Principal& user, const std::string& id, const std::string& emoji,
                                  double video_ts) {
  visible_party(user, id);
  return react_in_room(user, id, emoji, video_ts);
}

ReactionRow PartiesService::react_in_room(const Principal& user, const std::string& id, const std::string& emoji,
                                          double video_ts) {
  if (emoji.empty() || emoji.size() > 16) refuse(ErrorCode::validation, "invalid_message", "emoji must be 1 to 16 bytes.");
  auto room = rooms_.load(id);
  rooms_.member(room, user.id);
  {
    std::lock_guard lock(room->mu);
    if (room->party.status == PartyStatus::ended) refuse(ErrorCode::forbidden, "party_ended", "The party has ended.");
    if (!room->settings.reactions_enabled)
      refuse(ErrorCode::forbidden, "reactions_disabled", "Reactions are turned off in this party.");
  }
  if (emoji_packs_ && !emoji_packs_->may_use(user.id, emoji))
    refuse(ErrorCode::forbidden, "emoji_not_owned", "This emoji comes with a store emoji pack you do not own.");
  if (auto wait = limiter_.acquire("react:" + id + ":" + user.id, kReactionBurst, kReactionWindowMs))
    rate_limited("rate_limited", "Too many reactions; slow down.", *wait);
  ReactionRow r{new_uuid(), id, user.id, user.username, emoji, video_ts, now_ms()};
  store_.insert_reaction(r);
  rooms_.send_about(id, user.id, realtime::make_message(protocol::reaction(r)));
  publish_event(events_, {.type = "party.reaction", .user_id = user.id, .party_id = id});
  return r;
}

std::map<std::string, long long> PartiesService::reaction_counts(const Principal& user, const std::string& id) {
  member(visible_party(user, id), user.id);
  return store_.reaction_counts(id);
}

}  // namespace wp::parties

// Conversations and their members (docs/api.md, "Messaging").
#include "modules/messaging/service.hpp"

#include <algorithm>
#include <set>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"

namespace wp::messaging {

MessagingService::MessagingService(Store& store, Relations& relations, UserChannel& channel, Notifier& notifier,
                                   RateLimiter& limiter, Settings settings)
    : store_(store),
      relations_(relations),
      channel_(channel),
      notifier_(notifier),
      limiter_(limiter),
      settings_(std::move(settings)) {}

// ---------------------------------------------------------------- helpers

ConversationRow MessagingService::existing(const std::string& id) {
  auto c = store_.conversation(id);
  if (!c) throw_not_found("No such conversation.");
  return *c;
}

ConversationKind MessagingService::kind_of(const std::string& id) {
  {
    std::lock_guard lock(kinds_mu_);
    if (auto it = kinds_.find(id); it != kinds_.end()) return it->second;
  }
  auto kind = existing(id).kind;
  std::lock_guard lock(kinds_mu_);
  if (kinds_.size() >= 100'000) kinds_.clear();  // a bound, not an eviction policy: it refills from the database
  kinds_.emplace(id, kind);
  return kind;
}

MemberRow MessagingService::membership(const Principal& me, const std::string& conversation_id) {
  // Conversations are private: staff are no exception.
  auto m = store_.member(conversation_id, me.id);
  if (!m) throw_not_found("No such conversation.");
  return *m;
}

void MessagingService::require_owner(const Principal& me, const ConversationRow& c) {
  if (c.kind != ConversationKind::group) throw_validation("conversation", "A direct conversation has no owner.");
  if (c.owner_id != me.id) throw_forbidden("Only the owner of the group may do this.");
}

std::string MessagingService::addable(const Principal& me, const std::string& user_id, const char* field) {
  if (!is_uuid(user_id)) throw_validation(field, "Must be a user id (UUID).");
  auto name = store_.active_username(user_id);
  if (!name) throw_validation(field, "No such user: " + user_id);
  if (relations_.blocked_between(me.id, user_id)) throw_validation(field, "You cannot add this user: " + user_id);
  return *name;
}

void MessagingService::check_direct_unblocked(const Principal& me, const ConversationRow& c) {
  if (c.kind != ConversationKind::direct) return;
  for (auto& m : store_.members(c.id))
    if (m.user_id != me.id && relations_.blocked_between(me.id, m.user_id))
      throw_forbidden("You cannot message this user.");
}

ConversationView MessagingService::view(const Principal& me, const ConversationRow& c) {
  ConversationView v;
  v.conversation = c;
  v.members = store_.members(c.id);
  std::vector<std::string> ids;
  for (auto& m : v.members) ids.push_back(m.user_id);
  v.online = channel_.online(ids);
  if (c.last_seq > 0) {
    MessageQuery newest;
    newest.limit = 1;
    auto page = store_.messages(c.id, newest, me.id);
    if (!page.rows.empty()) v.last_message = page.rows.back();
  }
  v.unread_count = store_.unread(c.id, me.id);
  return v;
}

// ---------------------------------------------------------------- conversations

ConversationView MessagingService::open_direct(const Principal& me, const std::string& user_id, bool& created) {
  if (user_id == me.id) throw_validation("user_id", "That is you.");
  if (!store_.active_username(user_id)) throw_not_found("User not found.");
  if (relations_.blocked_between(me.id, user_id)) throw_forbidden("You cannot message this user.");
  auto c = store_.open_direct(me.id, user_id, now_ms(), created);
  if (created) conversation_changed(c.id, Change::created, me.id);
  return view(me, c);
}

ConversationView MessagingService::create_group(const Principal& me, const GroupInput& in) {
  std::set<std::string> unique(in.member_ids.begin(), in.member_ids.end());
  if (unique.size() != in.member_ids.size()) throw_validation("member_ids", "A user is listed twice.");
  if (unique.count(me.id)) throw_validation("member_ids", "List the others: you are a member anyway.");
  int total = static_cast<int>(unique.size()) + 1;
  if (total < 3 || total > settings_.max_members)
    throw_validation("member_ids", "A group has 3 to " + std::to_string(settings_.max_members) + " members, you included.");
  for (auto& id : in.member_ids) addable(me, id, "member_ids");
  auto c = store_.create_group(me.id, in.title, in.add_members, in.member_ids, now_ms());
  conversation_changed(c.id, Change::created, me.id);
  return view(me, c);
}

ConversationPage MessagingService::list(const Principal& me, const std::optional<ConversationCursor>& after,
                                        int limit) {
  auto rows = store_.conversations_of(me.id, after, limit + 1);
  ConversationPage page;
  if (static_cast<int>(rows.size()) > limit) {
    rows.pop_back();
    page.next = ConversationCursor{rows.back().last_activity_at, rows.back().id};
  }
  for (auto& c : rows) page.rows.push_back(view(me, c));
  return page;
}

ConversationView MessagingService::get(const Principal& me, const std::string& id) {
  membership(me, id);
  return view(me, existing(id));
}

ConversationView MessagingService::update_group(const Principal& me, const std::string& id, const GroupPatch& patch) {
  membership(me, id);
  auto c = existing(id);
  require_owner(me, c);
  std::string title = patch.title.value_or(c.title.value_or(""));
  bool title_changed = patch.title && *patch.title != c.title.value_or("");
  auto add = patch.add_members.value_or(c.add_members);
  auto system = store_.update_group(id, title, add, me.id, title_changed, now_ms());
  auto members = store_.members(id);
  if (system) message_stored(*system, recipients_of(members));
  if (title_changed) conversation_changed(id, Change::title, me.id);
  if (add != c.add_members) conversation_changed(id, Change::settings, me.id);
  return view(me, existing(id));
}

ConversationView MessagingService::add_member(const Principal& me, const std::string& id, const std::string& user_id) {
  membership(me, id);
  auto c = existing(id);
  if (c.kind != ConversationKind::group) throw_validation("user_id", "A direct conversation has two members.");
  if (c.add_members == AddMembers::owner && c.owner_id != me.id)
    throw_forbidden("Only the owner may add members to this group.");
  addable(me, user_id, "user_id");
  auto system = store_.add_member(id, user_id, me.id, settings_.max_members, now_ms());
  message_stored(system, recipients_of(store_.members(id)));
  conversation_changed(id, Change::member_added, user_id);
  return view(me, existing(id));
}

void MessagingService::remove_member(const Principal& me, const std::string& id, const std::string& user_id) {
  membership(me, id);
  auto c = existing(id);
  if (user_id == me.id) throw_validation("user_id", "To leave, use leave/.");
  require_owner(me, c);
  auto change = store_.remove_member(id, user_id, me.id, SystemEvent::member_removed, now_ms());
  message_stored(change.system, recipients_of(store_.members(id)));
  conversation_changed(id, Change::member_removed, user_id, user_id);
}

void MessagingService::leave(const Principal& me, const std::string& id) {
  membership(me, id);
  auto c = existing(id);
  if (c.kind != ConversationKind::group) throw_validation("conversation", "A direct conversation cannot be left.");
  auto change = store_.remove_member(id, me.id, me.id, SystemEvent::member_left, now_ms());
  message_stored(change.system, recipients_of(store_.members(id)));
  conversation_changed(id, Change::member_left, me.id, me.id);
  if (change.new_owner) conversation_changed(id, Change::owner_changed, *change.new_owner);
}

}  // namespace wp::messaging

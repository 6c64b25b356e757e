#pragma once
// The messaging rules (docs/api.md, "Messaging"): conversations and their
// members (service.cpp), messages, reactions and read state (messages.cpp),
// attachments (attachments.cpp), and what the /ws/user/ socket carries:
// events, sync, typing, viewing and notifications (live.cpp).
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/domain_events.hpp"
#include "core/moderation.hpp"
#include "core/notifier.hpp"
#include "core/principal.hpp"
#include "core/rate_limiter.hpp"
#include "core/relations.hpp"
#include "core/user_channel.hpp"
#include "modules/messaging/model.hpp"
#include "modules/messaging/store.hpp"

namespace wp::messaging {

struct Settings {
  int max_members = 100;
  std::size_t max_body = 4000;
  int send_limit = 30;                 // messages per user per window
  std::int64_t send_window_ms = 10'000;
  int sync_limit = 100;                // messages one sync replays, over all its conversations
  std::int64_t typing_every_ms = 3000;
  std::int64_t viewing_ms = 60'000;
  std::int64_t max_attachment_bytes = 25 * 1024 * 1024;
  std::int64_t attachment_ttl_ms = 24 * 3600 * 1000LL;
  std::string data_dir = "./data";     // attachments under <data_dir>/attachments
  std::string ffmpeg = "ffmpeg";
};

struct GroupInput {
  std::string title;
  std::vector<std::string> member_ids;
  AddMembers add_members = AddMembers::owner;
};

struct GroupPatch {
  std::optional<std::string> title;
  std::optional<AddMembers> add_members;
};

struct MessageInput {
  std::string client_id;
  std::optional<std::string> body;
  std::optional<std::string> reply_to_id;
  std::optional<std::string> metadata;  // checked by dto (link previews)
  std::vector<std::string> attachment_ids;
  std::optional<MessageType> message_type;
};

// Where a page of messages starts: a message id either way, or a seq after.
struct PageRequest {
  std::optional<std::string> before, after;
  std::optional<std::int64_t> after_seq;
  int limit = 50;
  std::optional<std::string> text;
};

struct ConversationPage {
  std::vector<ConversationView> rows;
  std::optional<ConversationCursor> next;
};

// What a `sync` answers for one conversation: the messages missed, or refetch.
struct SyncItem {
  std::string conversation_id;
  bool refetch = false;
  std::int64_t last_seq = 0;
  std::vector<MessageRow> messages;
};

// Deletes uploads no message took within the TTL, rows and files; how many.
// The worker runs it (also in `watchparty worker`, which has no service).
int expire_orphan_attachments(Store& store, const Settings& settings);
// Removes the files of these attachments (their rows are gone).
void remove_attachment_files(const Settings& settings, const std::vector<AttachmentRow>& gone);

class MessagingService {
 public:
  MessagingService(Store& store, Relations& relations, UserChannel& channel, Notifier& notifier,
                   RateLimiter& limiter, Settings settings);

  // ---- moderation (#19), in moderation.cpp: sends are screened (mute, word
  // list) and flagged; messages appear in the queue and can be hidden.
  void set_content_guard(ContentGuard& guard) { guard_ = &guard; }
  void set_events(const DomainEvents& events) { events_ = &events; }
  std::optional<ContentView> message_view(const std::string& message_id);
  std::optional<std::string> hide_message(const std::string& message_id);
  bool restore_message(const std::string& message_id, const std::string& snapshot);
  // ---- end moderation

  // ---- conversations (service.cpp)
  ConversationView open_direct(const Principal& me, const std::string& user_id, bool& created);
  ConversationView create_group(const Principal& me, const GroupInput& in);
  ConversationPage list(const Principal& me, const std::optional<ConversationCursor>& after, int limit);
  ConversationView get(const Principal& me, const std::string& id);
  ConversationView update_group(const Principal& me, const std::string& id, const GroupPatch& patch);
  ConversationView add_member(const Principal& me, const std::string& id, const std::string& user_id);
  void remove_member(const Principal& me, const std::string& id, const std::string& user_id);
  void leave(const Principal& me, const std::string& id);
  UnreadTotal unread_total(const Principal& me) { return store_.unread_total(me.id); }
  bool show_read_receipts(const Principal& me) { return store_.show_read_receipts(me.id); }
  void set_show_read_receipts(const Principal& me, bool show) { store_.set_show_read_receipts(me.id, show); }

  // ---- messages (messages.cpp)
  Sent send(const Principal& me, const std::string& conversation_id, const MessageInput& in);
  MessagePage messages(const Principal& me, const std::string& conversation_id, const PageRequest& page);
  MessageRow edit(const Principal& me, const std::string& conversation_id, const std::string& message_id,
                  const std::string& body);
  MessageRow remove(const Principal& me, const std::string& conversation_id, const std::string& message_id);
  // Toggles my reaction: whether it is there now, and the message's reactions.
  std::pair<bool, std::vector<ReactionCount>> react(const Principal& me, const std::string& conversation_id,
                                                    const std::string& message_id, Emoji emoji);
  ReadState mark_read(const Principal& me, const std::string& conversation_id, const std::string& message_id);

  // ---- attachments (attachments.cpp)
  // A staging path for an upload, under <data_dir>/tmp.
  std::string staging_path() const;
  std::int64_t max_attachment_bytes() const { return settings_.max_attachment_bytes; }
  // Checks the staged file (sniffed type, allow-list), keeps it, makes the thumbnail.
  AttachmentRow upload(const Principal& me, const std::string& staged_path, const std::string& filename);
  // The file (or its thumbnail) of an attachment the caller may see; not_found otherwise.
  std::pair<AttachmentRow, std::string> attachment_file(const Principal& me, const std::string& id, bool thumbnail);
  int expire_orphans();

  // Work that need not delay a send's answer (the notices of a new message)
  // is handed to submit, which returns false when it cannot take more; it
  // then runs inline, as it does without a submit (tests, CLI).
  using Submit = std::function<bool(std::function<void()>)>;
  void run_notices_with(Submit submit) { later_ = std::move(submit); }

  // ---- the /ws/user/ socket (live.cpp)
  std::vector<SyncItem> sync(const Principal& me, const std::map<std::string, std::int64_t>& have);
  void typing(const Principal& me, const std::string& conversation_id);
  void viewing(const Principal& me, const std::optional<std::string>& conversation_id);

 private:
  // store_.send, with a refusal of a muted sender as 403 (moderation's word).
  Sent stored(const Principal& me, const NewMessage& m);
  // The caller's membership: not_found when they are not a member (staff included).
  MemberRow membership(const Principal& me, const std::string& conversation_id);
  ConversationRow existing(const std::string& id);
  ConversationView view(const Principal& me, const ConversationRow& c);
  void require_owner(const Principal& me, const ConversationRow& c);
  // A user the caller may put in a conversation: 400 `field` when unknown, inactive, or blocked either way.
  std::string addable(const Principal& me, const std::string& user_id, const char* field);
  void check_direct_unblocked(const Principal& me, const ConversationRow& c);
  MessageRow message_in(const std::string& conversation_id, const std::string& message_id, const std::string& viewer);

  // live.cpp: events after commit, to every member (`extra` too: one who just left).
  void publish(const std::vector<MemberRow>& to, const std::string& type, const std::string& data,
               const std::string& except = "", const std::string& extra = "");
  // message_new to every recipient, then the notices (after the answer, through later_).
  void message_stored(const MessageRow& m, const std::vector<Recipient>& to);
  void conversation_changed(const std::string& id, Change change, const std::string& user_id,
                            const std::string& extra = "");
  std::vector<Notice> new_message_notices(const MessageRow& m, const std::vector<Recipient>& to);
  // A conversation's kind never changes: asked once per conversation, then remembered.
  ConversationKind kind_of(const std::string& id);

  Store& store_;
  Relations& relations_;
  UserChannel& channel_;
  Notifier& notifier_;
  const DomainEvents* events_ = nullptr;
  RateLimiter& limiter_;
  ContentGuard* guard_ = nullptr;
  Settings settings_;
  Submit later_;
  std::mutex kinds_mu_;
  std::unordered_map<std::string, ConversationKind> kinds_;
};

std::vector<Recipient> recipients_of(const std::vector<MemberRow>& members);

}  // namespace wp::messaging

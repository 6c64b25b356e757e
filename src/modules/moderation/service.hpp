#pragma once
// Moderation rules (issue #19): reports on any content, the staff queue,
// actions on users and content with their audit trail, a user's standing,
// and automatic flags (word list, rate signal). Split over service.cpp
// (reports, queue), actions.cpp (actions, standing) and guard.cpp (flags).
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/moderation.hpp"
#include "core/notifier.hpp"
#include "core/principal.hpp"
#include "core/rate_limiter.hpp"
#include "modules/moderation/model.hpp"
#include "modules/moderation/store.hpp"
#include "modules/moderation/word_filter.hpp"

namespace wp::moderation {

struct Settings {
  WordFilter words;
  bool block = false;  // a word-list match refuses the text (else: it is posted and flagged)
  int rate_limit = 5;  // the same text this many times in a minute raises a flag
};

// One object of the staff queue with what staff need to decide.
struct QueueItem {
  QueueRow row;
  std::optional<ContentView> content;  // nullopt: gone, or a type without a lookup
  bool removed_by_moderation = false;
  std::vector<ReportRow> reports;
  std::vector<FlagRow> flags;
};

struct Listed {
  std::vector<ReportRow> rows;
  long long count = 0;
};

enum class BulkAction { warn, mute, suspend, unsuspend, ban, deactivate, activate };

struct BulkInput {
  std::vector<std::string> ids;
  BulkAction action = BulkAction::warn;
  std::string reason;
  std::optional<std::int64_t> duration_s;
};

struct BulkResult {
  std::string id;
  std::optional<ActionRow> action;  // set for the moderation actions that succeeded
  std::optional<Error> error;       // why this one failed
};

struct StandingView {
  Standing standing;
  std::vector<ActionRow> actions;  // newest first
  long long count = 0;
};

class ModerationService : public ContentGuard, public ReportSink {
 public:
  ModerationService(Store& store, RateLimiter& limiter, Settings settings);

  // ---- wiring (app.cpp)
  void add_content(ContentType type, ContentHandlers handlers);
  void set_notifier(Notifier& notifier) { notifier_ = &notifier; }
  // Accounts' answer for appeal tokens (app.cpp): a suspended or banned user reads their standing.
  void set_appeal_identity(AppealIdentity fn) { appeal_identity_ = std::move(fn); }
  Principal appellant(const std::string& appeal_token) const { return wp::appellant(appeal_identity_, appeal_token); }
  // Ends every session of a user and closes their sockets on every node (accounts).
  void set_end_sessions(std::function<void(const std::string& user_id)> end_sessions) {
    end_sessions_ = std::move(end_sessions);
  }

  // ---- reports (service.cpp)
  ReportRow report(const Principal& reporter, const ReportInput& in);
  std::string report(const Principal& reporter, ContentType type, const std::string& object_id,
                     const std::string& report_type, const std::string& description) override;
  std::vector<ReportRow> my_reports(const Principal& user, const Window& w);
  Listed reports(const Principal& staff, const ReportFilter& f, const Window& w);
  ReportRow update_report(const Principal& staff, const std::string& id, std::optional<ReportStatus> status,
                          std::optional<std::string> admin_notes);
  std::vector<QueueItem> queue(const Principal& staff, std::optional<ContentType> type, const Window& w,
                               long long& count);
  // Closes an object's open reports and flags without an action (dismissed) or after one (actioned).
  long long resolve(const Principal& staff, ContentType type, const std::string& object_id, ReportStatus status);
  std::vector<FlagRow> flags(const Principal& staff, std::optional<FlagStatus> status, const Window& w);

  // ---- actions and standing (actions.cpp)
  ActionRow act(const Principal& staff, ActionInput in);
  std::vector<ActionRow> actions(const Principal& staff, const std::optional<std::string>& user_id, const Window& w,
                                 long long& count);
  StandingView my_standing(const Principal& user, const Window& w);
  Standing standing_of(const std::string& user_id);
  // Why a user may not log in now (suspended, banned), for accounts; nullopt: they may.
  std::optional<std::string> login_refusal(const std::string& user_id);
  std::vector<std::string> user_ids_in(StandingState state);

  // ---- /api/admin/users/ (admin.cpp)
  // Deactivates or reactivates an account (accounts: set_user_active).
  void set_account_active(std::function<void(const Principal&, const std::string& user_id, bool active)> fn) {
    account_active_ = std::move(fn);
  }
  // One action on many users; each succeeds or fails on its own.
  std::vector<BulkResult> bulk(const Principal& staff, const BulkInput& in);

  // ---- ContentGuard (guard.cpp)
  void screen(const std::string& user_id, ContentType where, std::string_view text, const std::string& field) override;
  void screen_text(std::string_view text, const std::string& field) override;
  void posted(const std::string& user_id, ContentType type, const std::string& object_id,
              std::string_view text) override;

 private:
  const ContentHandlers* handlers(ContentType type) const;
  std::optional<ContentView> lookup(ContentType type, const std::string& object_id) const;
  void require_staff(const Principal& p) const;
  void check_target(const Principal& staff, const std::string& user_id) const;
  ActionRow remove_content(const Principal& staff, ActionRow a);
  ActionRow restore_content(const Principal& staff, ActionRow a);
  ActionRow standing_action(const Principal& staff, ActionRow a);
  void resolve_linked(const Principal& staff, const ActionRow& a);
  void tell(const ActionRow& a, const std::string& actor_id);
  void raise_flag(const std::string& user_id, ContentType type, const std::string& object_id, FlagSignal signal,
                  const std::string& detail, std::string_view text);

  Store& store_;
  RateLimiter& limiter_;
  Settings settings_;
  std::map<ContentType, ContentHandlers> content_;
  Notifier* notifier_ = nullptr;
  AppealIdentity appeal_identity_;
  std::function<void(const std::string&)> end_sessions_;
  std::function<void(const Principal&, const std::string&, bool)> account_active_;
};

}  // namespace wp::moderation

WP_ENUM_NAMES(wp::moderation::BulkAction, {wp::moderation::BulkAction::warn, "warn"},
              {wp::moderation::BulkAction::mute, "mute"}, {wp::moderation::BulkAction::suspend, "suspend"},
              {wp::moderation::BulkAction::unsuspend, "unsuspend"}, {wp::moderation::BulkAction::ban, "ban"},
              {wp::moderation::BulkAction::deactivate, "deactivate"},
              {wp::moderation::BulkAction::activate, "activate"});

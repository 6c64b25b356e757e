#pragma once
// The support desk's rules: tickets (who sees them, the status machine,
// assignment, the staff queue and summary), replies and internal notes
// (which the ticket's owner never sees, in lists, counts, notifications or
// files), attachments, FAQ entries and their votes, and feedback.
// service.cpp: tickets; replies.cpp: replies and attachments; faq.cpp: FAQ and feedback.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/moderation.hpp"
#include "core/notifier.hpp"
#include "core/principal.hpp"
#include "modules/support/model.hpp"
#include "modules/support/store.hpp"

namespace wp::support {

// Deletes attachments no ticket, reply or feedback took within the TTL (the workers run it).
int expire_orphan_attachments(Store& store, const Settings& settings);

class SupportService {
 public:
  SupportService(Store& store, Settings settings) : store_(store), settings_(std::move(settings)) {}

  void set_notifier(Notifier& n) { notifier_ = &n; }
  // Moderation's answer for appeals (app.cpp). Unset: any action id is taken as given.
  void set_appeal_check(AppealCheck fn) { appeal_check_ = std::move(fn); }
  // Accounts' answer for appeal tokens (app.cpp): the appeal routes act for a user who cannot log in.
  void set_appeal_identity(AppealIdentity fn) { appeal_identity_ = std::move(fn); }
  Principal appellant(const std::string& appeal_token) const { return wp::appellant(appeal_identity_, appeal_token); }
  // The appeal routes reach appeal tickets only (404 for any other).
  void require_appeal(const Principal& me, const std::string& ticket_id);
  const Settings& settings() const { return settings_; }

  // ---- tickets (service.cpp)
  TicketRow create(const Principal& me, const TicketInput& in);
  // The owner's or (staff) any ticket; 404 for anyone else.
  TicketRow get(const Principal& me, const std::string& id);
  std::vector<TicketRow> mine(const Principal& me, TicketFilter f, int limit, int offset, long long& count);
  std::vector<TicketRow> queue(const Principal& me, const TicketFilter& f, int limit, int offset, long long& count);
  // Staff: priority, category, admin notes and status. The owner: status only (close, reopen).
  TicketRow change(const Principal& me, const std::string& id, const TicketChange& c);
  TicketRow assign(const Principal& me, const std::string& id, const std::optional<std::string>& assignee);
  Summary summary(const Principal& me, int days);

  // ---- replies and attachments (replies.cpp)
  ReplyRow reply(const Principal& me, const std::string& ticket_id, const ReplyInput& in);
  // Internal notes only for staff; the owner's count leaves them out too.
  std::vector<ReplyRow> replies(const Principal& me, const std::string& ticket_id, int limit, int offset,
                                long long& count);
  // The attachments of the ticket's description (reply_id null) as the caller may see them.
  std::vector<AttachmentRow> ticket_attachments(const Principal& me, const TicketRow& t);
  std::string staging_path() const;
  AttachmentRow upload(const Principal& me, const std::string& staged_path, const std::string& filename);
  // The file (or thumbnail) of an attachment the caller may see; 404 otherwise.
  std::pair<AttachmentRow, std::string> attachment_file(const Principal& me, const std::string& id, bool thumbnail);
  int expire_orphans() { return expire_orphan_attachments(store_, settings_); }

  // ---- FAQ and feedback (faq.cpp); a null viewer is anonymous
  std::vector<FaqRow> faqs(const Principal* viewer, FaqFilter f, int limit, int offset, long long& count);
  FaqRow faq(const Principal* viewer, const std::string& id);
  std::vector<std::pair<std::string, long long>> faq_categories() { return store_.faq_categories(); }
  FaqRow create_faq(const Principal& me, const FaqInput& in);
  FaqRow update_faq(const Principal& me, const std::string& id, const FaqInput& in);
  void delete_faq(const Principal& me, const std::string& id);
  FaqRow vote(const Principal& me, const std::string& id, bool helpful);
  FeedbackRow create_feedback(const Principal& me, const FeedbackInput& in);
  std::vector<FeedbackRow> feedback(const Principal& me, const FeedbackFilter& f, int limit, int offset,
                                    long long& count);
  FeedbackRow triage(const Principal& me, const std::string& id, FeedbackStatus status);

 private:
  void require_staff(const Principal& me) const;
  TicketRow existing(const std::string& id);
  void tell_status(const Principal& me, const TicketRow& t);
  void tell_reply(const Principal& me, const TicketRow& t, const ReplyRow& r);

  Store& store_;
  Settings settings_;
  Notifier* notifier_ = nullptr;
  AppealCheck appeal_check_;
  AppealIdentity appeal_identity_;
};

}  // namespace wp::support

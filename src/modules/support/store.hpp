#pragma once
// Every statement of the support desk. store.cpp: tickets, replies and
// attachments; faq_store.cpp: FAQ entries, votes, feedback and the summary.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/support/model.hpp"

namespace wp::support {

class Store {
 public:
  explicit Store(db::Database& db) : db_(db) {}

  // ---- tickets (store.cpp)
  // Inserts the ticket and claims the uploader's unclaimed attachments for it
  // (validation on attachment_ids when one is not theirs or taken), in one transaction.
  void insert_ticket(const TicketRow& t, const std::vector<std::string>& attachment_ids);
  std::optional<TicketRow> ticket(const std::string& id);
  std::vector<TicketRow> tickets(const TicketFilter& f, int limit, int offset);
  long long count_tickets(const TicketFilter& f);
  // Writes status, priority, category, admin notes and their times if the status is still `old`.
  bool update_ticket(const TicketRow& t, TicketStatus old);
  void assign(const std::string& id, const std::optional<std::string>& assignee);
  bool is_active_staff(const std::string& user_id);

  // ---- replies (store.cpp)
  // In one transaction: locks the ticket, asks `decide` the status after the
  // reply (it may throw, which rolls back), inserts the reply, moves the
  // ticket's counters and claims the attachments. Returns the new status.
  TicketStatus add_reply(const ReplyRow& r, const std::vector<std::string>& attachment_ids,
                         const std::function<TicketStatus(TicketStatus)>& decide);
  std::vector<ReplyRow> replies(const std::string& ticket_id, bool with_internal, int limit, int offset);
  long long count_replies(const std::string& ticket_id, bool with_internal);
  std::vector<AttachmentRow> attachments_of(const std::string& ticket_id, bool with_internal);

  // ---- attachments (store.cpp)
  void insert_attachment(const AttachmentRow& a);
  std::optional<AttachmentRow> attachment(const std::string& id);
  std::vector<AttachmentRow> orphans(std::int64_t created_before);
  bool delete_orphan(const std::string& id);

  // ---- FAQ (faq_store.cpp); viewer: whose vote is read ("" for nobody)
  std::vector<FaqRow> faqs(const FaqFilter& f, const std::string& viewer, int limit, int offset);
  long long count_faqs(const FaqFilter& f);
  std::optional<FaqRow> faq(const std::string& id, const std::string& viewer);
  std::vector<std::pair<std::string, long long>> faq_categories();
  void insert_faq(const FaqRow& q);
  void update_faq(const FaqRow& q);
  void delete_faq(const std::string& id);
  // One vote per user: the first is stored, a different one replaces it, the same again changes nothing.
  void vote(const std::string& faq_id, const std::string& user_id, bool helpful);

  // ---- feedback (faq_store.cpp)
  // Inserts the feedback and claims its screenshot (an image of the user's, unclaimed) in one transaction.
  void insert_feedback(const FeedbackRow& b);
  std::vector<FeedbackRow> feedback(const FeedbackFilter& f, int limit, int offset);
  long long count_feedback(const FeedbackFilter& f);
  std::optional<FeedbackRow> feedback_item(const std::string& id);
  void set_feedback_status(const std::string& id, FeedbackStatus s, std::int64_t now);

  // ---- the staff summary (faq_store.cpp); first replies of tickets created since `since`
  Summary summary(std::int64_t since);

 private:
  db::Database& db_;
};

}  // namespace wp::support

#pragma once
// Every SQL text of the support store, and the column table of each row it
// reads. Only the store's files include this. A row query is the text after
// the SELECT list: db::select_rows puts the list first.
#include "db/columns.hpp"
#include "modules/support/model.hpp"

namespace wp::support::sql {

// ---------------------------------------------------------------- tickets

inline const db::Columns<TicketRow> kTicket{
    {"t.id", &TicketRow::id},
    {"t.user_id", &TicketRow::user_id},
    {"u.username", &TicketRow::username},
    {"t.subject", &TicketRow::subject},
    {"t.description", &TicketRow::description},
    {"t.category", &TicketRow::category},
    {"t.priority", &TicketRow::priority},
    {"t.status", &TicketRow::status},
    {"t.assigned_to", &TicketRow::assigned_to},
    {"a.username", &TicketRow::assignee_username},
    {"t.admin_notes", &TicketRow::admin_notes},
    {"t.moderation_action_id", &TicketRow::moderation_action_id},
    {"t.first_staff_reply_at", &TicketRow::first_staff_reply_at},
    {"t.resolved_at", &TicketRow::resolved_at},
    {"t.closed_at", &TicketRow::closed_at},
    {"t.reply_count", &TicketRow::reply_count},
    {"t.internal_count", &TicketRow::internal_count},
    {"t.last_reply_at", &TicketRow::last_reply_at},
    {"t.created_at", &TicketRow::created_at},
    {"t.updated_at", &TicketRow::updated_at},
};

inline constexpr const char* kTicketFrom =
    "FROM support_tickets t JOIN users u ON u.id = t.user_id LEFT JOIN users a ON a.id = t.assigned_to";
inline constexpr const char* kCountTickets = "SELECT COUNT(*) FROM support_tickets t";
inline constexpr const char* kTicketWhereId = " WHERE t.id = :id";
inline constexpr const char* kInsertTicket =
    "INSERT INTO support_tickets (id, user_id, subject, description, category, priority, status, "
    "moderation_action_id, created_at, updated_at) VALUES (:id, :u, :s, :d, :c, :p, 'open', :m, :t, :t2)";
// A change of what staff set, guarded by the status it was decided on.
inline constexpr const char* kUpdateTicket =
    "UPDATE support_tickets SET status = :s, priority = :p, category = :c, admin_notes = :n, resolved_at = :r, "
    "closed_at = :cl, updated_at = :u WHERE id = :id AND status = :old";
inline constexpr const char* kAssign = "UPDATE support_tickets SET assigned_to = :a WHERE id = :id";
inline constexpr const char* kIsActiveStaff =
    "SELECT COUNT(*) FROM users WHERE id = :id AND is_active = TRUE AND (is_staff = TRUE OR is_superuser = TRUE)";

// The list: kTicketFrom (kCountTickets) + kWhereTrue + the filters that apply, then the order.
inline constexpr const char* kWhereTrue = " WHERE 1 = 1";
inline constexpr const char* kOfOwner = " AND t.user_id = :owner";
inline constexpr const char* kWithStatus = " AND t.status = :status";
inline constexpr const char* kWithPriority = " AND t.priority = :priority";
inline constexpr const char* kWithCategory = " AND t.category = :category";
inline constexpr const char* kWithAssignee = " AND t.assigned_to = :assignee";
inline constexpr const char* kUnassigned = " AND t.assigned_to IS NULL";
inline constexpr const char* kSearch =
    " AND (LOWER(t.subject) LIKE :search ESCAPE '\\' OR LOWER(t.description) LIKE :search2 ESCAPE '\\')";
inline constexpr const char* kNewestFirst = " ORDER BY t.created_at DESC, t.id LIMIT :lim OFFSET :off";
inline constexpr const char* kOldestFirst = " ORDER BY t.created_at, t.id LIMIT :lim OFFSET :off";
inline constexpr const char* kLatestChange = " ORDER BY t.updated_at DESC, t.id LIMIT :lim OFFSET :off";
// The staff queue's default: the most urgent first, then the oldest.
inline constexpr const char* kByPriority =
    " ORDER BY CASE t.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, "
    "t.created_at, t.id LIMIT :lim OFFSET :off";

// ---------------------------------------------------------------- replies

inline const db::Columns<ReplyRow> kReply{
    {"r.id", &ReplyRow::id},
    {"r.ticket_id", &ReplyRow::ticket_id},
    {"r.author_id", &ReplyRow::author_id},
    {"u.username", &ReplyRow::author_username},
    {"r.from_staff", &ReplyRow::from_staff},
    {"r.is_internal", &ReplyRow::is_internal},
    {"r.content", &ReplyRow::content},
    {"r.created_at", &ReplyRow::created_at},
};

inline constexpr const char* kReplyFrom =
    "FROM ticket_replies r LEFT JOIN users u ON u.id = r.author_id WHERE r.ticket_id = :t";
inline constexpr const char* kCountReplies = "SELECT COUNT(*) FROM ticket_replies r WHERE r.ticket_id = :t";
inline constexpr const char* kPublicOnly = " AND r.is_internal = FALSE";
inline constexpr const char* kRepliesInOrder = " ORDER BY r.created_at, r.id LIMIT :lim OFFSET :off";
inline constexpr const char* kReplyById = " AND r.id = :id";

inline constexpr const char* kLockTicket = "SELECT t.status FROM support_tickets t WHERE t.id = :id";
inline constexpr const char* kForUpdate = " FOR UPDATE";
inline constexpr const char* kInsertReply =
    "INSERT INTO ticket_replies (id, ticket_id, author_id, from_staff, is_internal, content, created_at) "
    "VALUES (:id, :t, :a, :s, :i, :c, :at)";
// A public reply: what the user sees moves (and the first staff reply is the SLA's mark).
inline constexpr const char* kAfterPublicReply =
    "UPDATE support_tickets SET status = :s, reply_count = reply_count + 1, last_reply_at = :t, updated_at = :t2, "
    "resolved_at = CASE WHEN :s2 IN ('open', 'pending') THEN NULL ELSE resolved_at END, "
    "first_staff_reply_at = CASE WHEN :staff = 1 AND first_staff_reply_at IS NULL THEN :t3 "
    "ELSE first_staff_reply_at END WHERE id = :id";
// An internal note moves nothing the user sees.
inline constexpr const char* kAfterInternalNote =
    "UPDATE support_tickets SET internal_count = internal_count + 1 WHERE id = :id";

// ---------------------------------------------------------------- attachments

inline const db::Columns<AttachmentRow> kAttachment{
    {"f.id", &AttachmentRow::id},
    {"f.uploader_id", &AttachmentRow::uploader_id},
    {"f.ticket_id", &AttachmentRow::ticket_id},
    {"f.reply_id", &AttachmentRow::reply_id},
    {"f.feedback_id", &AttachmentRow::feedback_id},
    {"f.filename", &AttachmentRow::filename},
    {"f.mime_type", &AttachmentRow::mime_type},
    {"f.kind", &AttachmentRow::kind},
    {"f.size", &AttachmentRow::size},
    {"f.has_thumbnail", &AttachmentRow::has_thumbnail},
    {"f.position", &AttachmentRow::position},
    {"f.created_at", &AttachmentRow::created_at},
    {"t.user_id", &AttachmentRow::ticket_owner},
    {"CASE WHEN r.is_internal = TRUE THEN 1 ELSE 0 END", &AttachmentRow::internal},
};

inline constexpr const char* kAttachmentFrom =
    "FROM support_attachments f LEFT JOIN support_tickets t ON t.id = f.ticket_id "
    "LEFT JOIN ticket_replies r ON r.id = f.reply_id";
inline constexpr const char* kAttachmentWhereId = " WHERE f.id = :id";
inline constexpr const char* kAttachmentsOfTicket = " WHERE f.ticket_id = :t";
inline constexpr const char* kNotInternal = " AND (r.is_internal IS NULL OR r.is_internal = FALSE)";
inline constexpr const char* kAttachmentOrder = " ORDER BY f.position, f.created_at";
inline constexpr const char* kOrphans =
    " WHERE f.ticket_id IS NULL AND f.feedback_id IS NULL AND f.created_at < :t ORDER BY f.created_at LIMIT 100";
inline constexpr const char* kInsertAttachment =
    "INSERT INTO support_attachments (id, uploader_id, filename, mime_type, kind, size, has_thumbnail, created_at) "
    "VALUES (:id, :u, :f, :m, :k, :s, :th, :t)";
inline constexpr const char* kClaimForTicket =
    "UPDATE support_attachments SET ticket_id = :t, reply_id = :r, position = :p WHERE id = :id AND uploader_id = :u "
    "AND ticket_id IS NULL AND feedback_id IS NULL";
inline constexpr const char* kClaimScreenshot =
    "UPDATE support_attachments SET feedback_id = :fb WHERE id = :id AND uploader_id = :u AND kind = 'image' "
    "AND ticket_id IS NULL AND feedback_id IS NULL";
inline constexpr const char* kDeleteOrphan =
    "DELETE FROM support_attachments WHERE id = :id AND ticket_id IS NULL AND feedback_id IS NULL";

// ---------------------------------------------------------------- FAQ

inline const db::Columns<FaqRow> kFaq{
    {"q.id", &FaqRow::id},
    {"q.category", &FaqRow::category},
    {"q.question", &FaqRow::question},
    {"q.answer", &FaqRow::answer},
    {"q.position", &FaqRow::position},
    {"q.is_published", &FaqRow::is_published},
    {"q.helpful_count", &FaqRow::helpful_count},
    {"q.not_helpful_count", &FaqRow::not_helpful_count},
    {"(SELECT CASE WHEN v.helpful = TRUE THEN 1 ELSE 0 END FROM faq_votes v WHERE v.faq_id = q.id "
     "AND v.user_id = :viewer)",
     &FaqRow::my_vote},
    {"q.created_at", &FaqRow::created_at},
    {"q.updated_at", &FaqRow::updated_at},
};

inline constexpr const char* kFaqFrom = "FROM faq_entries q WHERE 1 = 1";
inline constexpr const char* kCountFaq = "SELECT COUNT(*) FROM faq_entries q WHERE 1 = 1";
inline constexpr const char* kFaqWhereId = " AND q.id = :id";
inline constexpr const char* kPublished = " AND q.is_published = TRUE";
inline constexpr const char* kFaqCategory = " AND q.category = :category";
inline constexpr const char* kFaqSearch =
    " AND (LOWER(q.question) LIKE :search ESCAPE '\\' OR LOWER(q.answer) LIKE :search2 ESCAPE '\\')";
inline constexpr const char* kFaqOrder = " ORDER BY q.category, q.position, q.created_at, q.id LIMIT :lim OFFSET :off";

struct CategoryCount {
  std::string category;
  std::int64_t count = 0;
};
inline const db::Columns<CategoryCount> kCategoryCount{
    {"q.category", &CategoryCount::category},
    {"COUNT(*)", &CategoryCount::count},
};
inline constexpr const char* kFaqCategories =
    "FROM faq_entries q WHERE q.is_published = TRUE GROUP BY q.category ORDER BY q.category";

inline constexpr const char* kInsertFaq =
    "INSERT INTO faq_entries (id, category, question, answer, position, is_published, created_at, updated_at) "
    "VALUES (:id, :c, :q, :a, :p, :pub, :t, :t2)";
inline constexpr const char* kUpdateFaq =
    "UPDATE faq_entries SET category = :c, question = :q, answer = :a, position = :p, is_published = :pub, "
    "updated_at = :t WHERE id = :id";
inline constexpr const char* kDeleteFaq = "DELETE FROM faq_entries WHERE id = :id";

inline constexpr const char* kInsertVote =
    "INSERT INTO faq_votes (faq_id, user_id, helpful, created_at) VALUES (:f, :u, :h, :t) "
    "ON CONFLICT (faq_id, user_id) DO NOTHING";
inline constexpr const char* kChangeVote =
    "UPDATE faq_votes SET helpful = :h WHERE faq_id = :f AND user_id = :u AND helpful <> :h2";
inline constexpr const char* kMoveVoteCounts =
    "UPDATE faq_entries SET helpful_count = helpful_count + :dh, not_helpful_count = not_helpful_count + :dn "
    "WHERE id = :id";

// ---------------------------------------------------------------- feedback

inline const db::Columns<FeedbackRow> kFeedback{
    {"b.id", &FeedbackRow::id},
    {"b.user_id", &FeedbackRow::user_id},
    {"u.username", &FeedbackRow::username},
    {"b.rating", &FeedbackRow::rating},
    {"b.text", &FeedbackRow::text},
    {"b.page", &FeedbackRow::page},
    {"b.context", &FeedbackRow::context},
    {"b.screenshot_id", &FeedbackRow::screenshot_id},
    {"b.status", &FeedbackRow::status},
    {"b.created_at", &FeedbackRow::created_at},
    {"b.updated_at", &FeedbackRow::updated_at},
};

inline constexpr const char* kFeedbackFrom = "FROM support_feedback b JOIN users u ON u.id = b.user_id WHERE 1 = 1";
inline constexpr const char* kCountFeedback = "SELECT COUNT(*) FROM support_feedback b WHERE 1 = 1";
inline constexpr const char* kFeedbackWhereId = " AND b.id = :id";
inline constexpr const char* kFeedbackStatus = " AND b.status = :status";
inline constexpr const char* kFeedbackRating = " AND b.rating = :rating";
inline constexpr const char* kFeedbackOrder = " ORDER BY b.created_at DESC, b.id LIMIT :lim OFFSET :off";
inline constexpr const char* kInsertFeedback =
    "INSERT INTO support_feedback (id, user_id, rating, text, page, context, screenshot_id, status, created_at, "
    "updated_at) VALUES (:id, :u, :r, :x, :p, :c, :s, 'new', :t, :t2)";
inline constexpr const char* kSetFeedbackStatus =
    "UPDATE support_feedback SET status = :s, updated_at = :t WHERE id = :id";

// ---------------------------------------------------------------- the staff summary

struct StatusCount {
  TicketStatus status = TicketStatus::open;
  std::int64_t count = 0;
};
inline const db::Columns<StatusCount> kStatusCount{{"t.status", &StatusCount::status},
                                                   {"COUNT(*)", &StatusCount::count}};
inline constexpr const char* kByStatus = "FROM support_tickets t GROUP BY t.status";
inline constexpr const char* kActive = " WHERE t.status IN ('open', 'pending')";
inline constexpr const char* kCountActive = "SELECT COUNT(*) FROM support_tickets t WHERE t.status IN ('open', 'pending')";
inline constexpr const char* kAndUnassigned = " AND t.assigned_to IS NULL";
inline constexpr const char* kAndPriority = " AND t.priority = :p";
inline constexpr const char* kAndUnanswered = " AND t.first_staff_reply_at IS NULL";

struct Awaiting {
  std::int64_t count = 0;
  std::optional<std::int64_t> oldest;
};
inline const db::Columns<Awaiting> kAwaiting{{"COUNT(*)", &Awaiting::count},
                                             {"MIN(t.created_at)", &Awaiting::oldest}};
inline constexpr const char* kAwaitingFrom =
    "FROM support_tickets t WHERE t.status IN ('open', 'pending') AND t.first_staff_reply_at IS NULL";

struct FirstReplies {
  std::int64_t count = 0;
  std::optional<std::int64_t> avg_ms, max_ms;
};
inline const db::Columns<FirstReplies> kFirstReplies{
    {"COUNT(*)", &FirstReplies::count},
    {"CAST(AVG(t.first_staff_reply_at - t.created_at) AS BIGINT)", &FirstReplies::avg_ms},
    {"MAX(t.first_staff_reply_at - t.created_at)", &FirstReplies::max_ms},
};
inline constexpr const char* kFirstRepliesFrom =
    "FROM support_tickets t WHERE t.first_staff_reply_at IS NOT NULL AND t.created_at >= :since";

}  // namespace wp::support::sql

#include "modules/support/dto.hpp"

#include "core/clock.hpp"
#include "http/json.hpp"

namespace wp::support {

namespace json = boost::json;

namespace {

using http::time_or_null;

json::value text_or_null(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::value number_or_null(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

}  // namespace

json::object attachment_json(const AttachmentRow& a) {
  std::string url = "/api/support/attachments/" + a.id + "/";
  return {{"id", a.id},
          {"filename", a.filename},
          {"mime_type", a.mime_type},
          {"kind", to_string(a.kind)},
          {"size", a.size},
          {"has_thumbnail", a.has_thumbnail},
          {"url", url},
          {"thumbnail_url", a.has_thumbnail ? json::value(url + "thumbnail/") : json::value(nullptr)},
          {"created_at", to_rfc3339(a.created_at)}};
}

json::object ticket_json(const TicketRow& t, bool staff_view, const Settings& settings,
                         const std::vector<AttachmentRow>& attachments) {
  json::array files;
  for (auto& a : attachments) files.push_back(attachment_json(a));
  auto finished = t.resolved_at ? t.resolved_at : t.closed_at;
  std::optional<std::int64_t> reopen_until;
  if (finished && (t.status == TicketStatus::resolved || t.status == TicketStatus::closed))
    reopen_until = *finished + std::int64_t{settings.reopen_days} * kDayMs;
  json::object o{{"id", t.id},
                 {"user", json::object{{"id", t.user_id}, {"username", t.username}}},
                 {"subject", t.subject},
                 {"description", t.description},
                 {"category", to_string(t.category)},
                 {"priority", to_string(t.priority)},
                 {"status", to_string(t.status)},
                 {"moderation_action_id", text_or_null(t.moderation_action_id)},
                 {"reply_count", t.reply_count},
                 {"last_reply_at", time_or_null(t.last_reply_at)},
                 {"resolved_at", time_or_null(t.resolved_at)},
                 {"closed_at", time_or_null(t.closed_at)},
                 {"reopen_until", time_or_null(reopen_until)},
                 {"attachments", std::move(files)},
                 {"created_at", to_rfc3339(t.created_at)},
                 {"updated_at", to_rfc3339(t.updated_at)}};
  if (!staff_view) return o;
  o["assigned_to"] = t.assigned_to ? json::value(json::object{{"id", *t.assigned_to},
                                                              {"username", t.assignee_username.value_or("")}})
                                   : json::value(nullptr);
  o["admin_notes"] = t.admin_notes;
  o["internal_count"] = t.internal_count;
  o["first_staff_reply_at"] = time_or_null(t.first_staff_reply_at);
  o["first_reply_ms"] =
      t.first_staff_reply_at ? json::value(*t.first_staff_reply_at - t.created_at) : json::value(nullptr);
  return o;
}

json::object reply_json(const ReplyRow& r) {
  json::array files;
  for (auto& a : r.attachments) files.push_back(attachment_json(a));
  return {{"id", r.id},
          {"ticket_id", r.ticket_id},
          {"author", r.author_id ? json::value(json::object{{"id", *r.author_id},
                                                            {"username", r.author_username.value_or("")}})
                                 : json::value(nullptr)},
          {"from_staff", r.from_staff},
          {"is_internal", r.is_internal},
          {"content", r.content},
          {"attachments", std::move(files)},
          {"created_at", to_rfc3339(r.created_at)}};
}

json::object faq_json(const FaqRow& q, bool staff_view) {
  json::object o{{"id", q.id},
                 {"category", q.category},
                 {"question", q.question},
                 {"answer", q.answer},
                 {"answer_format", "markdown"},
                 {"position", q.position},
                 {"helpful_count", q.helpful_count},
                 {"not_helpful_count", q.not_helpful_count},
                 {"my_vote", q.my_vote ? json::value(*q.my_vote) : json::value(nullptr)},
                 {"updated_at", to_rfc3339(q.updated_at)}};
  if (staff_view) {
    o["is_published"] = q.is_published;
    o["created_at"] = to_rfc3339(q.created_at);
  }
  return o;
}

json::object feedback_json(const FeedbackRow& b) {
  boost::system::error_code ec;
  json::value context = json::parse(b.context, ec);
  if (ec) context = json::object{};
  std::optional<std::string> screenshot_url;
  if (b.screenshot_id) screenshot_url = "/api/support/attachments/" + *b.screenshot_id + "/";
  return {{"id", b.id},
          {"user", json::object{{"id", b.user_id}, {"username", b.username}}},
          {"rating", b.rating},
          {"text", b.text},
          {"page", b.page},
          {"context", context},
          {"screenshot_id", text_or_null(b.screenshot_id)},
          {"screenshot_url", text_or_null(screenshot_url)},
          {"status", to_string(b.status)},
          {"created_at", to_rfc3339(b.created_at)},
          {"updated_at", to_rfc3339(b.updated_at)}};
}

json::object summary_json(const Summary& s, int days) {
  return {{"by_status", json::object{{"open", s.open}, {"pending", s.pending}, {"resolved", s.resolved},
                                     {"closed", s.closed}}},
          {"unassigned", s.unassigned},
          {"urgent", s.urgent},
          {"high", s.high},
          {"awaiting_first_reply", s.awaiting_first_reply},
          {"oldest_awaiting_since", time_or_null(s.oldest_awaiting_since)},
          {"first_reply", json::object{{"days", days},
                                       {"answered", s.answered},
                                       {"avg_ms", number_or_null(s.first_reply_avg_ms)},
                                       {"max_ms", number_or_null(s.first_reply_max_ms)}}}};
}

}  // namespace wp::support

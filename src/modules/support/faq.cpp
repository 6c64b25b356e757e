// FAQ entries (published for everyone, drafts for staff), their votes, and feedback.
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "modules/support/service.hpp"

namespace wp::support {

std::vector<FaqRow> SupportService::faqs(const Principal* viewer, FaqFilter f, int limit, int offset,
                                         long long& count) {
  if (!viewer || !viewer->staff()) f.published_only = true;
  count = store_.count_faqs(f);
  return store_.faqs(f, viewer ? viewer->id : "", limit, offset);
}

FaqRow SupportService::faq(const Principal* viewer, const std::string& id) {
  auto q = store_.faq(id, viewer ? viewer->id : "");
  if (!q || (!q->is_published && !(viewer && viewer->staff()))) throw_not_found("No such question.");
  return *q;
}

FaqRow SupportService::create_faq(const Principal& me, const FaqInput& in) {
  require_staff(me);
  FaqRow q;
  q.id = new_uuid();
  q.category = in.category.value_or("general");
  q.question = in.question.value_or("");
  q.answer = in.answer.value_or("");
  q.position = in.position.value_or(0);
  q.is_published = in.is_published.value_or(false);
  q.created_at = q.updated_at = now_ms();
  store_.insert_faq(q);
  return faq(&me, q.id);
}

FaqRow SupportService::update_faq(const Principal& me, const std::string& id, const FaqInput& in) {
  require_staff(me);
  auto q = faq(&me, id);
  if (in.category) q.category = *in.category;
  if (in.question) q.question = *in.question;
  if (in.answer) q.answer = *in.answer;
  if (in.position) q.position = *in.position;
  if (in.is_published) q.is_published = *in.is_published;
  q.updated_at = now_ms();
  store_.update_faq(q);
  return faq(&me, id);
}

void SupportService::delete_faq(const Principal& me, const std::string& id) {
  require_staff(me);
  faq(&me, id);
  store_.delete_faq(id);
}

FaqRow SupportService::vote(const Principal& me, const std::string& id, bool helpful) {
  faq(&me, id);  // a draft is 404 to non-staff
  store_.vote(id, me.id, helpful);
  return faq(&me, id);
}

FeedbackRow SupportService::create_feedback(const Principal& me, const FeedbackInput& in) {
  FeedbackRow b;
  b.id = new_uuid();
  b.user_id = me.id;
  b.rating = in.rating;
  b.text = in.text;
  b.page = in.page;
  b.context = in.context;
  b.screenshot_id = in.screenshot_id;
  b.created_at = b.updated_at = now_ms();
  store_.insert_feedback(b);
  return *store_.feedback_item(b.id);
}

std::vector<FeedbackRow> SupportService::feedback(const Principal& me, const FeedbackFilter& f, int limit,
                                                  int offset, long long& count) {
  require_staff(me);
  count = store_.count_feedback(f);
  return store_.feedback(f, limit, offset);
}

FeedbackRow SupportService::triage(const Principal& me, const std::string& id, FeedbackStatus status) {
  require_staff(me);
  if (!store_.feedback_item(id)) throw_not_found("No such feedback.");
  store_.set_feedback_status(id, status, now_ms());
  return *store_.feedback_item(id);
}

}  // namespace wp::support

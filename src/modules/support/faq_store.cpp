// The support store's FAQ, votes, feedback and the staff summary.
#include <soci/soci.h>

#include "core/clock.hpp"
#include "db/affected.hpp"
#include "db/columns.hpp"
#include "db/like.hpp"
#include "db/soci_optional.hpp"
#include "modules/support/sql.hpp"
#include "modules/support/store.hpp"

namespace wp::support {

using soci::use;

namespace {

std::string faq_where(const FaqFilter& f, db::NamedParams& p) {
  std::string where;
  if (f.published_only) where += sql::kPublished;
  if (f.category) where += sql::kFaqCategory, p.add("category", *f.category);
  if (f.search) {
    where += sql::kFaqSearch;
    p.add("search", db::like_pattern(*f.search));
    p.add("search2", db::like_pattern(*f.search));
  }
  return where;
}

std::string feedback_where(const FeedbackFilter& f, db::NamedParams& p) {
  std::string where;
  if (f.status) where += sql::kFeedbackStatus, p.add("status", std::string(to_string(*f.status)));
  if (f.rating) where += sql::kFeedbackRating, p.add("rating", std::to_string(*f.rating));
  return where;
}

}  // namespace

// ---------------------------------------------------------------- FAQ

std::vector<FaqRow> Store::faqs(const FaqFilter& f, const std::string& viewer, int limit, int offset) {
  return db_.with([&](soci::session& s) {
    db::NamedParams p;
    p.add("viewer", viewer);
    std::string where = faq_where(f, p);
    return db::select_rows(s, sql::kFaq, sql::kFaqFrom + where + sql::kFaqOrder, [&](soci::statement& st) {
      p.bind(st);
      st.exchange(use(limit, "lim"));
      st.exchange(use(offset, "off"));
    });
  });
}

long long Store::count_faqs(const FaqFilter& f) {
  return db_.with([&](soci::session& s) {
    db::NamedParams p;
    std::string where = faq_where(f, p);
    return db::fetch_count(s, sql::kCountFaq + where, [&](soci::statement& st) { p.bind(st); });
  });
}

std::optional<FaqRow> Store::faq(const std::string& id, const std::string& viewer) {
  return db_.with([&](soci::session& s) {
    db::NamedParams p;
    p.add("viewer", viewer);
    p.add("id", id);
    return db::select_one(s, sql::kFaq, std::string(sql::kFaqFrom) + sql::kFaqWhereId,
                          [&](soci::statement& st) { p.bind(st); });
  });
}

std::vector<std::pair<std::string, long long>> Store::faq_categories() {
  return db_.with([&](soci::session& s) {
    std::vector<std::pair<std::string, long long>> out;
    for (auto& c : db::select_rows(s, sql::kCategoryCount, sql::kFaqCategories, [](soci::statement&) {}))
      out.emplace_back(c.category, c.count);
    return out;
  });
}

void Store::insert_faq(const FaqRow& q) {
  int pub = q.is_published, position = q.position;
  long long created = q.created_at, updated = q.updated_at;
  db_.with([&](soci::session& s) {
    s << sql::kInsertFaq, use(q.id), use(q.category), use(q.question), use(q.answer), use(position), use(pub),
        use(created), use(updated);
  });
}

void Store::update_faq(const FaqRow& q) {
  int pub = q.is_published, position = q.position;
  long long updated = q.updated_at;
  db_.with([&](soci::session& s) {
    s << sql::kUpdateFaq, use(q.category), use(q.question), use(q.answer), use(position), use(pub), use(updated),
        use(q.id);
  });
}

void Store::delete_faq(const std::string& id) {
  db_.with([&](soci::session& s) { s << sql::kDeleteFaq, use(id); });
}

void Store::vote(const std::string& faq_id, const std::string& user_id, bool helpful) {
  int h = helpful;
  long long now = now_ms();
  db_.tx([&](soci::session& s) {
    soci::statement ins = (s.prepare << sql::kInsertVote, use(faq_id), use(user_id), use(h), use(now));
    int dh = 0, dn = 0;
    if (db::execute_counting(ins) == 1) {
      (helpful ? dh : dn) = 1;
    } else {
      soci::statement change = (s.prepare << sql::kChangeVote, use(h), use(faq_id), use(user_id), use(h));
      if (db::execute_counting(change) != 1) return;
      dh = helpful ? 1 : -1;
      dn = -dh;
    }
    s << sql::kMoveVoteCounts, use(dh), use(dn), use(faq_id);
  });
}

// ---------------------------------------------------------------- feedback

void Store::insert_feedback(const FeedbackRow& b) {
  long long created = b.created_at, updated = b.updated_at;
  int rating = b.rating;
  db_.tx([&](soci::session& s) {
    s << sql::kInsertFeedback, use(b.id), use(b.user_id), use(rating), use(b.text), use(b.page), use(b.context),
        use(b.screenshot_id), use(created), use(updated);
    if (!b.screenshot_id) return;
    soci::statement st = (s.prepare << sql::kClaimScreenshot, use(b.id), use(*b.screenshot_id), use(b.user_id));
    if (db::execute_counting(st) != 1)
      throw_validation("screenshot_id", "No such image of yours, or it is attached already.");
  });
}

std::vector<FeedbackRow> Store::feedback(const FeedbackFilter& f, int limit, int offset) {
  return db_.with([&](soci::session& s) {
    db::NamedParams p;
    std::string where = feedback_where(f, p);
    return db::select_rows(s, sql::kFeedback, sql::kFeedbackFrom + where + sql::kFeedbackOrder,
                           [&](soci::statement& st) {
                             p.bind(st);
                             st.exchange(use(limit, "lim"));
                             st.exchange(use(offset, "off"));
                           });
  });
}

long long Store::count_feedback(const FeedbackFilter& f) {
  return db_.with([&](soci::session& s) {
    db::NamedParams p;
    std::string where = feedback_where(f, p);
    return db::fetch_count(s, sql::kCountFeedback + where, [&](soci::statement& st) { p.bind(st); });
  });
}

std::optional<FeedbackRow> Store::feedback_item(const std::string& id) {
  return db_.with([&](soci::session& s) {
    return db::select_one(s, sql::kFeedback, std::string(sql::kFeedbackFrom) + sql::kFeedbackWhereId, db::uses(id));
  });
}

void Store::set_feedback_status(const std::string& id, FeedbackStatus status, std::int64_t now) {
  std::string st(to_string(status));
  long long t = now;
  db_.with([&](soci::session& s) { s << sql::kSetFeedbackStatus, use(st), use(t), use(id); });
}

// ---------------------------------------------------------------- summary

Summary Store::summary(std::int64_t since) {
  long long from = since;
  return db_.with([&](soci::session& s) {
    Summary out;
    for (auto& c : db::select_rows(s, sql::kStatusCount, sql::kByStatus, [](soci::statement&) {})) {
      switch (c.status) {
        case TicketStatus::open: out.open = c.count; break;
        case TicketStatus::pending: out.pending = c.count; break;
        case TicketStatus::resolved: out.resolved = c.count; break;
        case TicketStatus::closed: out.closed = c.count; break;
      }
    }
    out.unassigned = db::fetch_count(s, std::string(sql::kCountActive) + sql::kAndUnassigned, [](soci::statement&) {});
    std::string urgent = "urgent", high = "high";
    out.urgent = db::fetch_count(s, std::string(sql::kCountActive) + sql::kAndPriority, db::uses(urgent));
    out.high = db::fetch_count(s, std::string(sql::kCountActive) + sql::kAndPriority, db::uses(high));
    if (auto w = db::select_one(s, sql::kAwaiting, sql::kAwaitingFrom, [](soci::statement&) {})) {
      out.awaiting_first_reply = w->count;
      out.oldest_awaiting_since = w->oldest;
    }
    if (auto r = db::select_one(s, sql::kFirstReplies, sql::kFirstRepliesFrom, db::uses(from))) {
      out.answered = r->count;
      out.first_reply_avg_ms = r->avg_ms;
      out.first_reply_max_ms = r->max_ms;
    }
    return out;
  });
}

}  // namespace wp::support

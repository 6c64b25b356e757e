#include "modules/support/store.hpp"

#include <soci/soci.h>

#include "db/affected.hpp"
#include "db/columns.hpp"
#include "db/like.hpp"
#include "db/soci_optional.hpp"
#include "modules/support/sql.hpp"

namespace wp::support {

using soci::into;
using soci::use;

namespace {

std::string list_where(const TicketFilter& f, db::NamedParams& p) {
  std::string where = sql::kWhereTrue;
  if (f.owner) where += sql::kOfOwner, p.add("owner", *f.owner);
  if (f.status) where += sql::kWithStatus, p.add("status", std::string(to_string(*f.status)));
  if (f.priority) where += sql::kWithPriority, p.add("priority", std::string(to_string(*f.priority)));
  if (f.category) where += sql::kWithCategory, p.add("category", std::string(to_string(*f.category)));
  if (f.assignee) where += sql::kWithAssignee, p.add("assignee", *f.assignee);
  if (f.unassigned) where += sql::kUnassigned;
  if (f.search) {
    where += sql::kSearch;
    p.add("search", db::like_pattern(*f.search));
    p.add("search2", db::like_pattern(*f.search));
  }
  return where;
}

const char* order_of(TicketOrdering o) {
  switch (o) {
    case TicketOrdering::priority: return sql::kByPriority;
    case TicketOrdering::oldest: return sql::kOldestFirst;
    case TicketOrdering::updated: return sql::kLatestChange;
    case TicketOrdering::newest: break;
  }
  return sql::kNewestFirst;
}

// Claims each attachment for the ticket (and reply), in the given order; a
// missing one (not the uploader's, or taken) is a 400 on attachment_ids.
void claim(soci::session& s, const std::string& ticket_id, const std::optional<std::string>& reply_id,
           const std::string& uploader, const std::vector<std::string>& ids) {
  int position = 0;
  for (auto& id : ids) {
    soci::statement st = (s.prepare << sql::kClaimForTicket, use(ticket_id), use(reply_id), use(position), use(id),
                          use(uploader));
    if (db::execute_counting(st) != 1)
      throw_validation("attachment_ids", "No such attachment of yours, or it is attached already: " + id);
    ++position;
  }
}

}  // namespace

// ---------------------------------------------------------------- tickets

void Store::insert_ticket(const TicketRow& t, const std::vector<std::string>& attachment_ids) {
  std::string category(to_string(t.category)), priority(to_string(t.priority));
  long long created = t.created_at, updated = t.updated_at;
  db_.tx([&](soci::session& s) {
    s << sql::kInsertTicket, use(t.id), use(t.user_id), use(t.subject), use(t.description), use(category),
        use(priority), use(t.moderation_action_id), use(created), use(updated);
    claim(s, t.id, std::nullopt, t.user_id, attachment_ids);
  });
}

std::optional<TicketRow> Store::ticket(const std::string& id) {
  return db_.with([&](soci::session& s) {
    return db::select_one(s, sql::kTicket, std::string(sql::kTicketFrom) + sql::kTicketWhereId, db::uses(id));
  });
}

std::vector<TicketRow> Store::tickets(const TicketFilter& f, int limit, int offset) {
  return db_.with([&](soci::session& s) {
    db::NamedParams p;
    std::string where = list_where(f, p);
    return db::select_rows(s, sql::kTicket, sql::kTicketFrom + where + order_of(f.ordering),
                           [&](soci::statement& st) {
                             p.bind(st);
                             st.exchange(use(limit, "lim"));
                             st.exchange(use(offset, "off"));
                           });
  });
}

long long Store::count_tickets(const TicketFilter& f) {
  return db_.with([&](soci::session& s) {
    db::NamedParams p;
    std::string where = list_where(f, p);
    return db::fetch_count(s, sql::kCountTickets + where, [&](soci::statement& st) { p.bind(st); });
  });
}

bool Store::update_ticket(const TicketRow& t, TicketStatus old) {
  std::string status(to_string(t.status)), priority(to_string(t.priority)), category(to_string(t.category)),
      was(to_string(old));
  std::optional<long long> resolved, closed;
  if (t.resolved_at) resolved = *t.resolved_at;
  if (t.closed_at) closed = *t.closed_at;
  long long updated = t.updated_at;
  return db_.with([&](soci::session& s) {
    soci::statement st = (s.prepare << sql::kUpdateTicket, use(status), use(priority), use(category),
                          use(t.admin_notes), use(resolved), use(closed), use(updated), use(t.id), use(was));
    return db::execute_counting(st) == 1;
  });
}

void Store::assign(const std::string& id, const std::optional<std::string>& assignee) {
  db_.with([&](soci::session& s) { s << sql::kAssign, use(assignee), use(id); });
}

bool Store::is_active_staff(const std::string& user_id) {
  return db_.with([&](soci::session& s) { return db::fetch_count(s, sql::kIsActiveStaff, db::uses(user_id)) == 1; });
}

// ---------------------------------------------------------------- replies

TicketStatus Store::add_reply(const ReplyRow& r, const std::vector<std::string>& attachment_ids,
                              const std::function<TicketStatus(TicketStatus)>& decide) {
  return db_.tx([&](soci::session& s) {
    std::string lock = sql::kLockTicket;
    if (db_.dialect() == db::Dialect::postgresql) lock += sql::kForUpdate;
    std::string text;
    s << lock, into(text), use(r.ticket_id);
    if (!s.got_data()) throw_not_found("No such ticket.");
    auto current = parse_enum<TicketStatus>(text);
    if (!current) throw Error(ErrorCode::internal, "support_tickets.status: unknown value " + text);
    TicketStatus next = decide(*current);
    int staff = r.from_staff, internal = r.is_internal;
    long long at = r.created_at;
    s << sql::kInsertReply, use(r.id), use(r.ticket_id), use(r.author_id), use(staff), use(internal),
        use(r.content), use(at);
    if (r.is_internal) {
      s << sql::kAfterInternalNote, use(r.ticket_id);
    } else {
      std::string status(to_string(next));
      s << sql::kAfterPublicReply, use(status), use(at), use(at), use(status), use(staff), use(at),
          use(r.ticket_id);
    }
    claim(s, r.ticket_id, r.id, r.author_id.value_or(""), attachment_ids);
    return next;
  });
}

std::vector<ReplyRow> Store::replies(const std::string& ticket_id, bool with_internal, int limit, int offset) {
  return db_.with([&](soci::session& s) {
    std::string rest = sql::kReplyFrom;
    if (!with_internal) rest += sql::kPublicOnly;
    rest += sql::kRepliesInOrder;
    return db::select_rows(s, sql::kReply, rest, db::uses(ticket_id, limit, offset));
  });
}

long long Store::count_replies(const std::string& ticket_id, bool with_internal) {
  return db_.with([&](soci::session& s) {
    std::string q = sql::kCountReplies;
    if (!with_internal) q += sql::kPublicOnly;
    return db::fetch_count(s, q, db::uses(ticket_id));
  });
}

std::vector<AttachmentRow> Store::attachments_of(const std::string& ticket_id, bool with_internal) {
  return db_.with([&](soci::session& s) {
    std::string rest = std::string(sql::kAttachmentFrom) + sql::kAttachmentsOfTicket;
    if (!with_internal) rest += sql::kNotInternal;
    rest += sql::kAttachmentOrder;
    return db::select_rows(s, sql::kAttachment, rest, db::uses(ticket_id));
  });
}

// ---------------------------------------------------------------- attachments

void Store::insert_attachment(const AttachmentRow& a) {
  std::string kind(to_string(a.kind));
  long long size = a.size, created = a.created_at;
  int thumb = a.has_thumbnail;
  db_.with([&](soci::session& s) {
    s << sql::kInsertAttachment, use(a.id), use(a.uploader_id), use(a.filename), use(a.mime_type), use(kind),
        use(size), use(thumb), use(created);
  });
}

std::optional<AttachmentRow> Store::attachment(const std::string& id) {
  return db_.with([&](soci::session& s) {
    return db::select_one(s, sql::kAttachment, std::string(sql::kAttachmentFrom) + sql::kAttachmentWhereId,
                          db::uses(id));
  });
}

std::vector<AttachmentRow> Store::orphans(std::int64_t created_before) {
  long long t = created_before;
  return db_.with([&](soci::session& s) {
    return db::select_rows(s, sql::kAttachment, std::string(sql::kAttachmentFrom) + sql::kOrphans, db::uses(t));
  });
}

bool Store::delete_orphan(const std::string& id) {
  return db_.with([&](soci::session& s) {
    soci::statement st = (s.prepare << sql::kDeleteOrphan, use(id));
    return db::execute_counting(st) == 1;
  });
}

}  // namespace wp::support

// Replies and internal notes, and the attachments of tickets, replies and
// feedback (the checks of core/attachment_files, as messaging's).
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "modules/support/policy.hpp"
#include "modules/support/service.hpp"

namespace wp::support {

namespace json = boost::json;

namespace {

std::string attachment_dir(const Settings& settings) { return settings.data_dir + "/support"; }

constexpr std::size_t kExcerpt = 140;

std::string excerpt(const std::string& text) {
  if (text.size() <= kExcerpt) return text;
  std::size_t cut = kExcerpt;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 sequence
  return text.substr(0, cut) + "…";
}

}  // namespace

int expire_orphan_attachments(Store& store, const Settings& settings) {
  int n = 0;
  for (auto& a : store.orphans(now_ms() - settings.attachment_ttl_ms)) {
    if (!store.delete_orphan(a.id)) continue;  // claimed meanwhile
    remove_attachment_files(attachment_dir(settings), a.id);
    ++n;
  }
  if (n > 0) spdlog::info("support: {} unclaimed attachment(s) expired", n);
  return n;
}

ReplyRow SupportService::reply(const Principal& me, const std::string& ticket_id, const ReplyInput& in) {
  auto t = get(me, ticket_id);
  bool staff = me.staff();
  if (in.is_internal && !staff) throw_forbidden("Only staff write internal notes.");
  ReplyRow r;
  r.id = new_uuid();
  r.ticket_id = t.id;
  r.author_id = me.id;
  r.author_username = me.username;
  // A staff member writing on their own ticket writes as its owner.
  r.from_staff = staff && t.user_id != me.id;
  r.is_internal = in.is_internal;
  r.content = in.content;
  r.created_at = now_ms();
  auto next = store_.add_reply(r, in.attachment_ids, [&](TicketStatus now) {
    auto after = status_after_reply(now, r.from_staff, r.is_internal);
    if (!after)
      throw_conflict(now == TicketStatus::closed ? "This ticket is closed; reopen it to reply."
                                                 : "This ticket is resolved; reopen it to reply.");
    return *after;
  });
  if (!r.is_internal) {
    t.status = next;
    tell_reply(me, t, r);
  }
  r.attachments = store_.attachments_of(t.id, true);
  std::erase_if(r.attachments, [&](const AttachmentRow& a) { return a.reply_id != r.id; });
  return r;
}

void SupportService::tell_reply(const Principal& me, const TicketRow& t, const ReplyRow& r) {
  // Only ever called for public replies: an internal note tells nobody.
  std::string to = r.from_staff ? t.user_id : t.assigned_to.value_or("");
  if (to.empty() || to == me.id) return;
  json::object data{{"ticket_id", t.id}, {"ticket_subject", t.subject}, {"reply_id", r.id},
                    {"excerpt", excerpt(r.content)}};
  notify_quietly(notifier_, Notice{to, "ticket_reply", json::serialize(data), "ticket:" + t.id, me.id, ""});
}

std::vector<ReplyRow> SupportService::replies(const Principal& me, const std::string& ticket_id, int limit,
                                              int offset, long long& count) {
  auto t = get(me, ticket_id);
  bool with_internal = me.staff();
  count = store_.count_replies(t.id, with_internal);
  auto rows = store_.replies(t.id, with_internal, limit, offset);
  auto files = store_.attachments_of(t.id, with_internal);
  for (auto& r : rows)
    for (auto& a : files)
      if (a.reply_id == r.id) r.attachments.push_back(a);
  return rows;
}

std::vector<AttachmentRow> SupportService::ticket_attachments(const Principal& me, const TicketRow& t) {
  auto files = store_.attachments_of(t.id, me.staff());
  std::erase_if(files, [](const AttachmentRow& a) { return a.reply_id.has_value(); });
  return files;
}

std::string SupportService::staging_path() const {
  return settings_.data_dir + "/tmp/support-" + new_uuid() + ".part";
}

AttachmentRow SupportService::upload(const Principal& me, const std::string& staged_path,
                                     const std::string& filename) {
  AttachmentRow a;
  a.uploader_id = me.id;
  file_and_record_attachment(a, attachment_dir(settings_), settings_.ffmpeg, staged_path, filename,
                             [&](const AttachmentRow& row) { store_.insert_attachment(row); });
  return a;
}

std::pair<AttachmentRow, std::string> SupportService::attachment_file(const Principal& me, const std::string& id,
                                                                      bool thumbnail) {
  auto a = store_.attachment(id);
  // Staff see every file; the uploader their own; the ticket's owner its
  // files, except those of internal notes.
  bool may = a && (me.staff() || a->uploader_id == me.id ||
                   (a->ticket_owner && *a->ticket_owner == me.id && !a->internal));
  if (!may) throw_not_found("No such attachment.");
  if (thumbnail && !a->has_thumbnail) throw_not_found("This attachment has no thumbnail.");
  return {*a, attachment_path(attachment_dir(settings_), a->id, thumbnail)};
}

}  // namespace wp::support

// PartiesService and moderation (#19): the party report route writes
// through the moderation module; chat is screened; chat messages and
// parties appear in the moderation queue, and messages can be hidden.
#include <boost/json.hpp>

#include "modules/parties/service.hpp"

namespace wp::parties {

namespace {

// The old route's reasons as the report types of moderation.
std::string report_type_of(const std::string& reason) {
  if (reason == "abuse") return "harassment";
  if (reason == "spam") return "spam";
  return "other";
}

}  // namespace

std::string PartiesService::report(const Principal& user, const std::string& id, const std::string& reason,
                                   const std::string& description) {
  auto p = visible_party(user, id);
  member(p, user.id);
  if (!report_sink_) throw Error(ErrorCode::not_implemented, "Reports are not wired.");
  std::string text = description;
  if (reason == "inappropriate") text = text.empty() ? "(inappropriate)" : "(inappropriate) " + text;
  return report_sink_->report(user, ContentType::party, p.id, report_type_of(reason), text);
}

void PartiesService::screen_chat(const std::string& user_id, const std::string& text) {
  if (!guard_) return;
  try {
    guard_->screen(user_id, ContentType::party_message, text, "content");
  } catch (const PartyError&) {
    throw;
  } catch (const Error& e) {
    // The socket's answer names what refused it; a store that is away stays `unavailable`.
    if (e.code() == ErrorCode::unavailable) throw;
    throw PartyError(e.code(), e.code() == ErrorCode::forbidden ? "muted" : "invalid_message", e.what());
  }
}

std::optional<ContentView> PartiesService::message_view(const std::string& message_id) {
  auto m = store_.message(message_id);
  if (!m) return std::nullopt;
  ContentView v;
  v.author_id = m->user_id;
  v.text = m->content;
  v.context = "party " + m->party_id;
  if (auto p = store_.party(m->party_id)) v.context = "party \"" + p->title + "\"";
  v.removed = m->message_type == "removed";
  return v;
}

std::optional<ContentView> PartiesService::party_view(const std::string& party_id) {
  auto p = store_.party(party_id);
  if (!p) return std::nullopt;
  ContentView v;
  v.author_id = p->host_id;
  v.text = p->title + (p->description.empty() ? "" : "\n\n" + p->description);
  v.context = "party " + p->room_code;
  return v;
}

std::optional<std::string> PartiesService::hide_message(const std::string& message_id) {
  auto m = store_.message(message_id);
  if (!m || m->message_type == "removed" || !store_.hide_message(message_id)) return std::nullopt;
  return boost::json::serialize(boost::json::object{{"content", m->content}, {"message_type", m->message_type}});
}

bool PartiesService::restore_message(const std::string& message_id, const std::string& snapshot) {
  auto saved = boost::json::parse(snapshot).as_object();
  return store_.restore_message(message_id, std::string(saved.at("content").as_string()),
                                std::string(saved.at("message_type").as_string()));
}

}  // namespace wp::parties

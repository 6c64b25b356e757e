// MessagingService and moderation (#19): messages in the moderation queue,
// hidden (read as deleted) and restored.
#include <boost/json.hpp>

#include "core/clock.hpp"
#include "modules/messaging/service.hpp"

namespace wp::messaging {

namespace {

boost::json::value or_null(const std::optional<std::string>& s) {
  return s ? boost::json::value(*s) : boost::json::value(nullptr);
}

std::optional<std::string> text_at(const boost::json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

}  // namespace

std::optional<ContentView> MessagingService::message_view(const std::string& message_id) {
  auto m = store_.message(message_id, "");
  if (!m) return std::nullopt;
  ContentView v;
  v.author_id = m->sender_id.value_or("");
  v.text = m->body.value_or("");
  v.context = "conversation " + m->conversation_id;
  v.removed = m->deleted();
  return v;
}

std::optional<std::string> MessagingService::hide_message(const std::string& message_id) {
  auto m = store_.message(message_id, "");
  if (!m || m->deleted() || !store_.hide_message(message_id, now_ms())) return std::nullopt;
  return boost::json::serialize(boost::json::object{{"body", or_null(m->body)}, {"metadata", or_null(m->metadata)}});
}

bool MessagingService::restore_message(const std::string& message_id, const std::string& snapshot) {
  auto saved = boost::json::parse(snapshot).as_object();
  return store_.restore_message(message_id, text_at(saved, "body"), text_at(saved, "metadata"));
}

}  // namespace wp::messaging

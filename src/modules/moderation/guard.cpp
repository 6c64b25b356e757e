// ModerationService as the ContentGuard: mutes, the word list and the rate
// signal, on text other modules are about to post or have posted.
#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "modules/moderation/service.hpp"

namespace wp::moderation {

namespace {

constexpr std::int64_t kRateWindowMs = 60 * 1000;
constexpr std::size_t kExcerptBytes = 280;

bool muting_applies(ContentType where) {
  return where == ContentType::party_message || where == ContentType::direct_message;
}

// The same text, whatever its case, accents or spacing.
std::string text_key(std::string_view text) {
  std::string joined;
  for (auto& w : normalized_words(text)) joined += w + " ";
  return crypto::sha256_hex(joined.empty() ? std::string(text) : joined).substr(0, 32);
}

std::string excerpt(std::string_view text) {
  if (text.size() <= kExcerptBytes) return std::string(text);
  std::size_t n = kExcerptBytes;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;  // not inside a UTF-8 sequence
  return std::string(text.substr(0, n)) + "…";
}

}  // namespace

void ModerationService::screen(const std::string& user_id, ContentType where, std::string_view text,
                               const std::string& field) {
  if (muting_applies(where)) {
    auto s = standing_of(user_id);
    if (s.muted_until) throw_forbidden("You are muted until " + to_rfc3339(*s.muted_until) + ".");
  }
  screen_text(text, field);
}

void ModerationService::screen_text(std::string_view text, const std::string& field) {
  if (settings_.block && settings_.words.match(text))
    throw_validation(field, "This text contains a word that is not allowed here.");
}

void ModerationService::posted(const std::string& user_id, ContentType type, const std::string& object_id,
                               std::string_view text) {
  try {
    if (text.empty()) return;
    if (auto word = settings_.words.match(text)) raise_flag(user_id, type, object_id, FlagSignal::word_list, *word, text);
    if (settings_.rate_limit <= 0) return;
    auto key = "modrate:" + user_id + ":" + text_key(text);
    // The Nth repeat within a minute raises one flag; the next one a minute later at the earliest.
    if (limiter_.hit_then_blocked_for(key, settings_.rate_limit, kRateWindowMs) &&
        !limiter_.acquire(key + ":flagged", 1, kRateWindowMs))
      raise_flag(user_id, type, object_id, FlagSignal::rate,
                 "the same text " + std::to_string(settings_.rate_limit) + " times in a minute", text);
  } catch (const Error& e) {
    spdlog::warn("moderation: flagging {} {} failed: {}", to_string(type), object_id, e.what());
  }
}

void ModerationService::raise_flag(const std::string& user_id, ContentType type, const std::string& object_id,
                                   FlagSignal signal, const std::string& detail, std::string_view text) {
  FlagRow f;
  f.id = new_uuid();
  f.content_type = type;
  f.object_id = object_id;
  f.user_id = user_id;
  f.signal = signal;
  f.detail = detail;
  f.excerpt = excerpt(text);
  f.created_at = now_ms();
  store_.insert_flag(f);
}

}  // namespace wp::moderation

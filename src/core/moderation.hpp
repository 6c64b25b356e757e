#pragma once
// The moderation seams (issue #19), as the other modules see them. The
// moderation module implements ContentGuard and ReportSink; every module
// that owns reportable content registers its ContentHandlers. app.cpp
// wires both ways, so no module includes modules/moderation.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/enum_names.hpp"
#include "core/principal.hpp"

namespace wp {

// The user an appeal token names (accounts answers it to a login refused for a
// suspension or a ban), or nullopt when it is unknown or expired. The appeal
// routes of moderation (standing) and support (appeal tickets) act for them.
using AppealIdentity = std::function<std::optional<Principal>(const std::string& appeal_token)>;

// Whom the appeal routes act for: the token's user, else 401 (501 when nothing answers tokens).
Principal appellant(const AppealIdentity& identity, const std::string& appeal_token);

// What a report or a flag points at.
enum class ContentType { video, party, user, party_message, video_comment, direct_message, group, event };

// A reported object as the staff queue shows it.
struct ContentView {
  std::string author_id;  // whose content it is; empty when nobody's
  std::string text;       // the content itself: a comment, a message body, a bio, a title and description
  std::string context;    // where it lives, for the reader ("video <id>", "party <title>")
  bool removed = false;   // hidden by moderation (or deleted by its author)
  bool staff = false;     // for a user: whether they are staff (only a superuser acts on staff)
};

// The functions one content type offers to moderation. They run SQL: call
// them on the blocking pool. lookup is staff-level (it sees private things).
struct ContentHandlers {
  std::function<std::optional<ContentView>(const std::string& id)> lookup;
  // Hides the content, reversibly: returns what restore needs to bring it
  // back (kept in the tombstone), or nullopt when there is nothing to hide.
  std::function<std::optional<std::string>(const std::string& id)> remove;
  // Brings it back from a snapshot remove returned; false when it is gone.
  std::function<bool(const std::string& id, const std::string& snapshot)> restore;
};

// Text a user is about to post, where it goes.
class ContentGuard {
 public:
  virtual ~ContentGuard() = default;
  // Before the text is stored: throws Error(forbidden) when the user is
  // muted (party chat and direct messages only), Error(validation) on
  // `field` when the word list blocks it. Runs SQL: on the blocking pool.
  virtual void screen(const std::string& user_id, ContentType where, std::string_view text,
                      const std::string& field) = 0;
  // screen without the mute, for a caller whose own statement refuses a
  // muted user's text in the same step as it stores it (messaging's send,
  // docs/architecture.md "Moderation"): the word list only, no SQL. When that
  // statement refused, screen with the text tells why (403 when muted).
  virtual void screen_text(std::string_view text, const std::string& field) = 0;
  // After it is stored: a word-list match (flag mode) or the rate signal
  // raises a flag in the queue. Never throws.
  virtual void posted(const std::string& user_id, ContentType type, const std::string& object_id,
                      std::string_view text) = 0;
};

// Reports made through another module's route (POST /api/parties/{id}/report/).
class ReportSink {
 public:
  virtual ~ReportSink() = default;
  // Returns the report's id; throws Error(conflict) for a second open report
  // of one user on one object.
  virtual std::string report(const Principal& reporter, ContentType type, const std::string& object_id,
                             const std::string& report_type, const std::string& description) = 0;
};

}  // namespace wp

WP_ENUM_NAMES(wp::ContentType, {wp::ContentType::video, "video"}, {wp::ContentType::party, "party"},
              {wp::ContentType::user, "user"}, {wp::ContentType::party_message, "party_message"},
              {wp::ContentType::video_comment, "video_comment"},
              {wp::ContentType::direct_message, "direct_message"}, {wp::ContentType::group, "group"},
              {wp::ContentType::event, "event"});

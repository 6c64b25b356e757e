#pragma once
// The signed token of a mail's unsubscribe link: it names a user and what
// to stop (a notification type, or "digest"), and needs no login. HMAC-SHA256
// with a key of the instance (kept in instance_settings, shared by every node).
#include <optional>
#include <string>

namespace wp::notifications {

struct UnsubscribeTarget {
  std::string user_id;
  std::string kind;  // a Type's name, or "digest"
};

std::string sign_unsubscribe(const std::string& key, const UnsubscribeTarget& target);
// nullopt for a malformed token or a bad signature.
std::optional<UnsubscribeTarget> verify_unsubscribe(const std::string& key, const std::string& token);

}  // namespace wp::notifications

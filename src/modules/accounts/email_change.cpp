// Changing the email address: the new address must be confirmed before it is set.
// The request mails a token to the new address and a notice to the current one; the
// token, given to verify-email, sets the address (verified) in one transaction.
#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/error.hpp"
#include "core/validators.hpp"
#include "modules/accounts/service.hpp"

namespace wp::accounts {

namespace {

constexpr std::int64_t kChangeTtlMs = 48 * 3600 * 1000;

Mail change_mail(const UserRow& user, const std::string& to, const std::string& token, const std::string& public_url) {
  return {to, "Confirm your new watchparty email",
          "Hello " + user.username + ",\n\nYou asked to use this address for your watchparty account. "
          "Confirm it with this token:\n\nToken: " + token + "\n\nOr open " + public_url + "/verify-email?token=" +
              token + "\n\nThis token expires in 48 hour(s). Until then your account keeps its current address. "
              "If you did not ask for it, ignore this mail.\n"};
}

Mail notice_mail(const UserRow& user, const std::string& new_email) {
  return {user.email, "Your watchparty email is about to change",
          "Hello " + user.username + ",\n\nSomeone (we hope you) asked to change the email address of your "
          "watchparty account to " + new_email + ". It changes when the link mailed there is opened.\n\n"
          "If this was not you, change your password now: the request needed it.\n"};
}

}  // namespace

void AccountsService::request_email_change(const Principal& who, const std::string& new_email,
                                           const std::string& password) {
  auto u = me(who.id);
  std::string email = validators::normalize_email(new_email);
  FieldErrors errors;
  if (auto p = validators::email(email)) errors["new_email"].push_back(*p);
  else if (validators::lower(email) == validators::lower(u.email))
    errors["new_email"].push_back("That is the address of your account already.");
  if (!hasher_.verify(u.password_hash, password)) errors["password"].push_back("The password is incorrect.");
  if (!errors.empty()) throw Error(ErrorCode::validation, "Invalid input.", std::move(errors));
  if (store_.email_taken(validators::lower(email)))
    throw Error(ErrorCode::conflict, "That email address is in use.",
                FieldErrors{{"new_email", {"A user with that email already exists."}}});

  std::string token = crypto::random_token();
  auto now = now_ms();
  store_.create_email_change({crypto::sha256_hex(token), u.id, TokenPurpose::email_change, now, now + kChangeTtlMs},
                             email);
  mailer_.send(change_mail(u, email, token, public_url_));
  try {
    mailer_.send(notice_mail(u, email));
  } catch (const Error& e) {
    // The change itself is mailed; a lost notice must not make the person ask again.
    spdlog::warn("email change notice for {} not sent: {}", u.id, e.what());
  }
}

bool AccountsService::confirm_email_change(const std::string& token_hash) {
  auto change = store_.confirm_email_change(token_hash, now_ms());
  if (!change) return false;
  user_changed(change->user_id);
  spdlog::info("user {} changed their email address", change->user_id);
  return true;
}

}  // namespace wp::accounts

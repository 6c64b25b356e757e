#include "core/moderation.hpp"

#include "core/error.hpp"

namespace wp {

Principal appellant(const AppealIdentity& identity, const std::string& appeal_token) {
  if (!identity) throw Error(ErrorCode::not_implemented, "Appeals without a login are not available on this server.");
  auto who = identity(appeal_token);
  if (!who)
    throw Error(ErrorCode::authentication,
                "The appeal token is missing, invalid or expired. Log in again to get a new one.");
  return *who;
}

}  // namespace wp

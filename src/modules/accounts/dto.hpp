#pragma once
// JSON shapes of the accounts API. Nothing secret is ever written here:
// no password hashes, token hashes or TOTP secrets.
#include <boost/json.hpp>

#include "modules/accounts/service.hpp"

namespace wp::accounts {

boost::json::object user_json(const UserRow& u, bool two_factor_enabled);
boost::json::object tokens_json(const TokenPair& t);
boost::json::object session_json(const SessionRow& s, const std::string& current_session_id);
boost::json::object login_event_json(const LoginEventRow& e);
boost::json::object profile_json(const ProfileRow& p);
boost::json::object public_profile_json(const PublicProfile& p);
std::string avatar_url(const ProfileRow& p);

}  // namespace wp::accounts

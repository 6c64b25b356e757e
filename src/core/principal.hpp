#pragma once
// Who is calling: the authenticated user a request or a socket acts for.
// Services take this, not anything of the transport.
#include <string>

namespace wp {

struct Principal {
  std::string id;
  std::string username;
  bool is_staff = false;
  bool is_superuser = false;
  std::string session_id;  // the session whose access token authenticated the call
  bool staff() const { return is_staff || is_superuser; }
};

}  // namespace wp

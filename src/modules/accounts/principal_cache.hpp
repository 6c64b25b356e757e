#pragma once
// authenticate()'s session lookup, kept on this node for a short while so that
// a busy client's requests need no database round trip each. A revocation drops
// the user's entries here at once and on the other nodes through a signal
// (app.cpp); max_age bounds how long a lost signal can leave one stale.
#include <string>

#include "core/recent_reads.hpp"
#include "modules/accounts/model.hpp"

namespace wp::accounts {

class PrincipalCache : public RecentReads<SessionPrincipal> {
 public:
  using RecentReads::RecentReads;
  using RecentReads::put;

  void put(const SessionPrincipal& p, std::uint64_t epoch, std::int64_t now) {
    RecentReads::put(p.session_id, p, epoch, now);
  }
  void drop_user(const std::string& user_id) {
    drop_if([&](const SessionPrincipal& p) { return p.user_id == user_id; });
  }
};

}  // namespace wp::accounts

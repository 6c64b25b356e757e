#pragma once
// authenticate()'s session lookup, kept on this node for a short while so that
// a busy client's requests need no database round trip each. A revocation drops
// the user's entries here at once and on the other nodes through a signal
// (app.cpp); max_age bounds how long a lost signal can leave one stale.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "modules/accounts/model.hpp"

namespace wp::accounts {

class PrincipalCache {
 public:
  // max_age_ms 0: nothing is kept. At capacity, expired entries go, and if none
  // has expired the cache starts over.
  PrincipalCache(std::int64_t max_age_ms, std::size_t capacity) : max_age_ms_(max_age_ms), capacity_(capacity) {}

  // What put() must be given back: a lookup that began before a drop is not kept.
  std::uint64_t epoch();
  std::optional<SessionPrincipal> get(const std::string& session_id, std::int64_t now);
  // Keeps p (read from the database at `now`) unless a drop happened since `epoch`.
  void put(const SessionPrincipal& p, std::uint64_t epoch, std::int64_t now);
  void drop_user(const std::string& user_id);
  void clear();

 private:
  struct Entry {
    SessionPrincipal principal;
    std::int64_t read_at = 0;
  };
  const std::int64_t max_age_ms_;
  const std::size_t capacity_;
  std::mutex mu_;
  std::uint64_t epoch_ = 0;
  std::unordered_map<std::string, Entry> by_session_;
};

}  // namespace wp::accounts

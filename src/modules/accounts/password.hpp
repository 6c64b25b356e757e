#pragma once
// Argon2id hashing (libsodium) and the password policy. Hashing is slow on
// purpose: call only from blocking-pool threads.
#include <memory>
#include <optional>
#include <semaphore>
#include <string>

namespace wp::accounts {

class PasswordHasher {
 public:
  // cost: min (tests only), interactive, moderate, sensitive
  // At most `concurrency` hashes run at once, so a burst of logins leaves
  // the rest of the blocking pool to other requests.
  PasswordHasher(const std::string& cost, int concurrency);
  std::string hash(const std::string& password) const;
  bool verify(const std::string& stored_hash, const std::string& password) const;
  bool needs_rehash(const std::string& stored_hash) const;

 private:
  unsigned long long opslimit_;
  std::size_t memlimit_;
  std::unique_ptr<std::counting_semaphore<>> slots_;
};

// The reason a password is refused, or nullopt when it is acceptable.
std::optional<std::string> password_problem(const std::string& password, const std::string& username,
                                            const std::string& email);

}  // namespace wp::accounts

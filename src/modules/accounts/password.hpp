#pragma once
// Argon2id hashing (libsodium) and the password policy. Hashing is slow on
// purpose: call only from blocking-pool threads.
#include <optional>
#include <string>

namespace wp::accounts {

class PasswordHasher {
 public:
  // cost: min (tests only), interactive, moderate, sensitive
  explicit PasswordHasher(const std::string& cost);
  std::string hash(const std::string& password) const;
  bool verify(const std::string& stored_hash, const std::string& password) const;
  bool needs_rehash(const std::string& stored_hash) const;

 private:
  unsigned long long opslimit_;
  std::size_t memlimit_;
};

// The reason a password is refused, or nullopt when it is acceptable.
std::optional<std::string> password_problem(const std::string& password, const std::string& username,
                                            const std::string& email);

}  // namespace wp::accounts

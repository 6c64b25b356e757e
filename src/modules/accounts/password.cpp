#include "modules/accounts/password.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string_view>

namespace wp::accounts {

PasswordHasher::PasswordHasher(const std::string& cost, int concurrency)
    : slots_(std::make_unique<std::counting_semaphore<>>(std::max(1, concurrency))) {
  if (cost == "min") {
    opslimit_ = crypto_pwhash_OPSLIMIT_MIN;
    memlimit_ = crypto_pwhash_MEMLIMIT_MIN;
  } else if (cost == "moderate") {
    opslimit_ = crypto_pwhash_OPSLIMIT_MODERATE;
    memlimit_ = crypto_pwhash_MEMLIMIT_MODERATE;
  } else if (cost == "sensitive") {
    opslimit_ = crypto_pwhash_OPSLIMIT_SENSITIVE;
    memlimit_ = crypto_pwhash_MEMLIMIT_SENSITIVE;
  } else {
    opslimit_ = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    memlimit_ = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  }
}

namespace {
class Slot {
 public:
  explicit Slot(std::counting_semaphore<>& s) : s_(s) { s_.acquire(); }
  ~Slot() { s_.release(); }

 private:
  std::counting_semaphore<>& s_;
};
}  // namespace

std::string PasswordHasher::hash(const std::string& password) const {
  Slot slot(*slots_);
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), opslimit_, memlimit_,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("password hashing ran out of memory");
  return out;
}

bool PasswordHasher::verify(const std::string& stored_hash, const std::string& password) const {
  if (stored_hash.empty()) return false;
  Slot slot(*slots_);
  return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::needs_rehash(const std::string& stored_hash) const {
  return crypto_pwhash_str_needs_rehash(stored_hash.c_str(), opslimit_, memlimit_) != 0;
}

namespace {

// The most common passwords of public breach lists; refused whatever their length.
constexpr std::array<std::string_view, 60> kCommon = {
    "password",    "password1",   "password12",  "password123", "password1234", "12345678",  "123456789",
    "1234567890",  "qwerty123",   "qwertyuiop",  "iloveyou",    "sunshine",     "princess",  "football",
    "baseball",    "welcome1",    "welcome123",  "admin123",    "administrator", "letmein1", "abc12345",
    "abcd1234",    "1q2w3e4r",    "1qaz2wsx",    "qwerty12",    "trustno1",     "passw0rd",  "p@ssw0rd",
    "p@ssword",    "superman",    "starwars",    "whatever",    "dragon123",    "monkey123", "master123",
    "shadow123",   "michael1",    "jennifer",    "computer",    "corvette",     "mercedes",  "internet",
    "changeme",    "changeme123", "secret123",   "watchparty",  "watchparty1",  "11111111",  "00000000",
    "88888888",    "12341234",    "87654321",    "asdfghjkl",   "zxcvbnm1",     "qazwsxedc", "football1",
    "baseball1",   "iloveyou1",   "sunshine1",   "princess1"};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::size_t utf8_length(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

std::optional<std::string> password_problem(const std::string& password, const std::string& username,
                                            const std::string& email) {
  auto n = utf8_length(password);
  if (n < 8) return "This password is too short. It must contain at least 8 characters.";
  if (n > 128) return "This password is too long. It must contain at most 128 characters.";
  if (std::all_of(password.begin(), password.end(), [](unsigned char c) { return std::isdigit(c); }))
    return "This password is entirely numeric.";
  auto p = lower(password);
  if (std::find(kCommon.begin(), kCommon.end(), p) != kCommon.end()) return "This password is too common.";
  auto u = lower(username);
  if (u.size() >= 3 && p.find(u) != std::string::npos) return "The password is too similar to the username.";
  auto local = lower(email.substr(0, email.find('@')));
  if (local.size() >= 3 && p.find(local) != std::string::npos) return "The password is too similar to the email.";
  return std::nullopt;
}

}  // namespace wp::accounts

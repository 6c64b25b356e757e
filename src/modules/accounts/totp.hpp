#pragma once
// TOTP (RFC 6238: SHA-1, 6 digits, 30 s) through liboath, and the QR code
// of its otpauth:// URI through libqrencode.
#include <cstdint>
#include <optional>
#include <string>

namespace wp::accounts {

constexpr int kTotpStepSeconds = 30;

std::string new_totp_secret_base32();
std::string otpauth_uri(const std::string& secret_base32, const std::string& account, const std::string& issuer);
// The time step (counter) the code matches within one step of now, or nullopt.
std::optional<std::int64_t> totp_match(const std::string& secret_base32, const std::string& code, std::int64_t now_s);
// The code for a given time; for tests and tools.
std::string totp_code(const std::string& secret_base32, std::int64_t now_s, int digits = 6);
std::string qr_svg(const std::string& text);

}  // namespace wp::accounts

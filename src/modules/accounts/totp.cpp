#include "modules/accounts/totp.hpp"

#include <liboath/oath.h>
#include <qrencode.h>
#include <sodium.h>

#include <memory>
#include <mutex>
#include <stdexcept>

namespace wp::accounts {

namespace {

void ensure_oath() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (oath_init() != OATH_OK) throw std::runtime_error("liboath failed to initialize");
  });
}

std::string decode_secret(const std::string& b32) {
  ensure_oath();
  char* raw = nullptr;
  size_t len = 0;
  if (oath_base32_decode(b32.c_str(), b32.size(), &raw, &len) != OATH_OK) throw std::invalid_argument("bad secret");
  std::string out(raw, len);
  sodium_memzero(raw, len);
  free(raw);
  return out;
}

std::string percent_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

}  // namespace

std::string new_totp_secret_base32() {
  ensure_oath();
  unsigned char raw[20];
  randombytes_buf(raw, sizeof raw);
  char* b32 = nullptr;
  size_t len = 0;
  if (oath_base32_encode(reinterpret_cast<char*>(raw), sizeof raw, &b32, &len) != OATH_OK)
    throw std::runtime_error("base32 encoding failed");
  std::string out(b32, len);
  free(b32);
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

std::string otpauth_uri(const std::string& secret, const std::string& account, const std::string& issuer) {
  return "otpauth://totp/" + percent_encode(issuer) + ":" + percent_encode(account) + "?secret=" + secret +
         "&issuer=" + percent_encode(issuer) + "&algorithm=SHA1&digits=6&period=30";
}

std::optional<std::int64_t> totp_match(const std::string& secret_b32, const std::string& code, std::int64_t now_s) {
  if (code.size() != 6 || code.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  std::string secret = decode_secret(secret_b32);
  int pos = 0;
  uint64_t counter = 0;
  int rc = oath_totp_validate3(secret.data(), secret.size(), static_cast<time_t>(now_s), kTotpStepSeconds, 0, 1,
                               &pos, &counter, code.c_str());
  sodium_memzero(secret.data(), secret.size());
  if (rc < 0) return std::nullopt;
  return static_cast<std::int64_t>(counter);
}

std::string totp_code(const std::string& secret_b32, std::int64_t now_s, int digits) {
  std::string secret = decode_secret(secret_b32);
  char out[16] = {0};
  oath_totp_generate(secret.data(), secret.size(), static_cast<time_t>(now_s), kTotpStepSeconds, 0,
                     static_cast<unsigned>(digits), out);
  return out;
}

std::string qr_svg(const std::string& text) {
  std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1),
                                                   &QRcode_free);
  if (!qr) throw std::runtime_error("QR encoding failed");
  const int quiet = 4, size = qr->width + 2 * quiet;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(size) + " " +
                    std::to_string(size) + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" "
                    "fill=\"#fff\"/><path fill=\"#000\" d=\"";
  for (int y = 0; y < qr->width; ++y)
    for (int x = 0; x < qr->width; ++x)
      if (qr->data[y * qr->width + x] & 1)
        svg += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h1v1h-1z";
  return svg + "\"/></svg>";
}

}  // namespace wp::accounts

#include "modules/push/vapid.hpp"

#include <boost/url/parse.hpp>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "modules/push/jwt.hpp"

namespace wp::push {

namespace {

P256KeyPair from_text(const std::string& text, const std::string& where) {
  std::string raw;
  if (!crypto::base64url_decode(text, raw) || raw.size() != 32)
    throw std::runtime_error(where + " is not a base64url P-256 private key (32 bytes)");
  try {
    return p256_from_private(raw);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(where + ": " + e.what());
  }
}

std::string read_trimmed(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// Writes a new key to a private temporary file and links it into place:
// link() fails when another process made the file first, and then its key wins.
void create_key_file(const std::filesystem::path& path) {
  std::string text = crypto::base64url_encode(generate_p256().private_raw) + "\n";
  auto tmp = path.string() + ".tmp." + random_hex(6);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + tmp);
  bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (written) ::link(tmp.c_str(), path.c_str());
  ::unlink(tmp.c_str());
  if (!written) throw std::runtime_error("cannot write " + tmp);
}

}  // namespace

P256KeyPair load_vapid_key(const std::string& configured, const std::string& data_dir) {
  if (!configured.empty()) return from_text(configured, "setting 'vapid_private_key'");
  std::filesystem::path path = std::filesystem::path(data_dir) / "vapid_private_key";
  if (!std::filesystem::exists(path)) create_key_file(path);
  return from_text(read_trimmed(path), path.string());
}

std::string endpoint_origin(const std::string& endpoint) {
  auto url = boost::urls::parse_absolute_uri(endpoint);
  if (!url || url->encoded_host().empty()) return "";
  bool https = url->scheme_id() == boost::urls::scheme::https;
  if (!https && url->scheme_id() != boost::urls::scheme::http) return "";
  // The origin's serialization (RFC 6454) leaves out the scheme's default port.
  std::string origin = (https ? "https://" : "http://") + std::string(url->encoded_host());
  if (url->has_port() && url->port_number() != (https ? 443 : 80)) origin += ":" + std::string(url->port());
  return origin;
}

std::string vapid_authorization(const std::string& endpoint, const P256KeyPair& key, const std::string& subject,
                                std::int64_t now_s, int ttl_s) {
  boost::json::object claims{{"aud", endpoint_origin(endpoint)},
                             {"exp", now_s + std::clamp(ttl_s, 60, 24 * 3600)},
                             {"sub", subject}};
  return "vapid t=" + es256_jwt(claims, key) + ", k=" + crypto::base64url_encode(key.public_raw);
}

}  // namespace wp::push

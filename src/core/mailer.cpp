#include "core/mailer.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/crypto.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"

namespace wp {

namespace {

class ConsoleMailer : public Mailer {
 public:
  void send(const Mail& m) override {
    std::string extra;
    for (auto& [name, value] : m.headers) extra += "\n" + name + ": " + value;
    spdlog::info("mail (console mode) to={} subject=\"{}\"{}\n{}", m.to, m.subject, extra, m.body);
  }
};

std::string rfc5322_date() {
  std::time_t t = static_cast<std::time_t>(now_ms() / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

// Header values come from our own templates and user emails that passed
// validation; still, no CR/LF may reach the SMTP stream.
std::string header_safe(std::string v) {
  for (auto& c : v)
    if (c == '\r' || c == '\n') c = ' ';
  return v;
}

// Quoted-printable (RFC 2045): no line of the HTML or text part may pass 998
// octets on the wire, whatever a template or a user's text holds.
std::string quoted_printable(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  std::size_t col = 0;
  auto put = [&](const std::string& piece) {
    if (col + piece.size() > 75) {
      out += "=\r\n";
      col = 0;
    }
    out += piece;
    col += piece.size();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      out += "\r\n";
      col = 0;
    } else if (c == '\r') {
      continue;
    } else if ((c == ' ' || c == '\t') && (i + 1 == text.size() || text[i + 1] == '\n')) {
      put(std::string{'=', hex[c >> 4], hex[c & 15]});
    } else if ((c >= 33 && c <= 126 && c != '=') || c == ' ' || c == '\t') {
      put(std::string(1, static_cast<char>(c)));
    } else {
      put(std::string{'=', hex[c >> 4], hex[c & 15]});
    }
  }
  return out;
}

// A header value with non-ASCII text (a party title in a subject) as RFC 2047
// encoded words of at most 45 bytes each, cut at UTF-8 character boundaries.
std::string encoded_words(const std::string& value) {
  bool ascii = std::all_of(value.begin(), value.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) return value;
  std::string out;
  std::size_t pos = 0;
  while (pos < value.size()) {
    std::size_t len = std::min<std::size_t>(45, value.size() - pos);
    while (pos + len < value.size() && len > 0 && (static_cast<unsigned char>(value[pos + len]) & 0xC0) == 0x80) --len;
    std::string b64 = crypto::base64url_encode(value.substr(pos, len));
    for (auto& c : b64) c = c == '-' ? '+' : c == '_' ? '/' : c;
    while (b64.size() % 4) b64.push_back('=');
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + b64 + "?=";
    pos += len;
  }
  return out;
}

std::string crlf_body(const std::string& body) {
  std::string out;
  for (char c : body) {
    if (c == '\n') out += "\r\n";
    else out.push_back(c);
  }
  return out + "\r\n";
}

}  // namespace

std::string mail_payload(const Mail& m, const std::string& from, const std::string& date) {
  std::string id = m.message_id.empty() ? new_uuid() + "@watchparty" : m.message_id;
  std::string head = "Date: " + date + "\r\nTo: <" + header_safe(m.to) + ">\r\nFrom: <" + header_safe(from) +
                     ">\r\nMessage-ID: <" + header_safe(id) + ">\r\nSubject: " + encoded_words(header_safe(m.subject)) +
                     "\r\n";
  for (auto& [name, value] : m.headers) head += header_safe(name) + ": " + header_safe(value) + "\r\n";
  head += "MIME-Version: 1.0\r\n";
  if (m.html_body.empty() && m.headers.empty())
    return head + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + crlf_body(m.body);
  if (m.html_body.empty())
    return head + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
           quoted_printable(m.body) + "\r\n";
  std::string boundary = "wp-" + random_hex(12);
  return head + "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n--" + boundary +
         "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
         quoted_printable(m.body) + "\r\n--" + boundary +
         "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
         quoted_printable(m.html_body) + "\r\n--" + boundary + "--\r\n";
}

namespace {

class SmtpMailer : public Mailer {
 public:
  explicit SmtpMailer(const Config& c) : url_(c.smtp_url), from_(c.mail_from), user_(c.smtp_username), pass_(c.smtp_password) {}

  void send(const Mail& m) override {
    std::string payload = mail_payload(m, from_, rfc5322_date());
    Reader reader{payload, 0};

    CURL* curl = curl_easy_init();
    if (!curl) throw Error(ErrorCode::unavailable, "Mail could not be sent.");
    std::string from = "<" + from_ + ">", to = "<" + m.to + ">";
    curl_slist* rcpt = curl_slist_append(nullptr, to.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, &Reader::read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &reader);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (!user_.empty()) {
      curl_easy_setopt(curl, CURLOPT_USERNAME, user_.c_str());
      curl_easy_setopt(curl, CURLOPT_PASSWORD, pass_.c_str());
      curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
    }
    CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK) {
      spdlog::error("smtp send to {} failed: {}", m.to, curl_easy_strerror(rc));
      throw Error(ErrorCode::unavailable, "Mail could not be sent.");
    }
    spdlog::info("mail sent to {} (\"{}\")", m.to, m.subject);
  }

 private:
  struct Reader {
    const std::string& data;
    std::size_t pos;
    static std::size_t read(char* buf, std::size_t size, std::size_t n, void* self) {
      auto* r = static_cast<Reader*>(self);
      std::size_t len = std::min(size * n, r->data.size() - r->pos);
      std::memcpy(buf, r->data.data() + r->pos, len);
      r->pos += len;
      return len;
    }
  };
  std::string url_, from_, user_, pass_;
};

}  // namespace

std::unique_ptr<Mailer> make_mailer(const Config& config) {
  if (config.mail_mode == "smtp") {
    if (config.smtp_url.empty()) throw ConfigError("setting 'smtp_url' is required when mail_mode is smtp");
    return std::make_unique<SmtpMailer>(config);
  }
  return std::make_unique<ConsoleMailer>();
}

}  // namespace wp

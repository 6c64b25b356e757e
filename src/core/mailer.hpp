#pragma once
// Outgoing mail. Runs on blocking-pool threads (SMTP is synchronous here).
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace wp {
struct Config;

struct Mail {
  std::string to;
  std::string subject;
  std::string body;  // plain text
  // Optional: an HTML alternative of the body (multipart/alternative),
  // extra headers (List-Unsubscribe), and a Message-ID that stays the same
  // when the mail is sent again (an outbox retry), without the angle brackets.
  std::string html_body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string message_id;
};

// The RFC 5322 text of a mail (headers and body, CRLF line ends), as SMTP sends it.
std::string mail_payload(const Mail& mail, const std::string& from, const std::string& date);

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Throws wp::Error(unavailable) when the mail could not be handed over.
  virtual void send(const Mail& mail) = 0;
};

// console: logs each mail; smtp: sends through libcurl.
std::unique_ptr<Mailer> make_mailer(const Config& config);

}  // namespace wp

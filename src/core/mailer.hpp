#pragma once
// Outgoing mail. Runs on blocking-pool threads (SMTP is synchronous here).
#include <memory>
#include <string>

namespace wp {
struct Config;

struct Mail {
  std::string to;
  std::string subject;
  std::string body;  // plain text
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Throws wp::Error(unavailable) when the mail could not be handed over.
  virtual void send(const Mail& mail) = 0;
};

// console: logs each mail; smtp: sends through libcurl.
std::unique_ptr<Mailer> make_mailer(const Config& config);

}  // namespace wp

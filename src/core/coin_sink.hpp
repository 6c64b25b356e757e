#pragma once
// Coins bought through the payment provider, credited to the buyer's wallet.
// The store module implements it; billing calls it when a one-time coin
// checkout is paid. Idempotent on payment_ref: a repeated webhook credits once.
#include <cstdint>
#include <string>

namespace wp {

class CoinSink {
 public:
  virtual ~CoinSink() = default;
  // Runs SQL: call it on the blocking pool. Throws wp::Error on failure.
  virtual void credit_purchase(const std::string& user_id, std::int64_t coins,
                               const std::string& payment_ref) = 0;
};

}  // namespace wp

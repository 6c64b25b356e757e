#pragma once
// The provider's webhook signature (Stripe-Signature): "t=<unix seconds>,
// v1=<hex HMAC-SHA256 of "t.payload" under the endpoint secret>", with
// possibly several v1 values (a secret being rolled) and other schemes that
// are ignored. Pure: tested directly.
#include <cstdint>
#include <string>
#include <string_view>

namespace wp::billing {

enum class SignatureCheck { valid, malformed, stale, mismatch };

// now_s and the header's t may differ by at most tolerance_s either way;
// every v1 is compared in constant time.
SignatureCheck verify_signature(std::string_view header, std::string_view payload, const std::string& secret,
                                std::int64_t now_s, int tolerance_s);

// The hex v1 value for t and payload (tests and the fake provider sign with it).
std::string sign_payload(const std::string& secret, std::int64_t t, std::string_view payload);

}  // namespace wp::billing

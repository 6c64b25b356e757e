#pragma once
// The client's User-Agent as the modules keep it (login history, sessions,
// analytics events, push subscriptions, view counting): valid UTF-8 without
// NUL, at most kMaxUserAgentBytes. A header may carry Latin-1 bytes, and
// PostgreSQL refuses those in a text column (a login answered 500 for it).
#include <cstddef>
#include <string>

#include "http/message.hpp"

namespace wp::http {

inline constexpr std::size_t kMaxUserAgentBytes = 512;

std::string user_agent(const Request& req);

}  // namespace wp::http

#pragma once
// `@username` mentions in user text (party chat, video comments), and the
// function that turns usernames into user ids (app.cpp wires it to the
// notifications module, which reads them from users).
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace wp {

// The usernames mentioned, lower-cased, each once, in order, at most `max`.
// "@ana," and "(@ana)" count; "mail@ana" does not (a letter before the @).
std::vector<std::string> mentioned_usernames(std::string_view text, std::size_t max = 20);

// At most max_bytes of text, cut at a UTF-8 character boundary, with "…" when cut.
std::string excerpt(std::string_view text, std::size_t max_bytes);

// Ids of the active users with these (lower-cased) usernames; unknown ones are left out.
using UserIdsByName = std::function<std::vector<std::string>(const std::vector<std::string>& usernames)>;

}  // namespace wp

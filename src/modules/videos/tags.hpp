#pragma once
// Video tags (#22): a few words that describe a video, searched with its text
// and filtered on exactly (?tag=). Stored as one text, the normalized tags
// joined by single spaces, so that no tag holds a space and a filter is one
// LIKE on " tag ".
#include <string>
#include <vector>

namespace wp::videos {

inline constexpr std::size_t kMaxTags = 10;
inline constexpr std::size_t kMaxTagBytes = 30;

// One tag as stored (trimmed, a leading '#' dropped, ASCII lower-cased), or
// empty when it is not a tag: 1 to 30 bytes of letters (any script), digits
// and hyphens.
std::string normalize_tag(const std::string& raw);

// The stored text of a list of tags (duplicates once, in the order given).
// Throws validation (field "tags") for a bad tag or more than kMaxTags.
std::string tags_text(const std::vector<std::string>& tags);
// The same from a form or upload-metadata field: tags separated by commas.
std::string tags_text_from_csv(const std::string& csv);

std::vector<std::string> tags_of(const std::string& text);

}  // namespace wp::videos

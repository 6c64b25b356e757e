#pragma once
// A question's filters and ordering as the JSON object the log and saved
// searches keep, and back.
#include <string>

#include "modules/search/model.hpp"

namespace wp::search {

std::string filters_json(const Question& q);
// Reads what filters_json wrote; unknown keys and bad values are ignored (the text was written by us).
Question question_from(const std::string& text, const std::string& type, const std::string& filters);

}  // namespace wp::search

#pragma once
#include <string>

namespace wp {

// MIME type of content by its bytes (libmagic), never by name or client claim.
std::string sniff_mime_type(const std::string& bytes);
std::string sniff_mime_type_of_file(const std::string& path);

}  // namespace wp

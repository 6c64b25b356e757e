#pragma once
// ?page=&page_size= in, {"count","next","previous","results"} out.
#include <boost/json.hpp>

#include "http/message.hpp"

namespace wp::http {

struct Page {
  int page = 1;
  int size = 20;
  int offset() const { return (page - 1) * size; }
};

constexpr int kMaxPageSize = 100;

// 400 VALIDATION_ERROR for a page or page_size that is not a positive integer.
Page parse_page(const Request& req, int default_size = 20);
Response paginated(const Request& req, const Page& page, long long count, boost::json::array results);

}  // namespace wp::http

#pragma once
// The users export: a header, then the users a page at a time, each page
// formatted as CSV or JSON Lines. Only one page is in memory at once; the
// transport sends each piece before asking for the next (http::BodyStream).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "modules/admin/model.hpp"

namespace wp::admin {

// The users after `after_id` (by id), at most `limit`: accounts' keyset page, wired in app.cpp.
using UsersPage =
    std::function<std::vector<ExportUser>(const std::string& after_id, int limit, std::optional<bool> is_active)>;

std::string csv_header(const std::vector<ExportField>& fields);
std::string csv_line(const ExportUser& u, const std::vector<ExportField>& fields);
std::string jsonl_line(const ExportUser& u, const std::vector<ExportField>& fields);
// A CSV cell: quoted when it must be, and a leading = + - @ neutralized so
// that a spreadsheet never runs a username as a formula.
std::string csv_cell(const std::string& text);

class UserExport {
 public:
  UserExport(UsersPage page, ExportRequest request, int batch, std::function<void(long long rows)> on_done);
  // The next piece: the header, then one page of lines per call; nullopt after the last.
  std::optional<std::string> next();
  long long rows() const { return rows_; }

 private:
  UsersPage page_;
  ExportRequest request_;
  int batch_;
  std::function<void(long long)> on_done_;
  std::string after_;
  bool header_sent_ = false, done_ = false;
  long long rows_ = 0;
};

}  // namespace wp::admin

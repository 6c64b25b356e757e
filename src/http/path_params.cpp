#include "http/path_params.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace wp::http {

PathParams& PathParams::operator=(const PathParams& other) {
  if (this == &other) return *this;
  std::copy_n(other.items_.begin(), other.count_, items_.begin());
  count_ = other.count_;
  spilled_ = other.spilled_;
  used_ = other.used_;
  if (spilled_) {
    heap_ = other.heap_;
  } else {
    heap_.clear();
    std::memcpy(inline_.data(), other.inline_.data(), used_);
  }
  return *this;
}

char* PathParams::reserve(std::size_t n) {
  if (!spilled_ && used_ + n <= kInline) return inline_.data() + used_;
  if (!spilled_) {
    heap_.assign(inline_.data(), used_);
    spilled_ = true;
  }
  heap_.resize(used_ + n);
  return heap_.data() + used_;
}

void PathParams::add(std::string_view name, std::string_view value, Kind kind) {
  if (count_ == kMax) throw std::length_error("too many path parameters");
  char* out = reserve(value.size());
  std::size_t n = 0;
  switch (kind) {
    case Kind::text:
      std::memcpy(out, value.data(), value.size());
      n = value.size();
      break;
    case Kind::uuid:
      for (n = 0; n < value.size(); ++n) {
        const char c = value[n];
        out[n] = c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c;
      }
      break;
    case Kind::rest:
      for (char c : value)
        if (c != '/' || n == 0 || out[n - 1] != '/') out[n++] = c;
      break;
  }
  if (spilled_) heap_.resize(used_ + n);
  items_[count_++] = {name.data(), static_cast<std::uint32_t>(name.size()), used_, static_cast<std::uint32_t>(n)};
  used_ += static_cast<std::uint32_t>(n);
}

std::string_view PathParams::at(std::string_view name) const {
  for (std::size_t i = count_; i > 0; --i)  // a name used twice in a pattern: the later segment, as before
    if (this->name(i - 1) == name) return value(i - 1);
  throw std::out_of_range("no path parameter " + std::string(name));
}

bool PathParams::contains(std::string_view name) const {
  for (std::size_t i = 0; i < count_; ++i)
    if (this->name(i) == name) return true;
  return false;
}

void PathParams::copy_to(std::map<std::string, std::string>& out) const {
  out.clear();
  for (std::size_t i = 0; i < count_; ++i) out.insert_or_assign(std::string(name(i)), std::string(value(i)));
}

}  // namespace wp::http

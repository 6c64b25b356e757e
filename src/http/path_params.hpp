#pragma once
// The path parameters of one route match. Values are copied into a buffer
// inside the object (a heap string only when they do not fit, e.g. a long
// {name:path}), so a match allocates nothing and stays valid after the path it
// was matched against is gone (tests match temporaries; the session moves its
// Request, whose short path strings would move with it).
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace wp::http {

class PathParams {
 public:
  static constexpr std::size_t kMax = 8;  // parameters per pattern; Router::add refuses more
  // How the value reaches handlers: as sent, a UUID lower-cased, or the rest of
  // the path with each run of slashes written as one.
  enum class Kind : std::uint8_t { text, uuid, rest };

  PathParams() = default;
  PathParams(const PathParams& other) { *this = other; }
  PathParams& operator=(const PathParams& other);

  // name must outlive this object (the router's pattern text, or a literal).
  void add(std::string_view name, std::string_view value, Kind kind);
  // Throws std::out_of_range when the route has no such parameter, as std::map::at did.
  std::string_view at(std::string_view name) const;
  bool contains(std::string_view name) const;
  std::size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  std::string_view name(std::size_t i) const { return {items_[i].name, items_[i].name_size}; }
  std::string_view value(std::size_t i) const { return {data() + items_[i].offset, items_[i].size}; }
  // What Request::params holds.
  void copy_to(std::map<std::string, std::string>& out) const;

 private:
  // Trivial, and left uninitialized past count_: a match does not pay for
  // clearing kMax of them (a measurable part of a route match).
  struct Item {
    const char* name;
    std::uint32_t name_size, offset, size;
  };
  static constexpr std::size_t kInline = 160;

  const char* data() const { return spilled_ ? heap_.data() : inline_.data(); }
  char* reserve(std::size_t n);

  std::array<Item, kMax> items_;  // only the first count_ are ever read
  std::uint8_t count_ = 0;
  bool spilled_ = false;
  std::uint32_t used_ = 0;
  std::array<char, kInline> inline_;  // only the first used_ bytes are ever read
  std::string heap_;
};

}  // namespace wp::http

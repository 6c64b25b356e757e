#include "http/multipart_file.hpp"

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string_view>

#include "core/error.hpp"
#include "http/header_values.hpp"

namespace wp::http {

StagedFile::~StagedFile() {
  std::error_code ec;
  if (!path.empty()) std::filesystem::remove(path, ec);
}

namespace {

constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kMaxHeaderBlock = 16 * 1024;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

[[noreturn]] void malformed(const std::string& why) { throw Error(ErrorCode::validation, "Malformed multipart body: " + why); }

class ChunkReader {
 public:
  explicit ChunkReader(const std::string& path) : in_(path, std::ios::binary) {
    if (!in_) throw std::runtime_error("cannot open spooled body " + path);
  }
  // Makes at least `want` unread bytes available if the file has them.
  bool ensure(std::size_t want) {
    while (buf_.size() - pos_ < want && !eof_) fill();
    return buf_.size() - pos_ >= want;
  }
  void fill() {
    if (pos_ > 0) {
      buf_.erase(0, pos_);
      pos_ = 0;
    }
    std::size_t old = buf_.size();
    buf_.resize(old + kChunk);
    in_.read(buf_.data() + old, static_cast<std::streamsize>(kChunk));
    auto got = static_cast<std::size_t>(in_.gcount());
    buf_.resize(old + got);
    if (got == 0) eof_ = true;
  }
  std::string_view view() const { return std::string_view(buf_).substr(pos_); }
  void consume(std::size_t n) { pos_ += n; }
  bool eof() const { return eof_; }

 private:
  std::ifstream in_;
  std::string buf_;
  std::size_t pos_ = 0;
  bool eof_ = false;
};

}  // namespace

std::optional<std::string> multipart_boundary(const std::string& content_type) {
  auto semi = content_type.find(';');
  if (lower(trim_blanks(std::string_view(content_type).substr(0, semi))) != "multipart/form-data") return std::nullopt;
  auto b = header_param(content_type, "boundary");
  if (!b || b->empty() || b->size() > 200) return std::nullopt;
  return b;
}

SpooledForm read_multipart_file(const std::string& body_path, const std::string& content_type,
                                const std::string& file_field, const std::string& dest_path,
                                const SpoolLimits& limits) {
  auto boundary = multipart_boundary(content_type);
  if (!boundary) throw Error(ErrorCode::unsupported_media, "Expected multipart/form-data with a boundary.");
  const std::string delim = "--" + *boundary;
  const std::string inner = "\r\n" + delim;  // what ends a part's data

  ChunkReader r(body_path);
  SpooledForm form;
  std::unique_ptr<std::ofstream> dest;
  auto drop_dest = [&] {
    dest.reset();
    std::error_code ec;
    std::filesystem::remove(dest_path, ec);
  };

  // Preamble, then the first delimiter.
  for (;;) {
    r.ensure(delim.size() + 2);
    auto v = r.view();
    auto at = v.find(delim);
    if (at != std::string_view::npos && (at == 0 || (at >= 2 && v.substr(at - 2, 2) == "\r\n"))) {
      r.consume(at + delim.size());
      break;
    }
    if (r.eof()) malformed("no boundary found");
    if (v.size() > delim.size()) r.consume(v.size() - delim.size());
    r.fill();
  }

  try {
    for (;;) {
      // After a delimiter: "--" ends the body, CRLF starts a part.
      if (!r.ensure(2)) malformed("truncated after a boundary");
      if (r.view().substr(0, 2) == "--") return form;
      // Transport padding (spaces) before the CRLF is allowed.
      while (r.ensure(1) && (r.view()[0] == ' ' || r.view()[0] == '\t')) r.consume(1);
      if (!r.ensure(2) || r.view().substr(0, 2) != "\r\n") malformed("bad boundary line");
      r.consume(2);

      // Part headers.
      std::size_t end;
      for (;;) {
        auto v = r.view();
        end = v.find("\r\n\r\n");
        if (end != std::string_view::npos) break;
        if (v.size() > kMaxHeaderBlock) malformed("part headers too large");
        if (r.eof()) malformed("truncated part headers");
        r.fill();
      }
      std::string name, filename, part_type;
      bool has_filename = false;
      {
        auto block = r.view().substr(0, end + 2);
        std::size_t p = 0;
        while (p < block.size()) {
          auto nl = block.find("\r\n", p);
          auto line = block.substr(p, nl - p);
          p = nl + 2;
          auto colon = line.find(':');
          if (colon == std::string_view::npos) continue;
          auto key = lower(trim_blanks(line.substr(0, colon)));
          auto value = trim_blanks(line.substr(colon + 1));
          if (key == "content-disposition") {
            name = header_param(value, "name").value_or("");
            if (auto fn = header_param(value, "filename")) {
              filename = *fn;
              has_filename = true;
            }
          } else if (key == "content-type") {
            part_type = std::string(value);
          }
        }
      }
      r.consume(end + 4);
      if (name.empty()) malformed("a part has no name");

      bool to_file = name == file_field;
      if (to_file && form.file) malformed("more than one '" + file_field + "' part");
      std::string field_value;
      SpooledFile file;
      if (to_file) {
        file.filename = has_filename ? filename : "";
        file.content_type = part_type;
        dest = std::make_unique<std::ofstream>(dest_path, std::ios::binary | std::ios::trunc);
        if (!*dest) throw std::runtime_error("cannot create " + dest_path);
      } else if (form.fields.size() >= limits.max_fields) {
        malformed("too many fields");
      }
      auto emit = [&](std::string_view data) {
        if (data.empty()) return;
        if (to_file) {
          file.size += data.size();
          if (file.size > limits.max_file_bytes)
            throw Error(ErrorCode::payload_too_large,
                        "The file exceeds " + std::to_string(limits.max_file_bytes) + " bytes.");
          dest->write(data.data(), static_cast<std::streamsize>(data.size()));
          if (!*dest) throw std::runtime_error("cannot write " + dest_path);
        } else {
          if (field_value.size() + data.size() > limits.max_field_bytes) malformed("field '" + name + "' is too long");
          field_value.append(data);
        }
      };
      // Data until CRLF--boundary; keep a tail that could be a split delimiter.
      for (;;) {
        auto v = r.view();
        auto at = v.find(inner);
        if (at != std::string_view::npos) {
          emit(v.substr(0, at));
          r.consume(at + inner.size());
          break;
        }
        if (r.eof()) malformed("truncated part data");
        if (v.size() >= inner.size()) {
          auto safe = v.size() - (inner.size() - 1);
          emit(v.substr(0, safe));
          r.consume(safe);
        }
        r.fill();
      }
      if (to_file) {
        dest->close();
        if (dest->fail()) throw std::runtime_error("cannot write " + dest_path);
        dest.reset();
        form.file = file;
      } else {
        form.fields[name] = std::move(field_value);
      }
    }
  } catch (...) {
    // Leave no partial destination behind, whatever went wrong; then report it.
    drop_dest();
    throw;
  }
}

}  // namespace wp::http

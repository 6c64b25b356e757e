// Filing an uploaded attachment (core/attachment_files), as messaging and support do.
#include <gtest/gtest.h>
#include <sodium.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/attachment_files.hpp"
#include "core/ids.hpp"

namespace {

namespace fs = std::filesystem;
using namespace wp;

// The fields a module's attachment row has, plus one of its own.
struct Row {
  std::string id, uploader_id, filename, mime_type;
  AttachmentKind kind = AttachmentKind::image;
  std::int64_t size = 0;
  bool has_thumbnail = true;
  std::int64_t created_at = 0;
};

struct Folder {
  fs::path dir;
  Folder() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialize");
    dir = fs::temp_directory_path() / ("wp_attachments_" + random_hex(6));
    fs::create_directories(dir / "tmp");
  }
  ~Folder() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string root() const { return (dir / "files").string(); }
  std::string staged(const std::string& bytes) const {
    auto path = (dir / "tmp" / ("upload-" + random_hex(4))).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  static std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
};

TEST(AttachmentFiles, AnUploadIsFiledUnderItsIdAndItsRowRecorded) {
  Folder f;
  auto staged = f.staged("plain words\n");
  Row row;
  row.uploader_id = "ana";
  std::vector<Row> recorded;
  file_and_record_attachment(row, f.root(), "ffmpeg", staged, "../notes.txt",
                             [&](const Row& r) { recorded.push_back(r); });
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].id, row.id);
  EXPECT_EQ(row.uploader_id, "ana");
  EXPECT_EQ(row.filename, "notes.txt");
  EXPECT_EQ(row.mime_type, "text/plain");
  EXPECT_EQ(row.kind, AttachmentKind::file);
  EXPECT_EQ(row.size, 12);
  EXPECT_FALSE(row.has_thumbnail);
  EXPECT_GT(row.created_at, 0);
  EXPECT_FALSE(fs::exists(staged));
  EXPECT_EQ(Folder::read(attachment_path(f.root(), row.id, false)), "plain words\n");
  EXPECT_EQ(attachment_path(f.root(), row.id, true), f.root() + "/" + row.id + "/thumbnail.jpg");
}

TEST(AttachmentFiles, WhenTheRowCannotBeRecordedTheFilesGoAgain) {
  Folder f;
  Row row;
  auto refuse = [](const Row&) { throw Error(ErrorCode::validation, "No."); };
  EXPECT_THROW(file_and_record_attachment(row, f.root(), "ffmpeg", f.staged("words\n"), "a.txt", refuse), Error);
  ASSERT_FALSE(row.id.empty());
  EXPECT_FALSE(fs::exists(f.root() + "/" + row.id));
}

TEST(AttachmentFiles, ARefusedTypeIsNotFiled) {
  Folder f;
  Row row;
  bool recorded = false;
  try {
    file_and_record_attachment(row, f.root(), "ffmpeg", f.staged("\x7f" "ELF\x02\x01\x01"), "x.txt",
                               [&](const Row&) { recorded = true; });
    ADD_FAILURE() << "an ELF file was taken";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::unsupported_media);
  }
  EXPECT_FALSE(recorded);
  EXPECT_FALSE(fs::exists(f.root()));
}

}  // namespace

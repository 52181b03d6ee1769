// The progress file of one disk image: which blocks are already in the image file, with the checksum
// EBS sent for each, so a rerun after a crash reads only the blocks that are missing.
//
// Format (text, one record a line, appended as blocks land):
//   cordon-image-progress v1 <snapshot-id> <block-size> <block-count>
//   <block-index> <base64 SHA-256 from EBS>
//   ...
// A block's line is appended only after its bytes were written to the image, so a line never names a
// block that is not there after a process crash. A torn last line (no newline: the process died mid
// write) is ignored. After a power loss the page cache may have lost bytes a line vouches for; that is
// why a resumed run checks each done block's bytes against its recorded checksum (Verify below).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>

#include "base/error.h"

namespace cordon::response::image {

class ImageProgress {
 public:
  // Opens (creating it with its header) the progress file at `path` for the image of `snapshot`.
  // kConflict when the file belongs to another snapshot or layout; kIo when it cannot be written.
  static Result<std::unique_ptr<ImageProgress>> Open(const std::filesystem::path& path,
                                                     const std::string& snapshot, int64_t block_size,
                                                     int64_t block_count);
  ~ImageProgress();
  ImageProgress(const ImageProgress&) = delete;
  ImageProgress& operator=(const ImageProgress&) = delete;

  // The blocks recorded done when the file was opened: index -> checksum.
  const std::map<int64_t, std::string>& done() const { return done_; }

  // Records one block as written. Thread-safe; one write(2) per record.
  Status MarkDone(int64_t index, const std::string& checksum);

 private:
  ImageProgress(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}

  std::mutex mu_;
  int fd_;
  std::filesystem::path path_;
  std::map<int64_t, std::string> done_;
};

}  // namespace cordon::response::image

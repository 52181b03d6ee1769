#include "response/image/image_progress.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace cordon::response::image {
namespace {

std::string Header(const std::string& snapshot, int64_t block_size, int64_t block_count) {
  return "cordon-image-progress v1 " + snapshot + " " + std::to_string(block_size) + " " +
         std::to_string(block_count);
}

Status WriteAll(int fd, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      return MakeError(ErrorKind::kIo, "cannot write " + path.string() + ": " + std::strerror(errno));
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Ok();
}

}  // namespace

Result<std::unique_ptr<ImageProgress>> ImageProgress::Open(const std::filesystem::path& path,
                                                           const std::string& snapshot, int64_t block_size,
                                                           int64_t block_count) {
  const std::string header = Header(snapshot, block_size, block_count);
  std::map<int64_t, std::string> done;
  bool fresh = true;
  if (std::ifstream in(path, std::ios::binary); in) {
    std::stringstream all;
    all << in.rdbuf();
    const std::string text = all.str();
    fresh = text.empty();
    size_t pos = 0;
    bool first = true;
    while (pos < text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string::npos) break;  // a torn last line: its block is read again
      std::string line = text.substr(pos, end - pos);
      pos = end + 1;
      if (first) {
        if (line != header)
          return MakeError(ErrorKind::kConflict, path.string() + " is the progress of another image ('" +
                                                     line + "', not '" + header +
                                                     "'): move it and the image away");
        first = false;
        continue;
      }
      std::istringstream fields(line);
      int64_t index = -1;
      std::string checksum;
      if (fields >> index >> checksum && index >= 0 && index < block_count) done[index] = checksum;
    }
    if (!fresh && first) fresh = true;  // only a torn header: start over
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return MakeError(ErrorKind::kIo, "cannot open " + path.string() + ": " + std::strerror(errno));
  std::unique_ptr<ImageProgress> progress(new ImageProgress(fd, path));
  if (fresh) {
    if (::ftruncate(fd, 0) != 0)
      return MakeError(ErrorKind::kIo, "cannot truncate " + path.string() + ": " + std::strerror(errno));
    if (auto s = WriteAll(fd, header + "\n", path); !s) return MakeError(s.error());
  }
  progress->done_ = std::move(done);
  return progress;
}

ImageProgress::~ImageProgress() { ::close(fd_); }

Status ImageProgress::MarkDone(int64_t index, const std::string& checksum) {
  std::lock_guard<std::mutex> lock(mu_);
  return WriteAll(fd_, std::to_string(index) + " " + checksum + "\n", path_);
}

}  // namespace cordon::response::image

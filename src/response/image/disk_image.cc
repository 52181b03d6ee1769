#include "response/image/disk_image.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <optional>
#include <vector>

#include "base/hash.h"
#include "base/thread_pool.h"
#include "response/image/ebs_blocks.h"
#include "response/image/image_progress.h"

namespace cordon::response::image {
namespace {

Error IoError(const std::filesystem::path& path, std::string_view what) {
  return Error{ErrorKind::kIo,
               "cannot " + std::string(what) + " " + path.string() + ": " + std::strerror(errno)};
}

bool ReadAt(int fd, char* out, size_t n, int64_t offset) {
  while (n > 0) {
    ssize_t got = ::pread(fd, out, n, offset);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    out += got, n -= static_cast<size_t>(got), offset += got;
  }
  return true;
}

bool WriteAt(int fd, std::string_view data, int64_t offset) {
  while (!data.empty()) {
    ssize_t put = ::pwrite(fd, data.data(), data.size(), offset);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) return false;
    data.remove_prefix(static_cast<size_t>(put)), offset += put;
  }
  return true;
}

// An open file descriptor, closed on every path out.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// Lays the image file out at its full size. Without recorded progress the file starts over as one
// hole, so bytes of an older attempt can never end up in this image.
Status Prepare(int fd, const std::filesystem::path& path, int64_t size, bool fresh) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return MakeError(IoError(path, "stat"));
  if (fresh && ::ftruncate(fd, 0) != 0) return MakeError(IoError(path, "truncate"));
  if ((fresh || st.st_size != size) && ::ftruncate(fd, size) != 0) return MakeError(IoError(path, "size"));
  return Ok();
}

}  // namespace

std::filesystem::path ProgressPathFor(const std::filesystem::path& image) {
  return image.string() + ".progress";
}

Result<std::string> HashImage(int fd, int64_t size, int64_t block_size, const std::vector<bool>& has_data) {
  Sha256Hasher hasher;
  const std::string zeros(static_cast<size_t>(block_size), '\0');
  std::string buffer(static_cast<size_t>(block_size), '\0');
  for (int64_t i = 0, offset = 0; offset < size; ++i, offset += block_size) {
    if (!has_data[static_cast<size_t>(i)]) {
      hasher.Update(zeros);
      continue;
    }
    if (!ReadAt(fd, buffer.data(), buffer.size(), offset))
      return MakeError(ErrorKind::kIo, "cannot read block " + std::to_string(i) + " of the image back");
    hasher.Update(buffer);
  }
  return hasher.FinishHex();
}

Result<DiskImage> WriteDiskImage(aws::Client& client, const std::string& snapshot_id,
                                 const std::filesystem::path& path, const DiskImageOptions& options) {
  auto layout = ListBlocks(client, snapshot_id);
  if (!layout) return MakeError(layout.error());
  auto progress =
      ImageProgress::Open(ProgressPathFor(path), snapshot_id, layout->block_size, layout->block_count());
  if (!progress) return MakeError(progress.error());
  Fd image{::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)};
  if (image.fd < 0) return MakeError(IoError(path, "open"));
  const auto& done = (*progress)->done();
  if (auto s = Prepare(image.fd, path, layout->image_size(), done.empty()); !s) return MakeError(s.error());

  DiskImage result{snapshot_id,
                   path,
                   "",
                   layout->image_size(),
                   layout->block_size,
                   layout->block_count(),
                   static_cast<int64_t>(layout->blocks.size())};
  std::vector<bool> has_data(static_cast<size_t>(layout->block_count()), false);
  std::vector<const SnapshotBlock*> todo;
  std::string local(static_cast<size_t>(layout->block_size), '\0');
  for (const SnapshotBlock& b : layout->blocks) {
    has_data[static_cast<size_t>(b.index)] = true;
    auto recorded = done.find(b.index);
    // A recorded block counts only if its bytes still hash to what EBS sent (see image_progress.h).
    if (recorded != done.end() &&
        ReadAt(image.fd, local.data(), local.size(), b.index * layout->block_size) &&
        BlockChecksum(local) == recorded->second) {
      ++result.blocks_resumed;
      continue;
    }
    todo.push_back(&b);
  }

  std::atomic<bool> failed{false};
  std::mutex mu;
  std::optional<Error> first_error;
  int64_t landed = 0;
  ParallelFor(todo.size(), std::max<size_t>(options.threads, 1), [&](size_t i) {
    if (failed.load()) return;
    const SnapshotBlock& block = *todo[i];
    std::string data;
    Status s = ReadBlock(client, *layout, block, &data);
    if (s && !WriteAt(image.fd, data, block.index * layout->block_size))
      s = MakeError(IoError(path, "write"));
    if (s) s = (*progress)->MarkDone(block.index, BlockChecksum(data));
    std::lock_guard<std::mutex> lock(mu);
    if (!s) {
      if (!first_error) first_error = s.error();
      failed = true;
      return;
    }
    ++landed;
    if (options.on_block) options.on_block(landed, static_cast<int64_t>(todo.size()));
  });
  result.blocks_read = landed;
  if (first_error) return MakeError(*first_error);
  if (::fdatasync(image.fd) != 0) return MakeError(IoError(path, "sync"));
  auto hash = HashImage(image.fd, result.size, result.block_size, has_data);
  if (!hash) return MakeError(hash.error());
  result.sha256 = *hash;
  return result;
}

}  // namespace cordon::response::image

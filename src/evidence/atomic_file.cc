#include "evidence/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "base/hash.h"

namespace cordon::evidence::detail {
namespace {

Error IoError(std::string_view what, const std::filesystem::path& path, int err) {
  return Error{err == ENOENT ? ErrorKind::kNotFound : ErrorKind::kIo,
               std::string(what) + " " + path.string() + ": " + std::strerror(err),
               {},
               0,
               {}};
}

// Closes a descriptor on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now, reporting the error close() can return for a file just written.
  int Close() {
    int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

Status WriteAll(int fd, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return MakeError(IoError("writing", path, errno));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Ok();
}

// Moves `tmp` to `path` unless `path` exists. link() is atomic and never replaces; where the file
// system has no hard links, a rename after an existence check is the best it offers.
Result<CreateOutcome> Publish(const std::filesystem::path& tmp, const std::filesystem::path& path) {
  if (::link(tmp.c_str(), path.c_str()) == 0) {
    ::unlink(tmp.c_str());
    return CreateOutcome::kCreated;
  }
  const int err = errno;
  if (err == EEXIST) {
    ::unlink(tmp.c_str());
    return CreateOutcome::kAlreadyExists;
  }
  if (err != EPERM && err != ENOTSUP && err != ENOSYS) {
    ::unlink(tmp.c_str());
    return MakeError(IoError("linking", path, err));
  }
  struct stat st;
  if (::lstat(path.c_str(), &st) == 0) {
    ::unlink(tmp.c_str());
    return CreateOutcome::kAlreadyExists;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int rename_err = errno;
    ::unlink(tmp.c_str());
    return MakeError(IoError("renaming into", path, rename_err));
  }
  return CreateOutcome::kCreated;
}

}  // namespace

Status SyncFolder(const std::filesystem::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return MakeError(IoError("opening", dir, errno));
  if (::fsync(fd.get()) != 0) return MakeError(IoError("syncing", dir, errno));
  return Ok();
}

Result<CreateOutcome> CreateFileDurably(const std::filesystem::path& path, std::string_view bytes) {
  static std::atomic<uint64_t> counter{0};
  const std::filesystem::path dir = path.parent_path();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return MakeError(IoError("creating", dir, ec.value()));
  struct stat st;
  if (::lstat(path.c_str(), &st) == 0) return CreateOutcome::kAlreadyExists;

  const std::filesystem::path tmp =
      dir / (".tmp." + path.filename().string() + "." + std::to_string(::getpid()) + "." +
             std::to_string(counter.fetch_add(1)));
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444));
  if (fd.get() < 0) return MakeError(IoError("creating", tmp, errno));
  Status written = WriteAll(fd.get(), bytes, tmp);
  if (written && ::fsync(fd.get()) != 0) written = MakeError(IoError("syncing", tmp, errno));
  if (written && fd.Close() != 0) written = MakeError(IoError("closing", tmp, errno));
  if (!written) {
    ::unlink(tmp.c_str());
    return MakeError(written.error());
  }
  auto outcome = Publish(tmp, path);
  if (!outcome) return outcome;
  // The new directory entry is durable only once the folder itself is synced.
  if (auto s = SyncFolder(dir); !s) return MakeError(s.error());
  return outcome;
}

Result<FileDigest> HashFile(const std::filesystem::path& path, std::optional<int64_t> max_size) {
  // O_NONBLOCK: opening a FIFO would otherwise wait for a writer. O_NOFOLLOW: a link is refused.
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (fd.get() < 0 && errno == ELOOP)
    return MakeError(ErrorKind::kIo, path.string() + " is a symbolic link, not the evidence file itself");
  if (fd.get() < 0) return MakeError(IoError("opening", path, errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return MakeError(IoError("reading", path, errno));
  if (!S_ISREG(st.st_mode))
    return MakeError(ErrorKind::kIo, path.string() + " is not a regular file (" +
                                         (S_ISFIFO(st.st_mode)  ? "a FIFO"
                                          : S_ISCHR(st.st_mode) ? "a character device"
                                          : S_ISBLK(st.st_mode) ? "a block device"
                                          : S_ISDIR(st.st_mode) ? "a directory"
                                                                : "not a file") +
                                         "): it was replaced");
  Sha256Hasher hasher;
  FileDigest digest;
  std::string buffer(1 << 16, '\0');
  while (!max_size || digest.size <= *max_size) {
    ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return MakeError(IoError("reading", path, errno));
    }
    if (n == 0) break;
    hasher.Update(std::string_view(buffer.data(), static_cast<size_t>(n)));
    digest.size += n;
  }
  digest.sha256 = hasher.FinishHex();
  return digest;
}

}  // namespace cordon::evidence::detail

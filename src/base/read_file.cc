#include "base/read_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cordon {
namespace {

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

}  // namespace

Result<std::string> ReadSmallFile(const std::string& path, size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO would otherwise wait for a writer; it is refused below, by its type.
  const Fd file{open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
  if (file.fd < 0) {
    const int err = errno;
    return MakeError(err == ENOENT ? ErrorKind::kNotFound : ErrorKind::kIo,
                     fmt::format("cannot open {}: {}", path, std::strerror(err)));
  }
  struct stat st {};
  if (fstat(file.fd, &st) != 0 || !S_ISREG(st.st_mode))
    return MakeError(ErrorKind::kIo,
                     fmt::format("{} is not a regular file (a folder, a FIFO or a device)", path));
  std::string out;
  char buffer[8192];
  while (true) {
    const ssize_t n = read(file.fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return MakeError(ErrorKind::kIo, fmt::format("cannot read {}: {}", path, std::strerror(errno)));
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > max_bytes)
      return MakeError(ErrorKind::kIo, fmt::format("{} is larger than {} bytes", path, max_bytes));
    out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

}  // namespace cordon

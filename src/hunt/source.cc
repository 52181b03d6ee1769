#include "hunt/source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "base/strings.h"
#include "hunt/byte_buffer.h"
#include "hunt/date_layout.h"
#include "hunt/local_walk.h"
#include "hunt/s3_source.h"

namespace cordon::hunt {
namespace {

Status TooBig(const std::string& name, size_t max_bytes) {
  return MakeError(ErrorKind::kInvalidArgument,
                   name + ": holds more than the " + std::to_string(max_bytes) +
                       " bytes it may take (it grew after it was listed, or never ends)");
}

struct FileDescriptor {
  int fd;
  ~FileDescriptor() { ::close(fd); }
};

}  // namespace

bool WantedName(const std::string& name, const ListOptions& options) {
  for (const std::string& piece : options.exclude) {
    if (name.find(piece) != std::string::npos) return false;
  }
  if (options.suffixes.empty()) return true;
  const std::string lower = ToLower(name);
  for (const std::string& suffix : options.suffixes) {
    if (EndsWith(lower, ToLower(suffix))) return true;
  }
  return false;
}

Result<std::vector<ObjectInfo>> LocalSource::List(const ListOptions& options) {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR)
      return MakeError(ErrorKind::kNotFound, path_ + ": no such file or folder");
    return MakeError(ErrorKind::kIo, path_ + ": " + std::strerror(errno));
  }
  std::vector<ObjectInfo> out;
  if (S_ISREG(st.st_mode)) {
    out.push_back({path_, static_cast<uint64_t>(st.st_size), ""});
    return out;
  }
  if (!S_ISDIR(st.st_mode)) {
    // Named on the command line: say so at once rather than opening it (a FIFO would block).
    return MakeError(
        ErrorKind::kInvalidArgument,
        path_ + ": not a file or folder (" + NotReadReason(static_cast<unsigned int>(st.st_mode)) + ")");
  }
  if (Status s = WalkLocalFolder(path_, options, &out); !s) return MakeError(s.error());
  std::sort(out.begin(), out.end(), [](const ObjectInfo& a, const ObjectInfo& b) { return a.name < b.name; });
  return out;
}

Status Source::ReadInto(const std::string& name, size_t max_bytes, std::string* out) {
  Result<std::string> read = Read(name);
  if (!read) return MakeError(read.error());
  if (read->size() > max_bytes) return TooBig(name, max_bytes);
  *out = std::move(*read);
  return Ok();
}

Result<std::string> LocalSource::Read(const std::string& name) {
  std::string out;
  if (Status s = ReadInto(name, SIZE_MAX, &out); !s) return MakeError(s.error());
  return out;
}

Status LocalSource::ReadInto(const std::string& name, size_t max_bytes, std::string* out) {
  // O_NONBLOCK: the name was a regular file when listed; if it is a FIFO now, open must not wait for a
  // writer. fstat then refuses anything but a regular file before a byte is read.
  const int fd = ::open(name.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return MakeError(ErrorKind::kIo, name + ": " + std::strerror(errno));
  const FileDescriptor guard{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return MakeError(ErrorKind::kIo, name + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode))
    return MakeError(ErrorKind::kIo, name + ": " + NotReadReason(static_cast<unsigned int>(st.st_mode)));
  const size_t size = static_cast<size_t>(st.st_size);
  if (size > max_bytes) return TooBig(name, max_bytes);
  out->clear();  // keeps the capacity: reserve() below only grows it
  // Reserve the padding the readers want, then read in one go.
  out->reserve(size + kReadPadding);
  out->resize(size);
  size_t got = 0;
  while (got < size) {
    const ssize_t n = ::read(fd, out->data() + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return MakeError(ErrorKind::kIo, name + ": read error: " + std::strerror(errno));
    if (n == 0) break;  // it shrank
    got += static_cast<size_t>(n);
  }
  out->resize(got);
  char buf[1 << 16];  // the rest, if the file grew while it was read
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return MakeError(ErrorKind::kIo, name + ": read error: " + std::strerror(errno));
    if (n == 0) break;
    if (out->size() + static_cast<size_t>(n) > max_bytes) return TooBig(name, max_bytes);
    out->append(buf, static_cast<size_t>(n));
  }
  return Ok();
}

Result<std::unique_ptr<Source>> OpenSource(const std::string& spec, aws::Client* client) {
  if (spec.rfind("s3://", 0) == 0) {
    std::string bucket, prefix;
    if (Status s = ParseS3Url(spec, &bucket, &prefix); !s) return MakeError(s.error());
    if (client == nullptr) {
      // Callers that read only local files (tests, tools) pass no client.
      return MakeError(ErrorKind::kInvalidArgument, spec + ": an s3:// source needs an AWS client");
    }
    return std::unique_ptr<Source>(std::make_unique<S3Source>(client, std::move(bucket), std::move(prefix)));
  }
  return std::unique_ptr<Source>(std::make_unique<LocalSource>(spec));
}

}  // namespace cordon::hunt

#include "aws/credentials/cache_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/hash.h"
#include "base/read_file.h"

namespace cordon::aws {
namespace {

Status MakePrivateFolders(const std::filesystem::path& dir) {
  std::filesystem::path partial;
  for (const std::filesystem::path& part : dir) {
    partial /= part;
    if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST)
      return MakeError(ErrorKind::kIo,
                       fmt::format("creating {}: {}", partial.string(), std::strerror(errno)));
  }
  return Ok();
}

Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return MakeError(ErrorKind::kIo, fmt::format("writing {}: {}", path, std::strerror(errno)));
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  if (::fsync(fd) != 0)
    return MakeError(ErrorKind::kIo, fmt::format("syncing {}: {}", path, std::strerror(errno)));
  return Ok();
}

}  // namespace

std::string Sha1Hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha1(), nullptr);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), size));
}

std::string AwsCacheDir(const Environment& env, std::string_view sub) {
  std::optional<std::string> home = env.GetNonEmpty("HOME");
  if (!home) return "";
  return *home + "/.aws/" + std::string(sub);
}

Result<Json> ReadCacheFile(const std::string& path) {
  Result<std::string> text = ReadSmallFile(path, 1 << 20);
  if (!text) return tl::unexpected(text.error());
  Json doc = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return MakeError(ErrorKind::kParse, fmt::format("{} is not a JSON object", path));
  return doc;
}

Status WriteCacheFile(const std::string& path, const Json& doc) {
  std::filesystem::path target(path);
  if (Status made = MakePrivateFolders(target.parent_path()); !made) return made;
  std::string tmp = fmt::format("{}.tmp.{}", path, ::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return MakeError(ErrorKind::kIo, fmt::format("creating {}: {}", tmp, std::strerror(errno)));
  Status written = ::fchmod(fd, 0600) == 0  // a stale temporary file may have had other bits
                       ? WriteAll(fd, doc.dump(), tmp)
                       : MakeError(ErrorKind::kIo, fmt::format("chmod {}: {}", tmp, std::strerror(errno)));
  ::close(fd);
  if (written && ::rename(tmp.c_str(), path.c_str()) != 0)
    written = MakeError(ErrorKind::kIo, fmt::format("replacing {}: {}", path, std::strerror(errno)));
  if (!written) ::unlink(tmp.c_str());
  return written;
}

}  // namespace cordon::aws

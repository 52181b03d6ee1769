#include "hunt/source.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "base/strings.h"
#include "hunt/byte_buffer.h"
#include "hunt/date_layout.h"
#include "hunt/s3_source.h"

namespace cordon::hunt {
namespace fs = std::filesystem;

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
  std::error_code ec;
  const fs::file_status status = fs::status(path_, ec);
  if (ec || !fs::exists(status)) return MakeError(ErrorKind::kNotFound, path_ + ": no such file or folder");
  std::vector<ObjectInfo> out;
  if (fs::is_regular_file(status)) {
    out.push_back({path_, static_cast<uint64_t>(fs::file_size(path_, ec))});
    return out;
  }
  if (!fs::is_directory(status))
    return MakeError(ErrorKind::kInvalidArgument, path_ + ": not a file or folder");
  fs::recursive_directory_iterator it(path_, fs::directory_options::none, ec);
  if (ec) return MakeError(ErrorKind::kIo, path_ + ": " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return MakeError(ErrorKind::kIo, path_ + ": " + ec.message());
    const fs::path& p = it->path();
    const std::string name = p.string();
    if (p.filename().string().starts_with(".")) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_directory(ec)) {
      if (!MayHoldWindow(name, options.since, options.until)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    if (!WantedName(name, options) || !MayHoldWindow(name, options.since, options.until)) continue;
    out.push_back({name, static_cast<uint64_t>(it->file_size(ec))});
  }
  std::sort(out.begin(), out.end(), [](const ObjectInfo& a, const ObjectInfo& b) { return a.name < b.name; });
  return out;
}

Status Source::ReadInto(const std::string& name, std::string* out) {
  Result<std::string> read = Read(name);
  if (!read) return MakeError(read.error());
  *out = std::move(*read);
  return Ok();
}

Result<std::string> LocalSource::Read(const std::string& name) {
  std::string out;
  if (Status s = ReadInto(name, &out); !s) return MakeError(s.error());
  return out;
}

Status LocalSource::ReadInto(const std::string& name, std::string* out) {
  std::FILE* f = std::fopen(name.c_str(), "rb");
  if (!f) return MakeError(ErrorKind::kIo, name + ": " + std::strerror(errno));
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> guard(f, std::fclose);
  out->clear();  // keeps the capacity: reserve() below only grows it
  std::error_code ec;
  const uintmax_t size = fs::file_size(name, ec);
  if (!ec) {
    // Reserve the padding the readers want, then read in one go.
    out->reserve(static_cast<size_t>(size) + kReadPadding);
    out->resize(static_cast<size_t>(size));
    out->resize(std::fread(out->data(), 1, out->size(), f));
  }
  char buf[1 << 16];  // the rest, if the file grew or its size was unknown
  for (size_t n; (n = std::fread(buf, 1, sizeof(buf), f)) > 0;) out->append(buf, n);
  if (std::ferror(f)) return MakeError(ErrorKind::kIo, name + ": read error");
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

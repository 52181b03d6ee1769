// Durable, never-overwriting file creation, and streaming file hashing, for evidence files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"

namespace cordon::evidence::detail {

enum class CreateOutcome { kCreated, kAlreadyExists };

// Creates `path` (and missing parent folders) holding exactly `bytes`, or nothing at all: the bytes
// go to a temporary file beside it (".tmp.<name>.<pid>.<n>"), which is fsynced, linked to `path`
// and unlinked, and the folder is fsynced, so after a crash `path` is either absent or complete.
// Returns kAlreadyExists, writing nothing, when `path` exists. The new file is read-only (0444).
[[nodiscard]] Result<CreateOutcome> CreateFileDurably(const std::filesystem::path& path,
                                                      std::string_view bytes);

struct FileDigest {
  std::string sha256;  // lowercase hex
  int64_t size = 0;
};

// fsyncs a folder, making the entries created in it durable.
[[nodiscard]] Status SyncFolder(const std::filesystem::path& dir);

// Reads `path` in pieces and returns its SHA-256 and size. kNotFound when it does not exist.
// Only a regular file is read, and a symbolic link is not followed (kIo naming what it is): an
// evidence file swapped for a FIFO or a link to /dev/zero must not make `case verify` wait or read
// forever. With `max_size` (the recorded size), reading stops once past it: the size alone
// then says the file is not what was recorded.
[[nodiscard]] Result<FileDigest> HashFile(const std::filesystem::path& path,
                                          std::optional<int64_t> max_size = std::nullopt);

}  // namespace cordon::evidence::detail

// The --capture-memory flags of `contain`, and their check into MemoryCaptureOptions.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "base/error.h"
#include "response/bucket/bucket_ref.h"
#include "response/options.h"

namespace cordon::cli {

// The --capture-memory flags as given.
struct MemoryFlags {
  bool capture = false, before_isolation = false, allow_unlocked = false;
  std::string bucket_uri, tool, tool_sha256, timeout = "1h";
};

void AddMemoryFlags(CLI::App& app, MemoryFlags* flags);

// kInvalidArgument naming the flag that is wrong or missing; a disabled capture when --capture-memory
// is absent (and then no other memory flag but --evidence-bucket, the case's export, may be given).
Result<response::MemoryCaptureOptions> ParseMemoryFlags(const MemoryFlags& f);

// --evidence-bucket, or nullopt when it is not given.
Result<std::optional<response::BucketRef>> ParseEvidenceBucket(const MemoryFlags& f);

}  // namespace cordon::cli

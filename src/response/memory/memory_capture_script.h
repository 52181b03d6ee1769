// The shell script `contain --capture-memory` runs on the suspect through SSM (AWS-RunShellScript),
// and the machine-readable lines it prints. DESIGN.md §3 rule 7: the acquisition tool is staged and
// pinned (its SHA-256 is checked on the host before it runs; nothing is fetched from the internet),
// and the host hashes what it streams to the evidence bucket so the evidence side can compare.
//
// Output protocol (stdout of the script; everything else goes to files in its tmpfs folder):
//   CORDON-EVIDENCE <name> sha256=<64 hex> size=<bytes> uri=s3://<bucket>/<key>
//   CORDON-ABORT reason=<word> [detail...]      (then exit 3)
//   CORDON-DONE
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace cordon::response {

struct CaptureScriptParams {
  std::string region;       // the host's `aws s3 cp` talks to this region (the S3 gateway endpoint's)
  std::string bucket;       // evidence bucket
  std::string key_prefix;   // "<prefix>/<case>/<instance>" (no trailing '/')
  std::string tool;         // absolute host path, or s3://bucket/key
  std::string tool_sha256;  // lowercase hex pin
};

// The object names under key_prefix, one per CORDON-EVIDENCE line the script prints (the script
// body spells them too; the unit test checks they agree).
inline constexpr std::string_view kMemoryObject = "memory.lime";
inline constexpr std::string_view kVolatileObject = "volatile.tar.gz";

// Wraps `text` in single quotes for POSIX sh, so no character in it is interpreted.
std::string ShellQuote(std::string_view text);

// The script, as the lines AWS-RunShellScript takes in its "commands" parameter.
std::vector<std::string> MemoryCaptureScript(const CaptureScriptParams& params);

// One CORDON-EVIDENCE line.
struct HostEvidence {
  std::string name;  // "memory" or "volatile"
  std::string sha256;
  int64_t size = 0;
  std::string uri;
};

// What the script printed: its evidence lines by name, whether it finished, and its abort reason.
struct HostOutput {
  std::map<std::string, HostEvidence> evidence;
  bool done = false;
  std::string abort;  // the rest of the CORDON-ABORT line, "" when none
};

// Parses the script's stdout. Lines that are not part of the protocol are ignored; a malformed
// CORDON-EVIDENCE line is kParse (a truncated or tampered output must not pass as a hash).
Result<HostOutput> ParseHostOutput(std::string_view stdout_text);

}  // namespace cordon::response

#include "cli/memory_flags.h"

#include "base/duration.h"
#include "base/strings.h"
#include "response/bucket/bucket_ref.h"

namespace cordon::cli {

Result<std::optional<response::BucketRef>> ParseEvidenceBucket(const MemoryFlags& f) {
  if (f.bucket_uri.empty()) return std::optional<response::BucketRef>();
  auto ref = response::ParseBucketUri(f.bucket_uri, "--evidence-bucket");
  if (!ref) return MakeError(ref.error());
  return std::optional<response::BucketRef>(*ref);
}

Result<response::MemoryCaptureOptions> ParseMemoryFlags(const MemoryFlags& f) {
  response::MemoryCaptureOptions m;
  auto bad = [](const std::string& why) { return MakeError(ErrorKind::kInvalidArgument, why); };
  auto ref = ParseEvidenceBucket(f);
  if (!ref) return MakeError(ref.error());
  if (!f.capture) {
    // The bucket alone is where the case goes (case_export_command.h); the rest is the capture's.
    if (!f.tool.empty() || !f.tool_sha256.empty() || f.before_isolation)
      return bad(
          "--memory-tool, --memory-tool-sha256 and --capture-before-isolation go with --capture-memory");
    return m;
  }
  m.enabled = true;
  m.before_isolation = f.before_isolation;
  if (!*ref) return bad("--capture-memory needs --evidence-bucket s3://BUCKET[/PREFIX]");
  m.bucket = (*ref)->bucket;
  m.prefix = (*ref)->prefix;
  if (f.tool.empty())
    return bad(
        "--capture-memory needs --memory-tool: the staged acquisition tool, an absolute path on the "
        "host or s3://BUCKET/KEY (it is never downloaded from the internet)");
  if (StartsWith(f.tool, "s3://")) {
    std::string key = f.tool.substr(5);
    size_t s = key.find('/');
    if (s == std::string::npos || !response::IsBucketName(key.substr(0, s)) ||
        !response::IsPlainKey(key.substr(s + 1)))
      return bad("--memory-tool: '" + f.tool + "' is not s3://BUCKET/KEY with a plain key");
  } else if (f.tool[0] != '/' || !response::IsPlainKey(f.tool)) {
    return bad("--memory-tool: give an absolute path on the host or s3://BUCKET/KEY");
  }
  m.tool = f.tool;
  m.tool_sha256 = ToLower(f.tool_sha256);
  if (m.tool_sha256.size() != 64 || m.tool_sha256.find_first_not_of("0123456789abcdef") != std::string::npos)
    return bad(
        "--capture-memory needs --memory-tool-sha256: the tool's SHA-256 (64 hex digits); the host "
        "refuses to run a tool that differs");
  auto timeout = ParseDuration(f.timeout, "--capture-timeout");
  if (!timeout) return MakeError(timeout.error());
  m.timeout = *timeout;
  return m;
}

void AddMemoryFlags(CLI::App& app, MemoryFlags* memory) {
  app.add_flag("--capture-memory", memory->capture,
               "capture memory and volatile data through SSM Run Command to --evidence-bucket");
  app.add_option(
      "--evidence-bucket", memory->bucket_uri,
      "s3://BUCKET[/PREFIX], write-once (`cordon evidence-bucket create`): the case is exported to\n"
      "PREFIX/CASE/ and its journal anchored there at the end of each run; memory goes to\n"
      "PREFIX/CASE/INSTANCE/ (same region as the instance)");
  app.add_flag("--allow-unlocked-bucket", memory->allow_unlocked,
               "use an --evidence-bucket that is not write-once (no Object Lock or no default retention)");
  app.add_option("--memory-tool", memory->tool,
                 "the staged acquisition tool: an absolute path on the host, or s3://BUCKET/KEY");
  app.add_option("--memory-tool-sha256", memory->tool_sha256, "the tool's SHA-256; the host checks it first");
  app.add_option("--capture-timeout", memory->timeout, "how long the capture may run (default 1h)");
  app.add_flag("--capture-before-isolation", memory->before_isolation,
               "capture before isolate-network instead of after it (no SSM egress exception needed)");
}

}  // namespace cordon::cli

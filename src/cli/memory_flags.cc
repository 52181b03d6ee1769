#include "cli/memory_flags.h"

#include <cctype>

#include "base/strings.h"
#include "base/duration.h"

namespace cordon::cli {
namespace {

bool IsBucketName(std::string_view b) {
  if (b.size() < 3 || b.size() > 63) return false;
  for (char c : b)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) return false;
  return true;
}

// Prefixes and tool keys stay within characters that need no escaping anywhere (S3 keys in URLs,
// the host's shell, moto's signature check), so what the host prints is exactly what cordon expects.
bool IsPlainKey(std::string_view k) {
  for (char c : k)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' || c == '_' || c == '-'))
      return false;
  return k.find("//") == std::string_view::npos && k.find("..") == std::string_view::npos;
}

}  // namespace

Result<response::MemoryCaptureOptions> ParseMemoryFlags(const MemoryFlags& f) {
  response::MemoryCaptureOptions m;
  auto bad = [](const std::string& why) { return MakeError(ErrorKind::kInvalidArgument, why); };
  if (!f.capture) {
    if (!f.bucket_uri.empty() || !f.tool.empty() || !f.tool_sha256.empty() || f.before_isolation)
      return bad(
          "--evidence-bucket, --memory-tool, --memory-tool-sha256 and --capture-before-isolation go with "
          "--capture-memory");
    return m;
  }
  m.enabled = true;
  m.before_isolation = f.before_isolation;
  if (!StartsWith(f.bucket_uri, "s3://"))
    return bad("--capture-memory needs --evidence-bucket s3://BUCKET[/PREFIX]");
  std::string rest = f.bucket_uri.substr(5);
  size_t slash = rest.find('/');
  m.bucket = rest.substr(0, slash);
  m.prefix = slash == std::string::npos ? "" : rest.substr(slash + 1);
  while (!m.prefix.empty() && m.prefix.back() == '/') m.prefix.pop_back();
  if (!IsBucketName(m.bucket)) return bad("--evidence-bucket: '" + m.bucket + "' is not an S3 bucket name");
  if (!IsPlainKey(m.prefix))
    return bad("--evidence-bucket: the prefix may hold only letters, digits, '/', '.', '_' and '-'");
  if (f.tool.empty())
    return bad(
        "--capture-memory needs --memory-tool: the staged acquisition tool, an absolute path on the "
        "host or s3://BUCKET/KEY (it is never downloaded from the internet)");
  if (StartsWith(f.tool, "s3://")) {
    std::string key = f.tool.substr(5);
    size_t s = key.find('/');
    if (s == std::string::npos || !IsBucketName(key.substr(0, s)) || !IsPlainKey(key.substr(s + 1)))
      return bad("--memory-tool: '" + f.tool + "' is not s3://BUCKET/KEY with a plain key");
  } else if (f.tool[0] != '/' || !IsPlainKey(f.tool)) {
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
  app.add_option("--evidence-bucket", memory->bucket_uri,
                 "s3://BUCKET[/PREFIX]: objects go to PREFIX/CASE/INSTANCE/ (same region as the instance)");
  app.add_option("--memory-tool", memory->tool,
                 "the staged acquisition tool: an absolute path on the host, or s3://BUCKET/KEY");
  app.add_option("--memory-tool-sha256", memory->tool_sha256, "the tool's SHA-256; the host checks it first");
  app.add_option("--capture-timeout", memory->timeout, "how long the capture may run (default 1h)");
  app.add_flag("--capture-before-isolation", memory->before_isolation,
               "capture before isolate-network instead of after it (no SSM egress exception needed)");
}

}  // namespace cordon::cli

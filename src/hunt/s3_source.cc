#include "hunt/s3_source.h"

#include <algorithm>

#include "aws/client.h"
#include "base/json.h"
#include "base/strings.h"
#include "hunt/date_layout.h"

namespace cordon::hunt {
namespace {

constexpr std::string_view kScheme = "s3://";

// Whether `prefix` (ending in "/") is the region folder of an AWS log layout: .../CloudTrail/<region>/.
bool IsRegionFolder(const std::string& prefix) {
  std::vector<std::string> parts = Split(prefix, '/');
  if (!parts.empty() && parts.back().empty()) parts.pop_back();
  if (parts.size() < 2) return false;
  const std::string& marker = parts[parts.size() - 2];
  return marker == "CloudTrail" || marker == "CloudTrail-Insight" || marker == "vpcflowlogs";
}

bool Excluded(const std::string& name, const ListOptions& options) {
  for (const std::string& piece : options.exclude) {
    if (name.find(piece) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

Status ParseS3Url(const std::string& url, std::string* bucket, std::string* prefix) {
  if (!StartsWith(url, kScheme)) return MakeError(ErrorKind::kInvalidArgument, url + ": not an s3:// URL");
  const std::string rest = url.substr(kScheme.size());
  const size_t slash = rest.find('/');
  *bucket = rest.substr(0, slash);
  *prefix = slash == std::string::npos ? "" : rest.substr(slash + 1);
  if (bucket->empty()) return MakeError(ErrorKind::kInvalidArgument, url + ": no bucket name");
  return Ok();
}

S3Source::S3Source(aws::Client* client, std::string bucket, std::string prefix)
    : client_(client), bucket_(std::move(bucket)), prefix_(std::move(prefix)) {}

std::string S3Source::Describe() const { return std::string(kScheme) + bucket_ + "/" + prefix_; }

Status S3Source::ListFlat(const std::string& prefix, const ListOptions& options,
                          std::vector<ObjectInfo>* out) {
  Result<Json> page = client_->CallAll("s3", "ListObjectsV2", {{"Bucket", bucket_}, {"Prefix", prefix}});
  if (!page) return WithContext(page.error(), "listing " + Describe());
  for (const Json& object : page->value("Contents", Json::array())) {
    const std::string key = object.value("Key", "");
    const std::string name = std::string(kScheme) + bucket_ + "/" + key;
    // Keys ending in "/" are the empty "folder" objects the console creates.
    if (key.empty() || key.back() == '/') continue;
    if (!WantedName(name, options) || !MayHoldWindow(key, options.since, options.until)) continue;
    out->push_back({name, object.value("Size", uint64_t{0})});
  }
  return Ok();
}

Status S3Source::Walk(const std::string& prefix, const ListOptions& options,
                      const std::vector<std::string>& days, std::vector<ObjectInfo>* out) {
  if (!days.empty() && IsRegionFolder(prefix)) {
    for (const std::string& day : days) {
      if (Status s = ListFlat(prefix + day, options, out); !s) return s;
    }
    return Ok();
  }
  Result<Json> page =
      client_->CallAll("s3", "ListObjectsV2", {{"Bucket", bucket_}, {"Prefix", prefix}, {"Delimiter", "/"}});
  if (!page) return WithContext(page.error(), "listing " + Describe());
  for (const Json& object : page->value("Contents", Json::array())) {
    const std::string key = object.value("Key", "");
    const std::string name = std::string(kScheme) + bucket_ + "/" + key;
    if (key.empty() || key.back() == '/') continue;
    if (!WantedName(name, options) || !MayHoldWindow(key, options.since, options.until)) continue;
    out->push_back({name, object.value("Size", uint64_t{0})});
  }
  for (const Json& common : page->value("CommonPrefixes", Json::array())) {
    const std::string folder = common.value("Prefix", "");
    // A folder is only entered when it is longer than the prefix (no loop on odd keys like "a//b").
    if (folder.size() <= prefix.size() || Excluded("/" + folder, options)) continue;
    if (!MayHoldWindow(folder, options.since, options.until)) continue;
    if (Status s = Walk(folder, options, days, out); !s) return s;
  }
  return Ok();
}

Result<std::vector<ObjectInfo>> S3Source::List(const ListOptions& options) {
  std::vector<ObjectInfo> out;
  const bool windowed = options.since || options.until;
  Status s = windowed && (prefix_.empty() || prefix_.back() == '/')
                 ? Walk(prefix_, options, DayPrefixes(options.since, options.until), &out)
                 : ListFlat(prefix_, options, &out);
  if (!s) return MakeError(s.error());
  std::sort(out.begin(), out.end(), [](const ObjectInfo& a, const ObjectInfo& b) { return a.name < b.name; });
  return out;
}

Result<std::string> S3Source::Read(const std::string& name) {
  const std::string bucket_prefix = std::string(kScheme) + bucket_ + "/";
  const std::string key = StartsWith(name, bucket_prefix) ? name.substr(bucket_prefix.size()) : name;
  std::string body;
  aws::CallOptions call;
  call.payload_out = &body;
  Result<Json> out = client_->Call("s3", "GetObject", {{"Bucket", bucket_}, {"Key", key}}, call);
  if (!out) return WithContext(out.error(), "reading " + bucket_prefix + key);
  return body;
}

}  // namespace cordon::hunt

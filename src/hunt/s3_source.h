// Log objects in S3 (s3://bucket/prefix), listed by the AWS delivery date folders and read through the
// AWS client.
#pragma once

#include <string>
#include <vector>

#include "hunt/source.h"

namespace cordon::aws {
class Client;
}  // namespace cordon::aws

namespace cordon::hunt {

// Lists with ListObjectsV2 and reads with GetObject. Object names are "s3://bucket/key", so reports
// name the object a responder can fetch.
//
// Listing with a --since/--until window walks the prefix one folder level at a time (Delimiter "/")
// until it reaches an AWS layout region folder (.../CloudTrail/<region>/, .../vpcflowlogs/<region>/),
// then lists only the day prefixes of DayPrefixes() under it; other folders whose dates fall outside
// the window (MayHoldWindow) are not entered. Without a window the prefix is listed in one paginated
// call. A prefix not ending in "/" is listed as a plain key prefix.
//
// `client` must outlive the source; it is thread-safe, so concurrent Read() calls are too.
class S3Source : public Source {
 public:
  S3Source(aws::Client* client, std::string bucket, std::string prefix);

  std::string Describe() const override;
  Result<std::vector<ObjectInfo>> List(const ListOptions& options) override;
  // `name` as List() reported it (s3://bucket/key); a bare key is accepted too.
  Result<std::string> Read(const std::string& name) override;

 private:
  // Appends every wanted object under `prefix` (recursively, no delimiter).
  Status ListFlat(const std::string& prefix, const ListOptions& options, std::vector<ObjectInfo>* out);
  // The folder walk described above.
  Status Walk(const std::string& prefix, const ListOptions& options, const std::vector<std::string>& days,
              std::vector<ObjectInfo>* out);

  aws::Client* client_;
  std::string bucket_;
  std::string prefix_;
};

// Splits "s3://bucket/prefix" into bucket and prefix (the prefix may be empty). Fails
// (kInvalidArgument) on anything else, or an empty bucket.
Status ParseS3Url(const std::string& url, std::string* bucket, std::string* prefix);

}  // namespace cordon::hunt

// `cordon evidence-bucket create`: a bucket that cannot be rewritten. Object Lock with a default
// retention, versioning, SSE-KMS, every public access blocked, a policy that denies non-TLS access
// and deletes, and server access logs to a separate bucket (an Object Lock bucket cannot log to
// itself). Rerun-safe: each setting is read first and only set when it differs.
#pragma once

#include <string>
#include <vector>

#include "aws/client.h"
#include "base/error.h"
#include "base/json.h"

namespace cordon::response {

struct EvidenceBucketSpec {
  std::string bucket;
  std::string log_bucket;           // default <bucket>-logs; must differ from bucket
  std::string mode = "COMPLIANCE";  // or GOVERNANCE
  int days = 90, years = 0;         // the default retention: exactly one is > 0
  std::string kms_key;              // "" for the account's aws/s3 key
};

// One setting as found and left: "set" (cordon changed it), "ok" (it was already so).
struct BucketSetting {
  std::string bucket, name, outcome, detail;
};

// Makes or completes the bucket and its log bucket in the client's region. Returns every setting in
// the order applied; the first failure stops it with the AWS error, naming the setting.
[[nodiscard]] Result<std::vector<BucketSetting>> CreateEvidenceBucket(aws::Client& client,
                                                                      const EvidenceBucketSpec& spec);

// The bucket policy statements cordon owns (Sids cordon-*), merged into `existing` (a policy
// document or null): cordon's statements replaced, everything else kept.
Json EvidenceBucketPolicy(const std::string& bucket, const Json& existing);

}  // namespace cordon::response

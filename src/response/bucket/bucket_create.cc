#include "response/bucket/bucket_create.h"

#include <functional>

namespace cordon::response {
namespace {

constexpr std::string_view kSidPrefix = "cordon-";

Error BucketError(Error e, const std::string& bucket, const std::string& what) {
  e.message = "s3://" + bucket + ": " + what + ": " + e.message;
  return e;
}

using Steps = std::vector<BucketSetting>;

// Equal as JSON values, whatever the order of object members (S3 may return a document reordered).
bool SameJson(const Json& a, const Json& b) {
  return nlohmann::json::parse(a.dump()) == nlohmann::json::parse(b.dump());
}

// Creates `bucket` unless this account has it. With `lock`, Object Lock is enabled at creation
// (which also turns versioning on and keeps it on).
Status EnsureBucket(aws::Client& client, const std::string& bucket, bool lock, Steps* out) {
  auto head = client.Call("s3", "HeadBucket", Json{{"Bucket", bucket}});
  if (head) {
    out->push_back({bucket, "bucket", "ok", "exists"});
    return Ok();
  }
  if (head.error().http_status != 404) return MakeError(BucketError(head.error(), bucket, "HeadBucket"));
  Json input = {{"Bucket", bucket}};
  if (lock) input["ObjectLockEnabledForBucket"] = true;
  // us-east-1 takes no LocationConstraint; every other region needs its own.
  if (client.region() != "us-east-1")
    input["CreateBucketConfiguration"] = Json{{"LocationConstraint", client.region()}};
  auto made = client.Call("s3", "CreateBucket", input);
  if (!made && made.error().code != "BucketAlreadyOwnedByYou")
    return MakeError(BucketError(made.error(), bucket, "CreateBucket"));
  out->push_back({bucket, "bucket", "set", lock ? "created with Object Lock" : "created"});
  return Ok();
}

Status EnsureVersioning(aws::Client& client, const std::string& bucket, Steps* out) {
  auto got = client.Call("s3", "GetBucketVersioning", Json{{"Bucket", bucket}});
  if (!got) return MakeError(BucketError(got.error(), bucket, "GetBucketVersioning"));
  if (got->value("Status", "") == "Enabled") {
    out->push_back({bucket, "versioning", "ok", "Enabled"});
    return Ok();
  }
  auto put = client.Call("s3", "PutBucketVersioning",
                         Json{{"Bucket", bucket}, {"VersioningConfiguration", {{"Status", "Enabled"}}}});
  if (!put) return MakeError(BucketError(put.error(), bucket, "PutBucketVersioning"));
  out->push_back({bucket, "versioning", "set", "Enabled"});
  return Ok();
}

// Object Lock with the default retention. On a bucket made without Object Lock, S3 enables it here
// (it needs versioning, set before).
Status EnsureObjectLock(aws::Client& client, const EvidenceBucketSpec& spec, Steps* out) {
  auto got = client.Call("s3", "GetObjectLockConfiguration", Json{{"Bucket", spec.bucket}});
  if (!got && got.error().code != "ObjectLockConfigurationNotFoundError")
    return MakeError(BucketError(got.error(), spec.bucket, "GetObjectLockConfiguration"));
  Json retention = {{"Mode", spec.mode}};
  if (spec.years > 0) {
    retention["Years"] = spec.years;
  } else {
    retention["Days"] = spec.days;
  }
  const std::string want =
      spec.mode + ", " +
      (spec.years > 0 ? std::to_string(spec.years) + " year(s)" : std::to_string(spec.days) + " day(s)");
  if (got) {
    const Json config = got->value("ObjectLockConfiguration", Json::object());
    const Json have = config.value("Rule", Json::object()).value("DefaultRetention", Json::object());
    if (config.value("ObjectLockEnabled", "") == "Enabled" && have.value("Mode", "") == spec.mode &&
        have.value("Days", 0) == spec.days && have.value("Years", 0) == spec.years) {
      out->push_back({spec.bucket, "object lock", "ok", want});
      return Ok();
    }
  }
  auto put =
      client.Call("s3", "PutObjectLockConfiguration",
                  Json{{"Bucket", spec.bucket},
                       {"ObjectLockConfiguration",
                        {{"ObjectLockEnabled", "Enabled"}, {"Rule", {{"DefaultRetention", retention}}}}}});
  if (!put) return MakeError(BucketError(put.error(), spec.bucket, "PutObjectLockConfiguration"));
  out->push_back({spec.bucket, "object lock", "set", want});
  return Ok();
}

Status EnsureEncryption(aws::Client& client, const std::string& bucket, const std::string& algorithm,
                        const std::string& kms_key, Steps* out) {
  auto got = client.Call("s3", "GetBucketEncryption", Json{{"Bucket", bucket}});
  const std::string want = algorithm + (kms_key.empty() ? "" : " " + kms_key);
  if (got) {
    const Json rules =
        got->value("ServerSideEncryptionConfiguration", Json::object()).value("Rules", Json::array());
    if (!rules.empty()) {
      const Json by_default = rules[0].value("ApplyServerSideEncryptionByDefault", Json::object());
      if (by_default.value("SSEAlgorithm", "") == algorithm &&
          (kms_key.empty() || by_default.value("KMSMasterKeyID", "") == kms_key)) {
        out->push_back({bucket, "encryption", "ok", want});
        return Ok();
      }
    }
  } else if (got.error().code != "ServerSideEncryptionConfigurationNotFoundError") {
    return MakeError(BucketError(got.error(), bucket, "GetBucketEncryption"));
  }
  Json by_default = {{"SSEAlgorithm", algorithm}};
  if (!kms_key.empty()) by_default["KMSMasterKeyID"] = kms_key;
  Json rule = {{"ApplyServerSideEncryptionByDefault", by_default}};
  if (algorithm == "aws:kms") rule["BucketKeyEnabled"] = true;  // one KMS call per bucket key, not per object
  auto put = client.Call(
      "s3", "PutBucketEncryption",
      Json{{"Bucket", bucket}, {"ServerSideEncryptionConfiguration", {{"Rules", Json::array({rule})}}}});
  if (!put) return MakeError(BucketError(put.error(), bucket, "PutBucketEncryption"));
  out->push_back({bucket, "encryption", "set", want});
  return Ok();
}

Status EnsurePublicAccessBlock(aws::Client& client, const std::string& bucket, Steps* out) {
  const Json all = {{"BlockPublicAcls", true},
                    {"IgnorePublicAcls", true},
                    {"BlockPublicPolicy", true},
                    {"RestrictPublicBuckets", true}};
  auto got = client.Call("s3", "GetPublicAccessBlock", Json{{"Bucket", bucket}});
  if (got && SameJson(got->value("PublicAccessBlockConfiguration", Json::object()), all)) {
    out->push_back({bucket, "public access block", "ok", "all four"});
    return Ok();
  }
  if (!got && got.error().code != "NoSuchPublicAccessBlockConfiguration")
    return MakeError(BucketError(got.error(), bucket, "GetPublicAccessBlock"));
  auto put = client.Call("s3", "PutPublicAccessBlock",
                         Json{{"Bucket", bucket}, {"PublicAccessBlockConfiguration", all}});
  if (!put) return MakeError(BucketError(put.error(), bucket, "PutPublicAccessBlock"));
  out->push_back({bucket, "public access block", "set", "all four"});
  return Ok();
}

// The bucket's policy as a document, or null when it has none.
Result<Json> ReadPolicy(aws::Client& client, const std::string& bucket) {
  auto got = client.Call("s3", "GetBucketPolicy", Json{{"Bucket", bucket}});
  if (!got) {
    if (got.error().code == "NoSuchBucketPolicy") return Json();
    return MakeError(BucketError(got.error(), bucket, "GetBucketPolicy"));
  }
  Json doc = Json::parse(got->value("Policy", ""), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded())
    return MakeError(ErrorKind::kParse, "s3://" + bucket + ": its bucket policy is not JSON");
  return doc;
}

Status EnsurePolicy(aws::Client& client, const std::string& bucket, const std::string& what,
                    const std::function<Json(const Json&)>& merge, Steps* out) {
  auto existing = ReadPolicy(client, bucket);
  if (!existing) return MakeError(existing.error());
  const Json want = merge(*existing);
  if (SameJson(*existing, want)) {
    out->push_back({bucket, "bucket policy", "ok", what});
    return Ok();
  }
  auto put = client.Call("s3", "PutBucketPolicy", Json{{"Bucket", bucket}, {"Policy", want.dump()}});
  if (!put) return MakeError(BucketError(put.error(), bucket, "PutBucketPolicy"));
  out->push_back({bucket, "bucket policy", "set", what});
  return Ok();
}

// `statements` (each with a cordon-* Sid) in place of cordon's own in `existing`.
Json MergeStatements(const Json& existing, const Json& statements) {
  Json doc = existing.is_object() ? existing : Json{{"Version", "2012-10-17"}};
  Json kept = Json::array();
  for (const Json& s : doc.value("Statement", Json::array()))
    if (!s.value("Sid", "").starts_with(kSidPrefix)) kept.push_back(s);
  for (const Json& s : statements) kept.push_back(s);
  doc["Statement"] = kept;
  return doc;
}

// What S3's log delivery needs on the log bucket: PutObject under the evidence bucket's prefix, for
// logs of that bucket only (the S3 User Guide, "Enabling Amazon S3 server access logging").
Json LogDeliveryPolicy(const std::string& log_bucket, const std::string& bucket, const Json& existing) {
  const Json statement = {{"Sid", "cordon-server-access-logs"},
                          {"Effect", "Allow"},
                          {"Principal", {{"Service", "logging.s3.amazonaws.com"}}},
                          {"Action", Json::array({"s3:PutObject"})},
                          {"Resource", "arn:aws:s3:::" + log_bucket + "/" + bucket + "/*"},
                          {"Condition", {{"ArnLike", {{"aws:SourceArn", "arn:aws:s3:::" + bucket}}}}}};
  return MergeStatements(existing, Json::array({statement}));
}

Status EnsureLogging(aws::Client& client, const EvidenceBucketSpec& spec, Steps* out) {
  const std::string prefix = spec.bucket + "/";
  auto got = client.Call("s3", "GetBucketLogging", Json{{"Bucket", spec.bucket}});
  if (!got) return MakeError(BucketError(got.error(), spec.bucket, "GetBucketLogging"));
  const Json enabled = got->value("LoggingEnabled", Json::object());
  const std::string what = "to s3://" + spec.log_bucket + "/" + prefix;
  if (enabled.value("TargetBucket", "") == spec.log_bucket && enabled.value("TargetPrefix", "") == prefix) {
    out->push_back({spec.bucket, "access logging", "ok", what});
    return Ok();
  }
  auto put = client.Call(
      "s3", "PutBucketLogging",
      Json{{"Bucket", spec.bucket},
           {"BucketLoggingStatus",
            {{"LoggingEnabled", {{"TargetBucket", spec.log_bucket}, {"TargetPrefix", prefix}}}}}});
  if (!put) return MakeError(BucketError(put.error(), spec.bucket, "PutBucketLogging"));
  out->push_back({spec.bucket, "access logging", "set", what});
  return Ok();
}

}  // namespace

Json EvidenceBucketPolicy(const std::string& bucket, const Json& existing) {
  const std::string arn = "arn:aws:s3:::" + bucket;
  const Json statements = Json::array({{{"Sid", "cordon-deny-insecure-transport"},
                                        {"Effect", "Deny"},
                                        {"Principal", "*"},
                                        {"Action", "s3:*"},
                                        {"Resource", Json::array({arn, arn + "/*"})},
                                        {"Condition", {{"Bool", {{"aws:SecureTransport", "false"}}}}}},
                                       {{"Sid", "cordon-deny-evidence-deletes"},
                                        {"Effect", "Deny"},
                                        {"Principal", "*"},
                                        {"Action", Json::array({"s3:DeleteObject", "s3:DeleteObjectVersion",
                                                                "s3:BypassGovernanceRetention"})},
                                        {"Resource", arn + "/*"}}});
  return MergeStatements(existing, statements);
}

Result<std::vector<BucketSetting>> CreateEvidenceBucket(aws::Client& client, const EvidenceBucketSpec& spec) {
  Steps out;
  const std::string& b = spec.bucket;
  const std::string& logs = spec.log_bucket;
  // The log bucket first: logging is the evidence bucket's last setting and needs it ready. S3 delivers
  // access logs only to a bucket encrypted with SSE-S3, so the log bucket is not SSE-KMS.
  for (const auto& step : std::vector<std::function<Status()>>{
           [&] { return EnsureBucket(client, logs, false, &out); },
           [&] { return EnsureVersioning(client, logs, &out); },
           [&] { return EnsureEncryption(client, logs, "AES256", "", &out); },
           [&] { return EnsurePublicAccessBlock(client, logs, &out); },
           [&] {
             return EnsurePolicy(
                 client, logs, "S3 log delivery may write " + b + "/ logs",
                 [&](const Json& e) { return LogDeliveryPolicy(logs, b, e); }, &out);
           },
           [&] { return EnsureBucket(client, b, true, &out); },
           [&] { return EnsureVersioning(client, b, &out); },
           [&] { return EnsureObjectLock(client, spec, &out); },
           [&] { return EnsureEncryption(client, b, "aws:kms", spec.kms_key, &out); },
           [&] { return EnsurePublicAccessBlock(client, b, &out); },
           [&] {
             return EnsurePolicy(
                 client, b, "deny non-TLS access, object and version deletes",
                 [&](const Json& e) { return EvidenceBucketPolicy(b, e); }, &out);
           },
           [&] { return EnsureLogging(client, spec, &out); },
       }) {
    if (auto s = step(); !s) return MakeError(s.error());
  }
  return out;
}

}  // namespace cordon::response

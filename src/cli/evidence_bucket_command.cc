#include "cli/evidence_bucket_command.h"

#include <charconv>
#include <cstdio>
#include <memory>

#include "base/terminal_print.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/result_or_text.h"
#include "response/bucket/bucket_create.h"
#include "response/bucket/bucket_ref.h"

namespace cordon::cli {
namespace {

struct Flags {
  std::string uri, retention = "90d", mode = "compliance", kms_key, log_bucket;
  ResultFlags result;                 // --output, --query
  response::EvidenceBucketSpec spec;  // by Check
};

// "90d" or "7y" into the spec's days or years: S3 takes a default retention in either, not both.
Status ParseRetention(const std::string& text, response::EvidenceBucketSpec* spec) {
  int n = 0;
  const char* end = text.data() + text.size() - (text.empty() ? 0 : 1);
  auto [ptr, ec] = std::from_chars(text.data(), end, n);
  const char unit = text.empty() ? '\0' : text.back();
  if (text.size() < 2 || ec != std::errc() || ptr != end || n < 1 || (unit != 'd' && unit != 'y') ||
      (unit == 'd' && n > 36500) || (unit == 'y' && n > 100))
    return MakeError(ErrorKind::kInvalidArgument,
                     "--retention takes days or years: 90d, 365d, 7y (not '" + text + "')");
  spec->days = unit == 'd' ? n : 0;
  spec->years = unit == 'y' ? n : 0;
  return Ok();
}

Status Check(Flags& f) {
  auto ref = response::ParseBucketUri(f.uri, "evidence-bucket create");
  if (!ref) return MakeError(ref.error());
  if (!ref->prefix.empty())
    return MakeError(ErrorKind::kInvalidArgument,
                     "evidence-bucket create takes a bucket, s3://NAME, without a prefix (cases take "
                     "--evidence-bucket s3://NAME/PREFIX)");
  f.spec.bucket = ref->bucket;
  f.spec.log_bucket = f.log_bucket.empty() ? ref->bucket + "-logs" : f.log_bucket;
  if (!response::IsBucketName(f.spec.log_bucket))
    return MakeError(ErrorKind::kInvalidArgument,
                     "--log-bucket: '" + f.spec.log_bucket + "' is not an S3 bucket name");
  if (f.spec.log_bucket == f.spec.bucket)
    return MakeError(ErrorKind::kInvalidArgument,
                     "--log-bucket must be another bucket: an Object Lock bucket cannot be its own access "
                     "log destination");
  f.spec.mode = f.mode == "governance" ? "GOVERNANCE" : "COMPLIANCE";
  f.spec.kms_key = f.kms_key;
  if (auto s = CheckResultFlags(f.result); !s) return s;
  return ParseRetention(f.retention, &f.spec);
}

int Create(const CommandContext& ctx, const Flags& f) {
  auto client = ctx.Client();
  if (!client) return ReportError(client.error());
  auto settings = response::CreateEvidenceBucket(**client, f.spec);
  if (!settings) return ReportError(settings.error());
  Json out = {{"bucket", f.spec.bucket}, {"log_bucket", f.spec.log_bucket}, {"settings", Json::array()}};
  for (const auto& s : *settings)
    out["settings"].push_back(
        {{"bucket", s.bucket}, {"setting", s.name}, {"outcome", s.outcome}, {"detail", s.detail}});
  return PrintResultOrText(out, f.result, [&] {
    for (const auto& s : *settings)
      SafePrintf(stdout, "s3://%-40s %-20s %-4s %s\n", s.bucket.c_str(), s.name.c_str(), s.outcome.c_str(),
                 s.detail.c_str());
    SafePrintf(stdout, "s3://%s is write-once: give it to contain as --evidence-bucket s3://%s/PREFIX\n",
               f.spec.bucket.c_str(), f.spec.bucket.c_str());
  });
}

}  // namespace

CommandBody SetupEvidenceBucketCreate(CLI::App& app) {
  app.description(
      "Make (or complete) a write-once evidence bucket: Object Lock with a default retention, versioning,\n"
      "SSE-KMS, every public access blocked, a policy denying non-TLS access and deletes, and server access\n"
      "logs to a separate bucket (NAME-logs). Rerun-safe: settings already right are left alone.");
  auto f = std::make_shared<Flags>();
  app.add_option("bucket", f->uri, "s3://NAME")->required();
  app.add_option("--retention", f->retention, "default retention of every object: 90d, 365d, 7y")
      ->capture_default_str();
  app.add_option("--mode", f->mode,
                 "compliance (nobody can shorten or remove it, root included) or governance (holders of "
                 "s3:BypassGovernanceRetention can)")
      ->check(CLI::IsMember({"compliance", "governance"}))
      ->capture_default_str();
  app.add_option("--kms-key", f->kms_key, "the KMS key (id, ARN or alias) for SSE-KMS (default aws/s3)");
  app.add_option("--log-bucket", f->log_bucket, "where access logs go (default NAME-logs)");
  AddResultFlags(app, &f->result, "the settings");
  return {[f](const CommandContext& ctx) { return Create(ctx, *f); }, [f] { return Check(*f); }};
}

}  // namespace cordon::cli

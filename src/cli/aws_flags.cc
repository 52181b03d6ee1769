#include "cli/aws_flags.h"

namespace cordon::cli {

void AddAwsFlags(CLI::App& app, aws::ClientFlags* flags) {
  app.add_option("--region", flags->region,
                 "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile)");
  app.add_option("--profile", flags->profile, "profile from ~/.aws/config and ~/.aws/credentials");
  app.add_option("--endpoint-url", flags->endpoint_url,
                 "send every call to this URL (an emulator, a VPC endpoint); S3 then uses path-style");
  app.add_option("--max-attempts", flags->max_attempts, "attempts per call, retries included (default 3)");
}

}  // namespace cordon::cli

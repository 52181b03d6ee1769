#include "cli/aws_flags.h"

#include <cmath>
#include <cstdlib>
#include <string>

namespace cordon::cli {

void AddAwsFlags(CLI::App& app, aws::ClientFlags* flags) {
  app.add_option("--region", flags->region,
                 "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile)");
  app.add_option("--profile", flags->profile, "profile from ~/.aws/config and ~/.aws/credentials");
  app.add_option("--endpoint-url", flags->endpoint_url,
                 "send every call to this URL (an emulator, a VPC endpoint); S3 then uses path-style");
  app.add_option("--max-attempts", flags->max_attempts, "attempts per call, retries included (default 3)");
  app.add_option("--max-rate", flags->max_rate,
                 "at most this many calls a second to each AWS service, evenly spaced (default: the "
                 "services' documented rates)")
      ->check(CLI::Validator(
          [](std::string& value) {
            char* end = nullptr;
            const double rate = std::strtod(value.c_str(), &end);
            if (value.empty() || *end != '\0' || !std::isfinite(rate) || rate <= 0)
              return "must be a number of calls a second above 0, e.g. 10 or 0.5 (got '" + value + "')";
            return std::string();
          },
          "RATE"));
  app.add_option("--connect-timeout", flags->connect_timeout, "seconds to wait for a connection (default 10)")
      ->check(CLI::Range(1, 3600));
  app.add_option("--read-timeout", flags->read_timeout,
                 "seconds a response may send nothing before the attempt fails (default 60)")
      ->check(CLI::Range(1, 3600));
  app.add_option("--ca-bundle", flags->ca_bundle,
                 "PEM file of the CAs to trust instead of the system's (default AWS_CA_BUNDLE, the profile's "
                 "ca_bundle)");
  app.add_option("--mfa-code", flags->mfa_code,
                 "MFA code for a role profile with mfa_serial (default: asked on the terminal); the session "
                 "is cached in ~/.aws/cli/cache as the AWS CLI caches it");
}

}  // namespace cordon::cli

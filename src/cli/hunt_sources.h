// The log sources of a hunt (--cloudtrail, --flow-logs, --guardduty, --config), shared by `cordon hunt`
// and `cordon triage` so both take the same flags and open them the same way.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "base/error.h"
#include "hunt/scanner.h"

namespace cordon::aws {
class Client;
}  // namespace cordon::aws

namespace cordon::cli {

// Each entry is a local file or folder, or s3://bucket/prefix.
struct HuntSources {
  std::vector<std::string> cloudtrail;
  std::vector<std::string> flow_logs;
  std::vector<std::string> guardduty;
  std::vector<std::string> config;

  bool empty() const {
    return cloudtrail.empty() && flow_logs.empty() && guardduty.empty() && config.empty();
  }
};

// Adds --cloudtrail, --flow-logs, --guardduty and --config (each repeatable) to `app`, filling *sources.
void AddHuntSourceFlags(CLI::App& app, HuntSources* sources);

// Opens every source in `sources`. `get_client` is called only when an s3:// source needs the AWS
// client, so local folders work without credentials; the client it returns must outlive the sources.
// Fails (kInvalidArgument for a malformed s3:// URL, or get_client's error) without opening the rest.
// A local path that does not exist is not noticed here: hunt::RunHunt fails when it lists it.
Result<std::vector<hunt::SourceSpec>> OpenHuntSources(
    const HuntSources& sources, const std::function<Result<aws::Client*>()>& get_client);

}  // namespace cordon::cli

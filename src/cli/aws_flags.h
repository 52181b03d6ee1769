// The AWS connection flags every command that talks to AWS takes: --region, --profile,
// --endpoint-url, --max-attempts, --max-rate, the timeouts, --ca-bundle, --mfa-code.
#pragma once

#include <CLI/CLI.hpp>

#include "aws/client_factory.h"

namespace cordon::cli {

void AddAwsFlags(CLI::App& app, aws::ClientFlags* flags);

}  // namespace cordon::cli

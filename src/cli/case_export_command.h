// The case leaves the laptop: `cordon case export ID [--to s3://B[/P]]`, and the same export with its
// journal anchor at the end of every command that changed a case with an evidence bucket.
#pragma once

#include <string>

#include "aws/client.h"
#include "cli/command.h"
#include "evidence/case_store.h"
#include "response/bucket/bucket_ref.h"

namespace cordon::cli {

CommandBody SetupCaseExport(CLI::App& app);

// Exports `store` to `ref` and anchors its journal head there, printing both (stderr); kExitOk or
// the failure's exit code, with how to retry.
int ExportAndReport(aws::Client& client, evidence::CaseStore& store, const response::BucketRef& ref,
                    const std::string& responder);

// Run by Main after each command: when the command opened a case whose journal grew and the case has
// an evidence bucket, exports it (ExportAndReport). Returns `status`, or a failed export's exit code
// when `status` was success.
int FinishCaseRun(const CommandContext& ctx, int status);

}  // namespace cordon::cli

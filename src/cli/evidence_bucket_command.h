// `cordon evidence-bucket create s3://NAME`: the write-once evidence bucket
// (response/bucket/bucket_create.h).
#pragma once

#include "cli/command.h"

namespace cordon::cli {

CommandBody SetupEvidenceBucketCreate(CLI::App& app);

}  // namespace cordon::cli

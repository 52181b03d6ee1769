// `cordon image --case ID [--snapshot snap-...] --to s3://BUCKET/PREFIX | DIR`: the case's snapshots
// as raw disk images off the host, read through the EBS direct APIs (no instance, no volume), each
// block checked against EBS's checksum, the whole image hashed (SHA-256, block order) into the chain
// of custody. Resumable: a rerun after a crash reads only the blocks (and uploads only the parts)
// that are not done. See response/image/.
#pragma once

#include "cli/command.h"

namespace cordon::cli {

CommandBody SetupImage(CLI::App& app);

}  // namespace cordon::cli

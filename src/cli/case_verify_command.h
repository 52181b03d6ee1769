// `cordon case verify ID`: the hash chain, pre-state and evidence of a case, checked against the
// journal anchors in its evidence bucket (or --anchor SEQ:SHA256), so a truncated, rolled-back or
// rebuilt journal is found as surely as an edited one.
#pragma once

#include <string>

#include "cli/command.h"
#include "cli/result_or_text.h"

namespace cordon::cli {

struct CaseVerifyFlags {
  std::string id, cases_dir, anchor, bucket;
  ResultFlags result;  // --output, --query
};

// `case verify`'s options on `app` (the command, or `case`'s verify sub-command).
void AddCaseVerifyOptions(CLI::App& app, CaseVerifyFlags* flags);
// The anchors come from --anchor, else --evidence-bucket's or the case's bucket (through ctx's client).
// Exit 0 when everything holds against an anchor, 1 with what does not, 6 (kExitPartial) when the
// chain holds but there was no anchor to compare it with (no bucket, no anchor in it, no --anchor).
int RunCaseVerify(const CommandContext& ctx, const CaseVerifyFlags& flags);

CommandBody SetupCaseVerify(CLI::App& app);

}  // namespace cordon::cli

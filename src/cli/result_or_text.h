// The commands that have their own text report (case show, posture, sigma lint, ...): that report for a
// plain --output text, and the AWS CLI's json, text or table of the same result otherwise.
#pragma once

#include <functional>

#include "cli/result_output.h"

namespace cordon::cli {

// `text` prints the command's own report when `flags` ask for plain text (no --query); otherwise
// PrintResult(result, flags). Returns PrintResult's exit code, or 0.
inline int PrintResultOrText(const Json& result, const ResultFlags& flags,
                             const std::function<void()>& text) {
  if (flags.structured()) return PrintResult(result, flags);
  text();
  return 0;
}

}  // namespace cordon::cli

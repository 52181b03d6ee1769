// The cleanup steps (cleanup.h describes them), made by BuildCleanupPlan.
#pragma once

#include <memory>

#include "response/cleanup/cleanup.h"
#include "response/step.h"

namespace cordon::response::cleanup {

std::unique_ptr<Step> MakeCheckEvidenceStep(const CleanupOptions& options);  // check_evidence.cc
std::unique_ptr<Step> MakeTerminateStep();                                   // terminate_suspect.cc
std::unique_ptr<Step> MakeDeleteGroupsStep();                                // delete_groups.cc

}  // namespace cordon::response::cleanup

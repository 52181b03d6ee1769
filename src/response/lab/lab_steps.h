// The lab's steps (lab.h lists them by sub-command), made by the plan builders.
#pragma once

#include <memory>

#include "response/lab/lab.h"
#include "response/step.h"

namespace cordon::response::lab {

std::unique_ptr<Step> MakeLabStackStep(const LabOptions& options);   // lab_up.cc
std::unique_ptr<Step> MakeLabVerifyStep();                           // lab_verify.cc
std::unique_ptr<Step> MakeLabAllowStep();                            // lab_allow.cc
std::unique_ptr<Step> MakeLabAttachStep(const LabOptions& options);  // lab_attach.cc
std::unique_ptr<Step> MakeLabMountStep();                            // lab_mount.cc
std::unique_ptr<Step> MakeLabDetachVolumesStep();                    // lab_down.cc
std::unique_ptr<Step> MakeLabRevokeAllowStep();                      // lab_down.cc
std::unique_ptr<Step> MakeLabDeleteStackStep();                      // lab_down.cc
std::unique_ptr<Step> MakeLabSweepStep();                            // lab_down.cc

// The suspect's subnet and AZ: live, else as contain recorded them (the suspect may be gone).
struct Placement {
  std::string subnet_id, availability_zone, vpc_id;
};
Result<Placement> SuspectPlacement(const StepContext& ctx);

// The lab group's egress rule towards the case's allow group (lab allow adds it, lab down revokes it).
Json AllowEgressRule(const std::string& allow_group);

// The case's lab, or kNotFound saying to run `cordon lab up` first.
Result<Lab> RequireLab(const StepContext& ctx);

}  // namespace cordon::response::lab

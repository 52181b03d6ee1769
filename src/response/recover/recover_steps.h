// The recover steps (recover.h describes them) and what they share: the service as contain
// recorded it, and the replacement cordon launched.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "base/json.h"
#include "response/recover/recover.h"
#include "response/step.h"

namespace cordon::response::recover {

std::unique_ptr<Step> MakeRelaunchStep();                             // relaunch.cc
std::unique_ptr<Step> MakeRegisterStep();                             // register_replacement.cc
std::unique_ptr<Step> MakeVerifyStep(const RecoverOptions& options);  // verify_service.cc

// What the suspect was part of, from its recorded pre-state.
struct RecordedService {
  Json instance;                                // DescribeInstances' Instance, as recorded
  std::string auto_scaling_group;               // "" for a standalone instance
  Json classic_load_balancers = Json::array();  // names
  Json target_groups = Json::array();           // [{"arn", "port"?, "availability_zone"?}]
};
Result<RecordedService> ReadRecordedService(const StepContext& ctx);

// The running or pending replacement cordon launched for the suspect (tagged cordon:replaces), if any.
Result<std::optional<Json>> FindReplacement(const StepContext& ctx);

}  // namespace cordon::response::recover

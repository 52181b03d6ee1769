#include "response/subnet_selection.h"

#include <algorithm>
#include <string>

#include "response/name_list.h"
#include "response/steps/steps.h"

namespace cordon::response {
Status SelectSubnetIsolation(bool nacl, StepSelection* selection) {
  if (!nacl) {
    if (Contains(selection->only, kSubnetStep))
      return MakeError(
          ErrorKind::kInvalidArgument,
          "--only isolate-subnet needs contain --nacl (the network ACL cuts off the whole subnet)");
    return Ok();
  }
  if (Contains(selection->skip, kSubnetStep))
    return MakeError(ErrorKind::kInvalidArgument, "--nacl and --skip isolate-subnet contradict");
  // Every step not skipped: the other opt-in steps are skipped by then (SelectMemoryCapture).
  if (selection->only.empty()) {
    for (const StepInfo& info : ContainSteps())
      if (!Contains(selection->skip, info.name)) selection->only.emplace_back(info.name);
  }
  if (!Contains(selection->only, kSubnetStep)) selection->only.emplace_back(kSubnetStep);
  return Ok();
}

}  // namespace cordon::response

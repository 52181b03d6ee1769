#include "response/memory/capture_order.h"

#include <algorithm>

#include "response/name_list.h"

namespace cordon::response {
namespace {

constexpr std::string_view kCapture = "capture-memory";

}  // namespace

Status SelectMemoryCapture(const MemoryCaptureOptions& memory, StepSelection* selection) {
  if (!memory.enabled) {
    if (Contains(selection->only, kCapture))
      return MakeError(ErrorKind::kInvalidArgument,
                       "--only capture-memory needs --capture-memory and its flags (--evidence-bucket, "
                       "--memory-tool, --memory-tool-sha256)");
    if (!Contains(selection->skip, kCapture)) selection->skip.emplace_back(kCapture);
    return Ok();
  }
  if (Contains(selection->skip, kCapture))
    return MakeError(ErrorKind::kInvalidArgument, "--capture-memory and --skip capture-memory contradict");
  if (!selection->only.empty() && !Contains(selection->only, kCapture))
    selection->only.emplace_back(kCapture);
  return Ok();
}

void ArrangeMemoryCapture(const MemoryCaptureOptions& memory, Plan* plan) {
  if (!memory.before_isolation) return;
  auto& steps = plan->steps;
  auto find = [&](std::string_view name) {
    return std::find_if(steps.begin(), steps.end(), [&](const PlanStep& s) { return s.name == name; });
  };
  auto capture = find(kCapture);
  auto isolate = find("isolate-network");
  if (capture == steps.end() || isolate == steps.end()) return;
  PlanStep moved = std::move(*capture);
  steps.erase(capture);
  // Whatever waited for capture-memory now waits for isolate-network, which comes after it.
  for (PlanStep& s : steps) {
    std::vector<std::string> after;
    for (const std::string& a : s.after) {
      std::string dep = a == kCapture ? std::string("isolate-network") : a;
      if (!Contains(after, dep)) after.push_back(dep);
    }
    s.after = std::move(after);
  }
  isolate = find("isolate-network");
  moved.after = isolate->after;
  isolate->after.emplace_back(kCapture);
  steps.insert(isolate, std::move(moved));
}

}  // namespace cordon::response

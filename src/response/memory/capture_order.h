// Where the opt-in capture-memory step goes in a contain plan (DESIGN.md §3 rule 7). The step
// table puts it after isolate-network (the isolation group then keeps HTTPS to the SSM endpoints);
// --capture-before-isolation moves it in front of isolate-network, which then waits for it.
#pragma once

#include "response/options.h"
#include "response/plan.h"

namespace cordon::response {

// Adds capture-memory to the selection when memory.enabled (to --only lists too), and leaves it out
// otherwise. kInvalidArgument when --only/--skip name it without --capture-memory.
Status SelectMemoryCapture(const MemoryCaptureOptions& memory, StepSelection* selection);

// With memory.before_isolation, moves capture-memory before isolate-network: it takes
// isolate-network's dependencies, and isolate-network (so every later destructive step) runs after
// it. Plans without both steps are left alone.
void ArrangeMemoryCapture(const MemoryCaptureOptions& memory, Plan* plan);

}  // namespace cordon::response

// libFuzzer target for ParseEvents, the parser of whatever arrives on the watched queue. Checks the
// invariants the watcher relies on: a parse never crashes; an error is kInvalidArgument; an event
// watch acts on names a well-formed instance id and gets a valid, deterministic case id; and the
// same body always parses to the same result.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "automation/case_id.h"
#include "automation/event.h"
#include "evidence/case_store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cordon::automation;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto events = ParseEvents(body);
  if (!events) {
    if (events.error().kind != cordon::ErrorKind::kInvalidArgument) std::abort();
    return 0;
  }
  if (events->empty()) std::abort();
  auto again = ParseEvents(body);
  if (!again || again->size() != events->size()) std::abort();
  for (size_t i = 0; i < events->size(); ++i) {
    const Event& event = (*events)[i];
    if (event.kind == EventKind::kOther) {
      if (events->size() != 1 || event.ignored.empty()) std::abort();
      continue;
    }
    if (!event.instance_id.starts_with("i-")) std::abort();
    const std::string case_id = CaseIdFor(event, "AUTO");
    if (!cordon::evidence::ValidateCaseId(case_id) || CaseIdFor((*again)[i], "AUTO") != case_id) std::abort();
  }
  return 0;
}

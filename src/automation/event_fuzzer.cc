// libFuzzer target for ParseEvent, the parser of whatever arrives on the watched queue. Checks the
// invariants the watcher relies on: a parse never crashes; an error is kInvalidArgument; an event
// watch acts on names a well-formed instance id and gets a valid, deterministic case id; and the
// same body always parses to the same result.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "automation/case_id.h"
#include "automation/event.h"
#include "evidence/case_store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cordon::automation;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto event = ParseEvent(body);
  if (!event) {
    if (event.error().kind != cordon::ErrorKind::kInvalidArgument) std::abort();
    return 0;
  }
  if (event->kind == EventKind::kOther) return 0;
  if (!event->instance_id.starts_with("i-")) std::abort();
  const std::string case_id = CaseIdFor(*event, "AUTO");
  if (!cordon::evidence::ValidateCaseId(case_id)) std::abort();
  auto again = ParseEvent(body);
  if (!again || CaseIdFor(*again, "AUTO") != case_id) std::abort();
  return 0;
}

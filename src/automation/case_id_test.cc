#include "automation/case_id.h"

#include <gtest/gtest.h>

#include "evidence/case_store.h"

namespace cordon::automation {
namespace {

Event Finding(std::string id) {
  Event e;
  e.kind = EventKind::kGuardDutyFinding;
  e.finding_id = std::move(id);
  e.instance_id = "i-0abc123def4567890";
  return e;
}

TEST(CaseIdFor, FindingIdIsKept) {
  EXPECT_EQ(CaseIdFor(Finding("16afba5c5c43e07c9e3e5e2e544e95df"), "AUTO"),
            "AUTO-GD-16afba5c5c43e07c9e3e5e2e544e95df");
}

TEST(CaseIdFor, UnsafeOrLongFindingIdsAreHashedDeterministically) {
  std::string odd = CaseIdFor(Finding("../../etc/passwd"), "AUTO");
  EXPECT_EQ(odd, CaseIdFor(Finding("../../etc/passwd"), "AUTO"));
  EXPECT_EQ(odd.size(), 8u + 24u);
  EXPECT_TRUE(evidence::ValidateCaseId(odd)) << odd;
  std::string long_id = CaseIdFor(Finding(std::string(80, 'a')), "AUTO");
  EXPECT_TRUE(evidence::ValidateCaseId(long_id)) << long_id;
  EXPECT_NE(long_id, CaseIdFor(Finding(std::string(81, 'a')), "AUTO"));
}

TEST(CaseIdFor, TagChangeFromInstanceAndTime) {
  Event e;
  e.kind = EventKind::kTagChange;
  e.instance_id = "i-0abc123def4567890";
  e.time = "2026-12-03T06:10:00Z";
  EXPECT_EQ(CaseIdFor(e, "AUTO"), "AUTO-TAG-i-0abc123def4567890-20261203T061000Z");
  e.time = "2026-12-03T06:10:00.250Z";  // the same second
  EXPECT_EQ(CaseIdFor(e, "AUTO"), "AUTO-TAG-i-0abc123def4567890-20261203T061000Z");
  e.time = "yesterday";
  EXPECT_TRUE(evidence::ValidateCaseId(CaseIdFor(e, "AUTO")));
}

TEST(CaseIdFor, OtherEventsHaveNoCase) { EXPECT_EQ(CaseIdFor(Event{}, "AUTO"), ""); }

}  // namespace
}  // namespace cordon::automation

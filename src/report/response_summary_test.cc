// The JSON summary is what change tickets and scripts read after contain, preserve and release: its
// "result" must say failed whenever a step failed, and "unchanged" only when nothing changed.
#include "report/response_summary.h"

#include <gtest/gtest.h>

namespace cordon::report {
namespace {

response::StepReport StepWith(const std::string& name, response::StepStatus status) {
  response::StepReport r;
  r.step = name;
  r.status = status;
  return r;
}

response::TargetReport TargetWith(std::vector<response::StepReport> steps) {
  response::TargetReport t;
  t.target.instance_id = "i-0abc";
  t.target.region = "eu-west-1";
  t.steps = std::move(steps);
  return t;
}

TEST(ResponseSummaryJson, DoneStepsReadAsTheVerb) {
  const Json out = ResponseSummaryJson({TargetWith({StepWith("tag", response::StepStatus::kDone),
                                                    StepWith("isolate", response::StepStatus::kDone)})},
                                       "IR-1", "contained");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]["instance_id"], "i-0abc");
  EXPECT_EQ(out[0]["region"], "eu-west-1");
  EXPECT_EQ(out[0]["case"], "IR-1");
  EXPECT_EQ(out[0]["result"], "contained");
  EXPECT_EQ(out[0]["steps"].size(), 2u);
  EXPECT_FALSE(out[0]["steps"][0].contains("error"));
}

TEST(ResponseSummaryJson, NothingChangedReadsUnchanged) {
  const Json out = ResponseSummaryJson({TargetWith({StepWith("tag", response::StepStatus::kAlreadyDone)})},
                                       "IR-1", "released");
  EXPECT_EQ(out[0]["result"], "unchanged");
}

TEST(ResponseSummaryJson, AFailedStepFailsTheTargetAndNamesThePermission) {
  response::StepReport denied = StepWith("isolate", response::StepStatus::kFailed);
  denied.error.code = "UnauthorizedOperation";
  denied.error.message = "not allowed";
  denied.missing_permission = "ec2:ModifyNetworkInterfaceAttribute";
  const Json out = ResponseSummaryJson({TargetWith({StepWith("tag", response::StepStatus::kDone), denied})},
                                       "IR-1", "contained");
  EXPECT_EQ(out[0]["result"], "failed");
  const Json& step = out[0]["steps"][1];
  EXPECT_EQ(step["status"], std::string(response::StepStatusName(response::StepStatus::kFailed)));
  EXPECT_NE(step["error"].get<std::string>().find("not allowed"), std::string::npos);
  EXPECT_EQ(step["missing_permission"], "ec2:ModifyNetworkInterfaceAttribute");
}

}  // namespace
}  // namespace cordon::report

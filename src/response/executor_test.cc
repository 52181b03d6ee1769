// The engine's scheduling and journaling, with scripted steps (no AWS): dependency order,
// parallelism, rule 5, AccessDenied, and resume decisions from the journal.
#include "response/executor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <thread>
#include <utility>

#include "aws/http/fake_transport.h"
#include "evidence/test_util.h"
#include "response/iam_policy.h"
#include "testing/static_credentials.h"

namespace cordon::response {
namespace {

using evidence::StepState;

// A step whose live state is a flag; DoApply sets it, or fails as scripted.
struct World {
  std::map<std::string, bool> applied;
  std::map<std::string, int> apply_calls;
  std::mutex mu;
  std::atomic<int> running{0}, max_running{0};
};

class ScriptedStep : public Step {
 public:
  ScriptedStep(std::string name, World* world, std::optional<Error> fail = std::nullopt)
      : name_(std::move(name)), world_(world), fail_(std::move(fail)) {}
  std::string_view name() const override { return name_; }

 protected:
  Result<Json> Observe(StepContext&) override {
    std::lock_guard<std::mutex> lock(world_->mu);
    return Json{{"applied", world_->applied[name_]}};
  }
  bool IsDone(StepContext&, const Json& o) override { return o["applied"] == true; }
  Result<Json> DoApply(StepContext&, const Json&) override {
    int now = ++world_->running;
    for (int m = world_->max_running; now > m && !world_->max_running.compare_exchange_weak(m, now);) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    --world_->running;
    std::lock_guard<std::mutex> lock(world_->mu);
    world_->apply_calls[name_]++;
    if (fail_) return MakeError(*fail_);
    world_->applied[name_] = true;
    return Json{{"ok", true}};
  }

 private:
  std::string name_;
  World* world_;
  std::optional<Error> fail_;
};

PlanStep Ps(const std::string& name, std::vector<std::string> after, bool destructive, bool evidence,
            World* w, std::optional<Error> fail = std::nullopt) {
  PlanStep ps;
  ps.name = name;
  ps.after = std::move(after);
  ps.destructive = destructive;
  ps.evidence = evidence;
  ps.step = std::make_unique<ScriptedStep>(name, w, std::move(fail));
  return ps;
}

class ExecutorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = evidence::CaseStore::Open(dir_.path() / "IR-1", evidence::CaseInfo{"tester", ""});
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    options_.case_id = "IR-1";
    options_.responder = "tester";
  }
  Plan MakePlan(std::vector<PlanStep> steps, std::string id = "i-0abc") {
    Plan p;
    p.target = cloud::ResolvedTarget{std::move(id), "us-east-1", "vpc-1", "running", ""};
    p.steps = std::move(steps);
    return p;
  }
  std::vector<TargetReport> Run(std::vector<Plan>& plans) {
    Executor ex(nullptr, store_.get(), &options_, nullptr);
    return ex.Run(plans);
  }
  StepState State(const std::string& target, const std::string& step) {
    auto o = store_->journal().LastOutcome(target, step);
    return o ? o->state : StepState::kNone;
  }

  evidence::test::ScratchDir dir_;
  std::unique_ptr<evidence::CaseStore> store_;
  ResponseOptions options_;
  World world_;
};

TEST_F(ExecutorTest, IndependentStepsRunInParallelAfterTheirDependencies) {
  std::vector<Plan> plans;
  std::vector<PlanStep> steps;
  steps.push_back(Ps("a", {}, false, true, &world_));
  steps.push_back(Ps("b", {"a"}, true, false, &world_));
  steps.push_back(Ps("c", {"a"}, true, false, &world_));
  steps.push_back(Ps("d", {"b", "c"}, true, false, &world_));
  plans.push_back(MakePlan(std::move(steps)));
  auto reports = Run(plans);
  ASSERT_EQ(reports.size(), 1u);
  for (const StepReport& r : reports[0].steps) EXPECT_EQ(r.status, StepStatus::kDone) << r.step;
  EXPECT_EQ(world_.max_running.load(), 2);  // b and c together, never a with anything
  auto records = store_->journal().Records();
  ASSERT_TRUE(records);
  // d's intent comes after both b and c are done.
  int64_t d_intent = 0, b_done = 0, c_done = 0;
  for (const auto& r : *records) {
    if (r.step == "d" && r.kind == "step.intent") d_intent = r.seq;
    if (r.step == "b" && r.kind == "step.done") b_done = r.seq;
    if (r.step == "c" && r.kind == "step.done") c_done = r.seq;
  }
  EXPECT_GT(d_intent, b_done);
  EXPECT_GT(d_intent, c_done);
}

// DESIGN.md §3 rule 5: never keep going with a destructive step after an evidence step failed.
TEST_F(ExecutorTest, FailedEvidenceStepStopsLaterDestructiveSteps) {
  std::vector<Plan> plans;
  std::vector<PlanStep> steps;
  steps.push_back(
      Ps("pre", {}, false, true, &world_, Error{ErrorKind::kService, "boom", "InternalError", 500, "r1"}));
  steps.push_back(Ps("isolate", {}, true, false, &world_));  // independent of pre, but destructive
  steps.push_back(Ps("console", {}, false, true, &world_));  // evidence: still collected
  plans.push_back(MakePlan(std::move(steps)));
  // pre, isolate, console are all ready at once: run pre alone first by ordering through deps.
  plans[0].steps[1].after = {"pre"};
  auto reports = Run(plans);
  EXPECT_EQ(reports[0].steps[0].status, StepStatus::kFailed);
  EXPECT_EQ(reports[0].steps[1].status, StepStatus::kNotAttempted);
  EXPECT_EQ(world_.apply_calls["isolate"], 0);
  EXPECT_EQ(State("i-0abc", "pre"), StepState::kFailed);
  EXPECT_EQ(State("i-0abc", "isolate"), StepState::kSkipped);
}

TEST_F(ExecutorTest, EvidenceFailureBlocksDestructiveStepsWithoutADependency) {
  std::vector<Plan> plans;
  std::vector<PlanStep> steps;
  steps.push_back(Ps("snap", {}, false, true, &world_, Error{ErrorKind::kService, "no", "X", 400, ""}));
  steps.push_back(Ps("gate", {}, false, false, &world_));
  steps.push_back(Ps("cut", {"gate"}, true, false, &world_));  // not after snap at all
  steps.push_back(Ps("more-evidence", {"gate"}, false, true, &world_));
  plans.push_back(MakePlan(std::move(steps)));
  auto reports = Run(plans);
  EXPECT_EQ(reports[0].steps[2].status, StepStatus::kNotAttempted);
  EXPECT_EQ(reports[0].steps[3].status, StepStatus::kDone);
  EXPECT_TRUE(reports[0].failed());
}

TEST_F(ExecutorTest, AccessDeniedNamesThePermissionAndStopsEverythingLater) {
  std::vector<Plan> plans;
  std::vector<PlanStep> steps;
  Error denied{ErrorKind::kAccessDenied,
               "User: arn:aws:iam::123456789012:user/r is not authorized to perform: iam:PutRolePolicy on "
               "resource: role x",
               "AccessDenied", 403, "req-1"};
  steps.push_back(Ps("credentials", {}, true, false, &world_, denied));
  steps.push_back(Ps("snapshot", {"credentials"}, false, true, &world_));
  steps.push_back(Ps("console", {"credentials"}, false, true, &world_));
  plans.push_back(MakePlan(std::move(steps)));
  auto reports = Run(plans);
  EXPECT_EQ(reports[0].steps[0].missing_permission, "iam:PutRolePolicy");
  EXPECT_EQ(reports[0].steps[1].status, StepStatus::kNotAttempted);
  EXPECT_EQ(reports[0].steps[2].status, StepStatus::kNotAttempted);
  auto o = store_->journal().LastOutcome("i-0abc", "credentials");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->payload["missing_permission"], "iam:PutRolePolicy");
}

TEST_F(ExecutorTest, RefusedCredentialsStopEverythingLaterWithoutNamingAnAction) {
  std::vector<Plan> plans;
  std::vector<PlanStep> steps;
  Error refused{ErrorKind::kAccessDenied, "AWS was not able to validate the provided access credentials",
                "AuthFailure", 401, "req-2"};
  steps.push_back(Ps("isolate", {}, true, false, &world_, refused));
  steps.push_back(Ps("independent", {}, false, true, &world_));  // would run: it does not wait on isolate
  steps.push_back(Ps("snapshot", {"isolate"}, false, true, &world_));
  plans.push_back(MakePlan(std::move(steps)));
  auto reports = Run(plans);
  EXPECT_EQ(reports[0].steps[0].status, StepStatus::kFailed);
  EXPECT_EQ(reports[0].steps[0].missing_permission, "");
  EXPECT_EQ(reports[0].steps[2].status, StepStatus::kNotAttempted);
  EXPECT_NE(reports[0].steps[2].detail.find("AuthFailure"), std::string::npos) << reports[0].steps[2].detail;
}

TEST(MissingPermissionTest, FallsBackToTheFailedCall) {
  aws::AuditRecord ok{"ec2", "DescribeInstances", "us-east-1", "r1", "ok"};
  aws::AuditRecord bad{"elbv2", "DeregisterTargets", "us-east-1", "r2", "AccessDenied"};
  Error e{ErrorKind::kAccessDenied, "You are not authorized to perform this operation.",
          "UnauthorizedOperation", 403, ""};
  EXPECT_EQ(MissingPermission(e, {ok, bad}), "elasticloadbalancing:DeregisterTargets");
}

TEST(MissingPermissionTest, CredentialAndSignatureErrorsNameNoAction) {
  aws::AuditRecord bad{"ec2", "CreateSecurityGroup", "us-east-1", "r3", "AuthFailure"};
  Error auth{ErrorKind::kAccessDenied, "AWS was not able to validate the provided access credentials",
             "AuthFailure", 401, ""};
  EXPECT_EQ(MissingPermission(auth, {bad}), "");
  Error expired{ErrorKind::kAccessDenied, "The security token included in the request is expired",
                "ExpiredToken", 403, ""};
  EXPECT_EQ(MissingPermission(expired, {bad}), "");
}

TEST_F(ExecutorTest, OneFailingTargetDoesNotStopAnother) {
  std::vector<Plan> plans;
  std::vector<PlanStep> a, b;
  a.push_back(Ps("x", {}, true, false, &world_, Error{ErrorKind::kService, "no", "X", 400, ""}));
  World other;
  b.push_back(Ps("x", {}, true, false, &other));
  b.push_back(Ps("y", {"x"}, true, false, &other));
  plans.push_back(MakePlan(std::move(a), "i-1"));
  plans.push_back(MakePlan(std::move(b), "i-2"));
  auto reports = Run(plans);
  EXPECT_TRUE(reports[0].failed());
  EXPECT_FALSE(reports[1].failed());
  EXPECT_EQ(State("i-2", "y"), StepState::kDone);
}

TEST_F(ExecutorTest, RerunSkipsDoneStepsAndChangesNothing) {
  for (int run = 0; run < 2; ++run) {
    std::vector<Plan> plans;
    std::vector<PlanStep> steps;
    steps.push_back(Ps("a", {}, true, false, &world_));
    steps.push_back(Ps("b", {"a"}, true, false, &world_));
    plans.push_back(MakePlan(std::move(steps)));
    auto reports = Run(plans);
    EXPECT_EQ(reports[0].changed(), run == 0);
    if (run == 1) {
      for (const StepReport& r : reports[0].steps) EXPECT_EQ(r.status, StepStatus::kAlreadyDone);
    }
  }
  EXPECT_EQ(world_.apply_calls["a"], 1);
  EXPECT_EQ(world_.apply_calls["b"], 1);
}

// A crash between the AWS calls and the outcome leaves an intent; the rerun marks it interrupted,
// re-observes, and finishes with the original "before" rather than the half-changed live state.
TEST_F(ExecutorTest, InterruptedStepIsReobservedAndKeepsTheOriginalBefore) {
  ASSERT_TRUE(store_->journal().Append(evidence::kind::kStepIntent, "i-0abc", "a",
                                       Json{{"before", {{"applied", false}, {"original", true}}}}));
  world_.applied["a"] = true;  // the calls went through before the crash
  std::vector<Plan> plans;
  std::vector<PlanStep> steps;
  steps.push_back(Ps("a", {}, true, false, &world_));
  plans.push_back(MakePlan(std::move(steps)));
  auto reports = Run(plans);
  EXPECT_EQ(reports[0].steps[0].status, StepStatus::kAlreadyDone);
  EXPECT_EQ(world_.apply_calls["a"], 0);
  auto o = store_->journal().LastOutcome("i-0abc", "a");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->state, StepState::kDone);
  EXPECT_EQ(o->payload["before"]["original"], true);
  auto records = store_->journal().Records();
  bool marked = false;
  for (const auto& r : *records) marked = marked || r.kind == "interrupted";
  EXPECT_TRUE(marked);
}

TEST_F(ExecutorTest, InterruptedStepNotYetAppliedIsFinished) {
  ASSERT_TRUE(store_->journal().Append(evidence::kind::kStepIntent, "i-0abc", "a",
                                       Json{{"before", {{"applied", false}}}}));
  std::vector<Plan> plans;
  std::vector<PlanStep> steps;
  steps.push_back(Ps("a", {}, true, false, &world_));
  plans.push_back(MakePlan(std::move(steps)));
  auto reports = Run(plans);
  EXPECT_EQ(reports[0].steps[0].status, StepStatus::kDone);
  EXPECT_EQ(world_.apply_calls["a"], 1);
  auto intent = store_->journal().LastOutcome("i-0abc", "a");
  EXPECT_EQ(intent->state, StepState::kDone);
}

TEST_F(ExecutorTest, FailedStepIsRetriedOnRerun) {
  ASSERT_TRUE(store_->journal().Append(evidence::kind::kStepFailed, "i-0abc", "a",
                                       Json{{"before", {{"applied", false}}}}));
  std::vector<Plan> plans;
  std::vector<PlanStep> steps;
  steps.push_back(Ps("a", {}, true, false, &world_));
  plans.push_back(MakePlan(std::move(steps)));
  auto reports = Run(plans);
  EXPECT_EQ(reports[0].steps[0].status, StepStatus::kDone);
}

// Issue 10: the case journal's failures stop the response. These steps call EC2 through a real
// client and a FakeTransport, so the test sees exactly which requests went out.

// A step that makes the EC2 calls `calls` (operation, input) in DoApply, with the live state a flag.
class AwsStep : public Step {
 public:
  AwsStep(std::string name, std::vector<std::pair<std::string, Json>> calls,
          std::vector<std::string> notes = {})
      : name_(std::move(name)), calls_(std::move(calls)), notes_(std::move(notes)) {}
  std::string_view name() const override { return name_; }

 protected:
  Result<Json> Observe(StepContext&) override { return Json{{"applied", applied_}}; }
  bool IsDone(StepContext&, const Json& o) override { return o["applied"] == true; }
  Result<Json> DoApply(StepContext& ctx, const Json&) override {
    for (const auto& [op, input] : calls_) {
      if (auto r = ctx.Call("ec2", op, input); !r) return MakeError(r.error());
    }
    applied_ = true;
    ctx.notes = notes_;
    return Json{{"ok", true}};
  }

 private:
  std::string name_;
  std::vector<std::pair<std::string, Json>> calls_;
  std::vector<std::string> notes_;
  bool applied_ = false;
};

class JournalFailureTest : public ExecutorTest {
 protected:
  void SetUp() override {
    ExecutorTest::SetUp();
    transport_ = std::make_shared<aws::FakeTransport>([](const aws::HttpRequest& r) {
      const size_t a = r.body.find("Action=");
      const std::string action = r.body.substr(a + 7, r.body.find('&', a) - a - 7);
      aws::HttpResponse out;
      out.status = 200;
      out.body = "<" + action +
                 "Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>req-" + action +
                 "</requestId></" + action + "Response>";
      return Result<aws::HttpResponse>(out);
    });
    aws::ClientOptions options;
    options.region = "us-east-1";
    options.credentials = std::make_shared<test::StaticCredentials>();
    options.transport = transport_;
    options.retry.max_attempts = 1;
    options.rate_limit = aws::RateLimit::Unlimited();
    client_ = std::make_unique<aws::Client>(options);
  }

  // The contain chain, reduced to one call per kind of change (two ENIs for isolation).
  Plan ContainPlan(const std::string& id, std::vector<std::string> tag_notes = {}) {
    auto step = [](const std::string& name, std::vector<std::string> after, bool destructive, bool evidence,
                   std::vector<std::pair<std::string, Json>> calls, std::vector<std::string> notes = {}) {
      PlanStep ps;
      ps.name = name;
      ps.after = std::move(after);
      ps.destructive = destructive;
      ps.evidence = evidence;
      ps.step = std::make_unique<AwsStep>(name, std::move(calls), std::move(notes));
      return ps;
    };
    std::vector<PlanStep> steps;
    steps.push_back(step("tag", {}, true, false,
                         {{"CreateTags", Json{{"Resources", Json::array({id})},
                                              {"Tags", Json::array({Json{{"Key", "k"}, {"Value", "v"}}})}}}},
                         std::move(tag_notes)));
    steps.push_back(step("isolate-network", {"tag"}, true, false,
                         {{"ModifyNetworkInterfaceAttribute",
                           Json{{"NetworkInterfaceId", "eni-1"}, {"Groups", Json::array({"sg-1"})}}},
                          {"ModifyNetworkInterfaceAttribute",
                           Json{{"NetworkInterfaceId", "eni-2"}, {"Groups", Json::array({"sg-1"})}}}}));
    steps.push_back(step("credentials", {"isolate-network"}, true, false,
                         {{"DisassociateIamInstanceProfile", Json{{"AssociationId", "iip-assoc-1"}}}}));
    steps.push_back(step("snapshot", {"credentials"}, false, true,
                         {{"CreateSnapshots", Json{{"InstanceSpecification", Json{{"InstanceId", id}}}}}}));
    return MakePlan(std::move(steps), id);
  }

  // The EC2 actions sent, in order, as "Action InstanceOrEni".
  std::vector<std::string> Actions() {
    std::vector<std::string> out;
    for (const aws::HttpRequest& r : transport_->requests()) {
      const size_t a = r.body.find("Action=");
      out.push_back(r.body.substr(a + 7, r.body.find('&', a) - a - 7));
    }
    return out;
  }

  void InjectFailure(const std::string& when) {
    ASSERT_EQ(evidence::test::RawSql(dir_.path() / "IR-1" / "case.db",
                                     "CREATE TRIGGER inject BEFORE INSERT ON journal WHEN " + when +
                                         " BEGIN SELECT RAISE(ABORT, 'injected'); END;"),
              "");
  }

  std::shared_ptr<aws::FakeTransport> transport_;
  std::unique_ptr<aws::Client> client_;
};

// isolate-network's change goes through, but its step.done record cannot be written: nothing after
// it is attempted, on this target or the next, and the result names every record lost.
TEST_F(JournalFailureTest, FailedAppendMidContainStopsEveryLaterStep) {
  InjectFailure("NEW.step = 'isolate-network' AND NEW.kind = 'step.done'");
  std::vector<Plan> plans;
  plans.push_back(ContainPlan("i-1"));
  plans.push_back(ContainPlan("i-2"));
  Executor ex(client_.get(), store_.get(), &options_, nullptr);
  auto reports = ex.Run(plans, /*target_concurrency=*/1);  // i-1, then i-2

  // The requests end with isolate-network's: no ModifyNetworkInterfaceAttribute, credentials change
  // or CreateSnapshots after the failure, and nothing at all for i-2.
  const std::vector<std::string> expected_actions = {"CreateTags", "ModifyNetworkInterfaceAttribute",
                                                     "ModifyNetworkInterfaceAttribute"};
  EXPECT_EQ(Actions(), expected_actions);

  ASSERT_EQ(reports.size(), 2u);
  const TargetReport& first = reports[0];
  EXPECT_EQ(first.steps[0].status, StepStatus::kDone);
  EXPECT_EQ(first.steps[1].status, StepStatus::kFailed);
  EXPECT_NE(first.steps[1].error.message.find("injected"), std::string::npos) << first.steps[1].error.message;
  for (size_t i : {2u, 3u}) {
    EXPECT_EQ(first.steps[i].status, StepStatus::kNotAttempted) << first.steps[i].step;
    EXPECT_EQ(first.steps[i].detail.rfind("not attempted: the case journal failed: ", 0), 0u)
        << first.steps[i].detail;
    EXPECT_NE(first.steps[i].detail.find("injected"), std::string::npos) << first.steps[i].detail;
  }
  for (const StepReport& r : reports[1].steps) {
    EXPECT_EQ(r.status, StepStatus::kNotAttempted) << r.step;
    EXPECT_NE(r.detail.find("the case journal failed: "), std::string::npos) << r.detail;
  }
  EXPECT_TRUE(first.failed());
  EXPECT_TRUE(reports[1].failed());
  EXPECT_NE(first.journal_error.find("injected"), std::string::npos) << first.journal_error;

  // The lost records: isolate-network's outcome (done, then failed), every skip after it, run.end.
  const std::vector<std::string> lost = ex.lost_records();
  const std::vector<std::string> expected_lost = {
      "step.done isolate-network i-1",
      "step.failed isolate-network i-1",
      "step.skipped credentials i-1",
      "step.skipped snapshot i-1",
      "step.skipped tag i-2",
      "step.skipped isolate-network i-2",
      "step.skipped credentials i-2",
      "step.skipped snapshot i-2",
      "run.end",
  };
  EXPECT_EQ(lost, expected_lost);
  ASSERT_GE(first.lost_records.size(), 1u);
  EXPECT_EQ(first.lost_records[0].ToString(), "step.done isolate-network i-1");
  EXPECT_EQ(first.lost_records.size(), 4u);
  EXPECT_EQ(reports[1].lost_records.size(), 4u);
  ASSERT_FALSE(ex.journal_status());

  // What was written is an intact chain, and isolate-network reads as interrupted (its intent has no
  // outcome), so a rerun re-observes it instead of trusting a record that does not exist.
  auto verify = store_->journal().Verify();
  ASSERT_TRUE(verify);
  EXPECT_TRUE(verify->ok()) << verify->reason;
  EXPECT_EQ(State("i-1", "isolate-network"), StepState::kInterrupted);
  EXPECT_EQ(State("i-1", "credentials"), StepState::kNone);
}

// A lost note does not fail its step, but the journal has a hole now: the next step does not start,
// though nothing it depends on failed.
TEST_F(JournalFailureTest, LostNoteStopsTheNextStepThoughItsStepIsDone) {
  InjectFailure("NEW.kind = 'note'");
  std::vector<Plan> plans;
  plans.push_back(ContainPlan("i-1", {"tagged with the case"}));
  Executor ex(client_.get(), store_.get(), &options_, nullptr);
  auto reports = ex.Run(plans);
  EXPECT_EQ(reports[0].steps[0].status, StepStatus::kDone);
  EXPECT_NE(reports[0].steps[0].detail.find("notes could not be journaled"), std::string::npos);
  EXPECT_EQ(reports[0].steps[1].status, StepStatus::kNotAttempted);
  EXPECT_NE(reports[0].steps[1].detail.find("the case journal failed: "), std::string::npos);
  const std::vector<std::string> expected_actions = {"CreateTags"};
  EXPECT_EQ(Actions(), expected_actions);
  ASSERT_FALSE(ex.lost_records().empty());
  EXPECT_EQ(ex.lost_records()[0], "note tag i-1");
  EXPECT_EQ(State("i-1", "tag"), StepState::kDone);
}

TEST(IamPolicyTest, ContainPolicyCoversEveryStepAction) {
  auto actions = ActionsFor("contain");
  ASSERT_TRUE(actions);
  for (const char* a : {"ec2:ModifyNetworkInterfaceAttribute", "ec2:CreateSnapshots", "iam:PutRolePolicy",
                        "autoscaling:DetachInstances", "elasticloadbalancing:DeregisterTargets"})
    EXPECT_NE(std::find(actions->begin(), actions->end(), a), actions->end()) << a;
  // Least privilege: contain never terminates, stops or reboots (rule 5), and release never deregisters.
  for (const char* a : {"ec2:TerminateInstances", "ec2:StopInstances", "ec2:RebootInstances"})
    EXPECT_EQ(std::find(actions->begin(), actions->end(), a), actions->end()) << a;
  auto release = ActionsFor("release");
  ASSERT_TRUE(release);
  EXPECT_EQ(std::find(release->begin(), release->end(), "elasticloadbalancing:DeregisterTargets"),
            release->end());
  auto hunt = ActionsFor("hunt");
  ASSERT_TRUE(hunt);
  for (const char* a :
       {"s3:ListBucket", "s3:GetObject", "athena:StartQueryExecution", "athena:GetQueryResults"})
    EXPECT_NE(std::find(hunt->begin(), hunt->end(), a), hunt->end()) << a;
  EXPECT_EQ(std::find(hunt->begin(), hunt->end(), "s3:DeleteObject"), hunt->end());
  auto unknown = ActionsFor("terminate");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("known: triage"), std::string::npos);
}

TEST(IamPolicyTest, TriageCoversTheAutoScalingGroupItDescribes) {
  auto triage = ActionsFor("triage");
  ASSERT_TRUE(triage);
  for (const char* a : {"autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeAutoScalingGroups"})
    EXPECT_NE(std::find(triage->begin(), triage->end(), a), triage->end()) << a;
}

}  // namespace
}  // namespace cordon::response

namespace cordon::response {
namespace {

// A step that asks the executor to stop while it runs (as SIGTERM does to `cordon watch`).
class StoppingStep : public ScriptedStep {
 public:
  StoppingStep(World* world, std::atomic<bool>* stop) : ScriptedStep("a", world), stop_(stop) {}

 protected:
  Result<Json> DoApply(StepContext& ctx, const Json& o) override {
    stop_->store(true);
    return ScriptedStep::DoApply(ctx, o);
  }

 private:
  std::atomic<bool>* stop_;
};

TEST_F(ExecutorTest, StopLetsTheRunningStepFinishAndStartsNothingMore) {
  std::atomic<bool> stop{false};
  std::vector<PlanStep> steps;
  steps.push_back(Ps("a", {}, false, true, &world_));
  steps[0].step = std::make_unique<StoppingStep>(&world_, &stop);
  steps.push_back(Ps("b", {"a"}, true, false, &world_));
  std::vector<Plan> plans;
  plans.push_back(MakePlan(std::move(steps)));
  Executor ex(nullptr, store_.get(), &options_, nullptr);
  ex.set_stop(&stop, "the watcher is stopping");
  auto reports = ex.Run(plans);
  EXPECT_EQ(reports[0].steps[0].status, StepStatus::kDone);
  EXPECT_EQ(reports[0].steps[1].status, StepStatus::kNotAttempted);
  EXPECT_EQ(reports[0].steps[1].detail, "not attempted: the watcher is stopping");
  EXPECT_EQ(world_.apply_calls["b"], 0);
  EXPECT_EQ(State("i-0abc", "b"), StepState::kSkipped);  // a rerun picks it up
}

}  // namespace
}  // namespace cordon::response

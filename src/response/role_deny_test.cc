#include "response/role_deny.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "aws/http/fake_transport.h"
#include "evidence/test_util.h"
#include "response/executor.h"
#include "response/fleet_state.h"
#include "response/role_quota.h"
#include "testing/fake_role_policies.h"
#include "testing/static_credentials.h"

namespace cordon::response {
namespace {

// An EC2 instance id as AWS makes them today: "i-" and 17 hex digits.
std::string Id(int n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "i-%017x", n);
  return buf;
}

TEST(RoleDeny, NamesAndEntries) {
  EXPECT_EQ(DenyPolicyName("IR-7"), "cordon-deny-IR-7");
  EXPECT_EQ(DenyEntry("i-0123456789abcdef0"), "*/i-0123456789abcdef0");
}

TEST(RoleDeny, MergeKeepsEveryEntryOnceAndSorted) {
  Json doc = MergeDeny(Json(), {"*/i-b", "*/i-a"}, "");
  doc = MergeDeny(doc, {"*/i-a", "*/i-c"}, "");
  EXPECT_EQ(DenyEntries(doc), (std::vector<std::string>{"*/i-a", "*/i-b", "*/i-c"}));
  ASSERT_EQ(doc["Statement"].size(), 1u);
  const Json& st = doc["Statement"][0];
  EXPECT_EQ(st["Effect"], "Deny");
  EXPECT_EQ(st["Action"], "*");
  EXPECT_EQ(st["Resource"], "*");
  EXPECT_EQ(st["Condition"]["StringLike"]["ec2:SourceInstanceARN"].size(), 3u);
  EXPECT_EQ(MergeDeny(doc, {"*/i-b"}, ""), doc);  // a rerun changes nothing
}

TEST(RoleDeny, RevokeTimeIsTheLaterAndGoesWithTheLastEntry) {
  Json doc = MergeDeny(Json(), {"*/i-a"}, "2026-12-07T07:00:00Z");
  doc = MergeDeny(doc, {"*/i-b"}, "2026-12-07T06:00:00Z");
  EXPECT_EQ(RevokedBefore(doc), "2026-12-07T07:00:00Z");
  doc = MergeDeny(doc, {"*/i-c"}, "2026-12-07T08:00:00Z");
  EXPECT_EQ(RevokedBefore(doc), "2026-12-07T08:00:00Z");
  doc = WithoutEntry(doc, "*/i-a");
  EXPECT_EQ(DenyEntries(doc), (std::vector<std::string>{"*/i-b", "*/i-c"}));
  EXPECT_EQ(RevokedBefore(doc), "2026-12-07T08:00:00Z");
  doc = WithoutEntry(WithoutEntry(doc, "*/i-b"), "*/i-c");
  EXPECT_TRUE(DenyEntries(doc).empty());
  EXPECT_EQ(RevokedBefore(doc), "");
}

TEST(RoleDeny, RemovingOneEntryKeepsTheOthers) {
  std::vector<std::string> entries;
  for (int i = 0; i < 200; ++i) entries.push_back(DenyEntry(Id(i)));
  Json doc = MergeDeny(Json(), entries, "");
  Json rest = WithoutEntry(doc, DenyEntry(Id(42)));
  std::vector<std::string> left = DenyEntries(rest);
  EXPECT_EQ(left.size(), 199u);
  EXPECT_EQ(std::find(left.begin(), left.end(), DenyEntry(Id(42))), left.end());
  EXPECT_EQ(WithoutEntry(rest, "*/i-notthere"), rest);
}

TEST(RoleDeny, ReadsAStatementThatIsAnObjectOrASingleString) {
  Json doc = Json::parse(R"({"Version":"2012-10-17","Statement":{"Sid":"CordonDenyContainedInstances",
      "Effect":"Deny","Action":"*","Resource":"*",
      "Condition":{"StringLike":{"ec2:SourceInstanceARN":"*/i-a"}}}})");
  EXPECT_EQ(DenyEntries(doc), (std::vector<std::string>{"*/i-a"}));
  EXPECT_TRUE(DenyEntries(Json()).empty());
  EXPECT_TRUE(DenyEntries(Json::parse(R"({"Statement":[{"Sid":"Other"}]})")).empty());
}

// IAM: "IAM doesn't count white space when calculating the size of a policy against these limits."
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
TEST(RoleDeny, SizeIsCountedWithoutWhitespace) {
  EXPECT_EQ(IamPolicySize(std::string_view("{\"a\": [1, 2]}\n\t")), 11u);
  EXPECT_EQ(IamPolicySize(std::string_view("")), 0u);
  Json doc = Json::parse(R"({"Version": "2012-10-17", "Statement": []})");
  EXPECT_EQ(IamDocumentSize(doc), doc.dump().size());  // dump() writes no whitespace
  EXPECT_EQ(IamPolicySize(std::string_view(doc.dump(4))), doc.dump().size());
}

// The numbers issue 13 is about: 200 instances of one role fit in one policy, well within the
// role's 10,240 characters (one policy per instance, about 220 characters each, stopped at ~40).
TEST(RoleDeny, TwoHundredInstancesFitTheRoleQuota) {
  EXPECT_EQ(kRoleInlinePolicyQuota, 10240u);
  std::vector<std::string> entries;
  for (int i = 0; i < 200; ++i) entries.push_back(DenyEntry(Id(i)));
  Json doc = MergeDeny(Json(), entries, "2026-12-07T07:00:00Z");
  size_t size = IamDocumentSize(doc);
  EXPECT_LT(size, 5200u);
  EXPECT_GT(size, 200u * 24u);  // each entry is 21 characters, two quotes and a comma
  Json one = MergeDeny(doc, {DenyEntry(Id(999))}, "");
  EXPECT_EQ(IamDocumentSize(one) - size, 24u);
}

TEST(RoleQuota, ErrorNamesTheRoleTheSizesTheQuotaAndWhatToDo) {
  RoleQuotaUse use;
  use.role = "web-role";
  use.instance_ids = {"i-a", "i-b"};
  use.other_policies = 10000;
  use.deny_after = 400;
  use.fits = 1;
  Error e = RoleQuotaError(use, "IR-Q");
  EXPECT_EQ(e.kind, ErrorKind::kConflict);
  for (const char* part :
       {"role web-role would hold 10400 characters", "10000 in its other inline policies",
        "400 in cordon-deny-IR-Q", "10240", "reference_iam-quotas.html", "nothing was changed",
        "Contain at most 1 of these instances under case IR-Q", "--quarantine-profile"})
    EXPECT_NE(e.message.find(part), std::string::npos) << part << "\n" << e.message;
}

constexpr char kRunRole[] = "fleet-role";

// What a run put on a role's deny (RunDenies), against a FakeTransport that keeps the role's inline
// policies in memory and counts IAM's calls.
class RunDeniesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = evidence::CaseStore::Open(dir_.path() / "IR-R", evidence::CaseInfo{"tester", ""});
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    aws::ClientOptions o;
    o.region = "us-east-1";
    o.credentials = std::make_shared<test::StaticCredentials>();
    o.transport =
        std::make_shared<aws::FakeTransport>([this](const aws::HttpRequest& r) { return iam_.Answer(r); });
    o.retry.max_attempts = 1;
    o.rate_limit = aws::RateLimit::Unlimited();
    client_ = std::make_unique<aws::Client>(o);
    options_.case_id = "IR-R";
    options_.responder = "tester";
  }

  StepContext Context(const std::string& instance_id, RunDenies* run) {
    StepContext ctx;
    ctx.client = client_.get();
    ctx.store = store_.get();
    ctx.target = cloud::ResolvedTarget{instance_id, "us-east-1", "vpc-1", "running", ""};
    ctx.options = &options_;
    ctx.role_denies = run;
    return ctx;
  }
  std::vector<std::string> Denied() {
    std::lock_guard<std::mutex> lock(iam_.mu);
    return DenyEntries(Json::parse(iam_.policies.at(DenyPolicyName("IR-R"))));
  }
  int Calls(const std::string& action) { return iam_.Calls(action); }

  evidence::test::ScratchDir dir_;
  std::unique_ptr<evidence::CaseStore> store_;
  std::unique_ptr<aws::Client> client_;
  ResponseOptions options_;
  test::FakeRolePolicies iam_;
};

TEST_F(RunDeniesTest, OneRunMergesIntoWhatItPutAndAnotherRunReadsIamAgain) {
  const std::string policy = DenyPolicyName("IR-R");
  RunDenies first, second;
  for (const char* id : {"i-01", "i-02"}) {
    StepContext ctx = Context(id, &first);
    ASSERT_TRUE(AddDenyEntry(ctx, kRunRole, policy, DenyEntry(id), ""));
  }
  EXPECT_EQ(Calls("GetRolePolicy"), 1);  // the second merged into what the first put
  EXPECT_EQ(Calls("PutRolePolicy"), 2);
  StepContext other = Context("i-03", &second);
  ASSERT_TRUE(AddDenyEntry(other, kRunRole, policy, DenyEntry("i-03"), ""));
  EXPECT_EQ(Calls("GetRolePolicy"), 2);  // the other run knows nothing of the first one's puts
  EXPECT_EQ(Denied(), (std::vector<std::string>{"*/i-01", "*/i-02", "*/i-03"}));
  // Outside an executor's run every add reads IAM's document.
  StepContext alone = Context("i-04", nullptr);
  ASSERT_TRUE(AddDenyEntry(alone, kRunRole, policy, DenyEntry("i-04"), ""));
  EXPECT_EQ(Calls("GetRolePolicy"), 3);
}

// IAM's reads may lag behind its writes ("Changes that I make are not always immediately visible",
// IAM User Guide, troubleshooting). Release's removals within one run start from what the run wrote,
// so a stale read cannot put a sibling's entry back (its instance would stay denied after release).
TEST_F(RunDeniesTest, ARunsRemovalsSurviveReadsThatLagBehindItsWrites) {
  const std::string policy = DenyPolicyName("IR-R");
  iam_.policies[policy] = MergeDeny(Json(), {"*/i-21", "*/i-22", "*/i-23"}, "").dump();
  iam_.stale = iam_.policies;  // every read answers the document as it was before the removals
  RunDenies run;
  for (const char* id : {"i-21", "i-22"}) {
    auto r = RemoveDenyEntry(Context(id, &run), kRunRole, policy, DenyEntry(id));
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(*r, "removed");
  }
  EXPECT_EQ(Calls("GetRolePolicy"), 1);
  EXPECT_EQ(Denied(), (std::vector<std::string>{"*/i-23"}));
  auto last = RemoveDenyEntry(Context("i-23", &run), kRunRole, policy, DenyEntry("i-23"));
  ASSERT_TRUE(last) << last.error().message;
  EXPECT_EQ(*last, "removed, policy deleted");
  EXPECT_EQ(iam_.policies.count(policy), 0u);
  // Without a run each removal reads, and the stale read puts i-21 back: the fake's staleness is real.
  iam_.policies = *iam_.stale;
  for (const char* id : {"i-21", "i-22"})
    ASSERT_TRUE(RemoveDenyEntry(Context(id, nullptr), kRunRole, policy, DenyEntry(id)));
  EXPECT_EQ(Denied(), (std::vector<std::string>{"*/i-21", "*/i-23"}));
}

// A step of the plan that adds its instance to the case's deny on the role, as credentials does.
class AddsDenyEntryStep : public Step {
 public:
  std::string_view name() const override { return "deny-entry"; }

 protected:
  Result<Json> Observe(StepContext&) override { return Json::object(); }
  bool IsDone(StepContext&, const Json&) override { return false; }
  Result<Json> DoApply(StepContext& ctx, const Json&) override {
    const std::string& id = ctx.target.instance_id;
    if (auto s = AddDenyEntry(ctx, kRunRole, DenyPolicyName(ctx.options->case_id), DenyEntry(id), ""); !s)
      return MakeError(s.error());
    return Json{{"entry", DenyEntry(id)}};
  }
};

std::vector<Plan> DenyPlans(const std::vector<std::string>& ids) {
  std::vector<Plan> plans;
  for (const std::string& id : ids) {
    Plan p;
    p.target = cloud::ResolvedTarget{id, "us-east-1", "vpc-1", "running", ""};
    PlanStep ps;
    ps.name = "deny-entry";
    ps.step = std::make_unique<AddsDenyEntryStep>();
    p.steps.push_back(std::move(ps));
    plans.push_back(std::move(p));
  }
  return plans;
}

// The executor's run owns what its targets put (Executor::Run): its targets, run side by side, see
// each other's puts (one read of IAM for all of them), and the next run, on the same case and the
// same executor, starts afresh with a read of its own. Nothing is cleared in between.
TEST_F(RunDeniesTest, TheRunsTargetsShareItsDeniesAndTheNextRunHasItsOwn) {
  Executor executor(client_.get(), store_.get(), &options_, nullptr);
  FleetState fleet;  // contain's run has a fleet read; this one holds no target
  executor.set_fleet(&fleet);
  std::vector<Plan> plans = DenyPlans({"i-11", "i-12", "i-13", "i-14"});
  for (const TargetReport& r : executor.Run(plans))
    EXPECT_EQ(r.steps[0].status, StepStatus::kDone) << r.steps[0].error.message;
  EXPECT_EQ(Calls("GetRolePolicy"), 1);
  EXPECT_EQ(Calls("PutRolePolicy"), 4);
  EXPECT_EQ(Denied().size(), 4u);
  plans = DenyPlans({"i-15", "i-16"});
  for (const TargetReport& r : executor.Run(plans))
    EXPECT_EQ(r.steps[0].status, StepStatus::kDone) << r.steps[0].error.message;
  EXPECT_EQ(Calls("GetRolePolicy"), 2);
  EXPECT_EQ(Calls("PutRolePolicy"), 6);
  EXPECT_EQ(Denied(), (std::vector<std::string>{"*/i-11", "*/i-12", "*/i-13", "*/i-14", "*/i-15", "*/i-16"}));
}

}  // namespace
}  // namespace cordon::response

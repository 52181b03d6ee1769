// The credentials step's deny against a FakeTransport holding a role's inline policies in memory:
// release of a case an older version recorded (one policy per instance) deletes that policy; release
// of a merged one takes out only its instance; concurrent adds lose no instance (issue 13).
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "aws/http/fake_transport.h"
#include "base/strings.h"
#include "evidence/test_util.h"
#include "response/role_deny.h"
#include "response/steps/steps.h"
#include "testing/fake_role_policies.h"
#include "testing/static_credentials.h"

namespace cordon::response {
namespace {

constexpr char kCredentialsIid[] = "i-0123456789abcdef0";
constexpr char kRole[] = "web-role";

// IAM's inline policies of one role, as the Query API serves them.
class CredentialsDenyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = evidence::CaseStore::Open(dir_.path() / "IR-A", evidence::CaseInfo{"tester", ""});
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    transport_ =
        std::make_shared<aws::FakeTransport>([this](const aws::HttpRequest& r) { return iam_.Answer(r); });
    aws::ClientOptions o;
    o.region = "us-east-1";
    o.credentials = std::make_shared<test::StaticCredentials>();
    o.transport = transport_;
    o.retry.max_attempts = 1;
    o.rate_limit = aws::RateLimit::Unlimited();
    client_ = std::make_unique<aws::Client>(o);
    options_.case_id = "IR-A";
    options_.responder = "tester";
  }

  StepContext Context(const std::string& instance_id) {
    StepContext ctx;
    ctx.client = client_.get();
    ctx.store = store_.get();
    ctx.target.instance_id = instance_id;
    ctx.target.region = "us-east-1";
    ctx.options = &options_;
    return ctx;
  }

  StepReport Undo(const std::string& instance_id, const Json& done) {
    StepContext ctx = Context(instance_id);
    return MakeCredentialsStep()->RunUndo(ctx, done);
  }

  std::vector<std::string> Entries(const std::string& policy) {
    return DenyEntries(Json::parse(iam_.policies.at(policy)));
  }

  evidence::test::ScratchDir dir_;
  std::unique_ptr<evidence::CaseStore> store_;
  std::shared_ptr<aws::FakeTransport> transport_;
  std::unique_ptr<aws::Client> client_;
  ResponseOptions options_;
  test::FakeRolePolicies iam_;
};

// Undo data as versions before issue 13 recorded it: no "deny_entry", the policy named per instance.
TEST_F(CredentialsDenyTest, ReleasesACaseRecordedWithThePerInstancePolicy) {
  const std::string old = std::string("cordon-deny-IR-A-") + kCredentialsIid;
  iam_.policies[old] = R"({"Version":"2012-10-17","Statement":[]})";
  iam_.policies["app-access"] = R"({"Version":"2012-10-17","Statement":[]})";
  Json done = {{"before",
                {{"association", nullptr},
                 {"profile_arn", nullptr},
                 {"profile_name", nullptr},
                 {"role", kRole},
                 {"deny_policy", old},
                 {"deny_present", false}}},
               {"result", {{"role", kRole}, {"deny_policy", old}}}};
  StepReport r = Undo(kCredentialsIid, done);
  EXPECT_EQ(r.status, StepStatus::kDone) << r.error.message;
  EXPECT_EQ(iam_.policies.count(old), 0u);
  EXPECT_EQ(iam_.policies.count("app-access"), 1u);
  EXPECT_EQ(iam_.actions, (std::vector<std::string>{"DeleteRolePolicy " + old}));
}

TEST_F(CredentialsDenyTest, ReleaseTakesOutOnlyItsInstanceAndDeletesThePolicyWithTheLast) {
  const std::string merged = DenyPolicyName("IR-A");
  iam_.policies[merged] = MergeDeny(Json(), {DenyEntry(kCredentialsIid), DenyEntry("i-0other")}, "").dump();
  auto done = [&](const std::string& iid) {
    return Json{{"before", {{"role", kRole}, {"deny_policy", merged}, {"deny_entry", DenyEntry(iid)}}},
                {"result", {{"role", kRole}, {"deny_policy", merged}, {"deny_entry", DenyEntry(iid)}}}};
  };
  StepReport r = Undo(kCredentialsIid, done(kCredentialsIid));
  EXPECT_EQ(r.status, StepStatus::kDone) << r.error.message;
  EXPECT_EQ(Entries(merged), (std::vector<std::string>{"*/i-0other"}));
  r = Undo("i-0other", done("i-0other"));
  EXPECT_EQ(r.status, StepStatus::kDone) << r.error.message;
  EXPECT_EQ(iam_.policies.count(merged), 0u);
  // An "already done" record (no result) carries the entry in its before.
  iam_.policies[merged] = MergeDeny(Json(), {DenyEntry("i-0third")}, "").dump();
  Json already = {{"before", {{"role", kRole}, {"deny_policy", merged}, {"deny_entry", "*/i-0third"}}},
                  {"already", true}};
  r = Undo("i-0third", already);
  EXPECT_EQ(r.status, StepStatus::kDone) << r.error.message;
  EXPECT_EQ(iam_.policies.count(merged), 0u);
}

// Steps of many targets run at once in one process: each read-modify-write of the merged policy
// must see the one before it, or an instance would drop out of the deny.
TEST_F(CredentialsDenyTest, ConcurrentAddsLoseNoInstance) {
  const std::string merged = DenyPolicyName("IR-A");
  std::vector<std::thread> threads;
  std::vector<Status> results(40, Ok());
  for (int i = 0; i < 40; ++i)
    threads.emplace_back([&, i] {
      StepContext ctx = Context("i-" + std::to_string(1000 + i));
      results[i] = AddDenyEntry(ctx, kRole, merged, DenyEntry(ctx.target.instance_id), "");
    });
  for (std::thread& t : threads) t.join();
  for (const Status& s : results) ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(Entries(merged).size(), 40u);
  // A rerun changes nothing: one read, no put.
  iam_.actions.clear();
  StepContext ctx = Context("i-1000");
  ASSERT_TRUE(AddDenyEntry(ctx, kRole, merged, DenyEntry("i-1000"), ""));
  EXPECT_EQ(iam_.actions, (std::vector<std::string>{"GetRolePolicy " + merged}));
}

}  // namespace
}  // namespace cordon::response

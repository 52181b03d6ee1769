// The credentials step's deny against a FakeTransport holding a role's inline policies in memory:
// release of a case an older version recorded (one policy per instance) deletes that policy; release
// of a merged one takes out only its instance; concurrent adds lose no instance (issue 13).
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "aws/http/fake_transport.h"
#include "base/encoding.h"
#include "base/strings.h"
#include "evidence/test_util.h"
#include "response/role_deny.h"
#include "response/steps/steps.h"
#include "testing/form_params.h"
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
        std::make_shared<aws::FakeTransport>([this](const aws::HttpRequest& r) { return Answer(r); });
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

  static aws::HttpResponse Xml(int status, std::string body) {
    aws::HttpResponse out;
    out.status = status;
    out.body = std::move(body);
    return out;
  }

  Result<aws::HttpResponse> Answer(const aws::HttpRequest& r) {
    std::lock_guard<std::mutex> lock(mu_);  // FakeTransport calls handlers from every sending thread
    auto p = test::FormParams(r.body);
    const std::string action = p["Action"], name = p["PolicyName"];
    actions_.push_back(action + " " + name);
    const std::string meta = "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>";
    if (action == "GetRolePolicy") {
      auto it = policies_.find(name);
      if (it == policies_.end())
        return Xml(404,
                   "<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The role "
                   "policy with name " +
                       name + " cannot be found.</Message></Error><RequestId>r</RequestId></ErrorResponse>");
      return Xml(200, "<GetRolePolicyResponse><GetRolePolicyResult><RoleName>" + p["RoleName"] +
                          "</RoleName><PolicyName>" + name + "</PolicyName><PolicyDocument>" +
                          UriEncode(it->second) + "</PolicyDocument></GetRolePolicyResult>" + meta +
                          "</GetRolePolicyResponse>");
    }
    if (action == "PutRolePolicy") {
      policies_[name] = p["PolicyDocument"];
      return Xml(200, "<PutRolePolicyResponse>" + meta + "</PutRolePolicyResponse>");
    }
    if (action == "DeleteRolePolicy") {
      policies_.erase(name);
      return Xml(200, "<DeleteRolePolicyResponse>" + meta + "</DeleteRolePolicyResponse>");
    }
    return MakeError(ErrorKind::kInternal, "unexpected " + action);
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
    return DenyEntries(Json::parse(policies_.at(policy)));
  }

  evidence::test::ScratchDir dir_;
  std::unique_ptr<evidence::CaseStore> store_;
  std::shared_ptr<aws::FakeTransport> transport_;
  std::unique_ptr<aws::Client> client_;
  ResponseOptions options_;
  std::mutex mu_;
  std::map<std::string, std::string> policies_;  // name -> document; guarded by mu_ while calls run
  std::vector<std::string> actions_;             // guarded by mu_ while calls run
};

// Undo data as versions before issue 13 recorded it: no "deny_entry", the policy named per instance.
TEST_F(CredentialsDenyTest, ReleasesACaseRecordedWithThePerInstancePolicy) {
  const std::string old = std::string("cordon-deny-IR-A-") + kCredentialsIid;
  policies_[old] = R"({"Version":"2012-10-17","Statement":[]})";
  policies_["app-access"] = R"({"Version":"2012-10-17","Statement":[]})";
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
  EXPECT_EQ(policies_.count(old), 0u);
  EXPECT_EQ(policies_.count("app-access"), 1u);
  EXPECT_EQ(actions_, (std::vector<std::string>{"DeleteRolePolicy " + old}));
}

TEST_F(CredentialsDenyTest, ReleaseTakesOutOnlyItsInstanceAndDeletesThePolicyWithTheLast) {
  const std::string merged = DenyPolicyName("IR-A");
  policies_[merged] = MergeDeny(Json(), {DenyEntry(kCredentialsIid), DenyEntry("i-0other")}, "").dump();
  auto done = [&](const std::string& iid) {
    return Json{{"before", {{"role", kRole}, {"deny_policy", merged}, {"deny_entry", DenyEntry(iid)}}},
                {"result", {{"role", kRole}, {"deny_policy", merged}, {"deny_entry", DenyEntry(iid)}}}};
  };
  StepReport r = Undo(kCredentialsIid, done(kCredentialsIid));
  EXPECT_EQ(r.status, StepStatus::kDone) << r.error.message;
  EXPECT_EQ(Entries(merged), (std::vector<std::string>{"*/i-0other"}));
  r = Undo("i-0other", done("i-0other"));
  EXPECT_EQ(r.status, StepStatus::kDone) << r.error.message;
  EXPECT_EQ(policies_.count(merged), 0u);
  // An "already done" record (no result) carries the entry in its before.
  policies_[merged] = MergeDeny(Json(), {DenyEntry("i-0third")}, "").dump();
  Json already = {{"before", {{"role", kRole}, {"deny_policy", merged}, {"deny_entry", "*/i-0third"}}},
                  {"already", true}};
  r = Undo("i-0third", already);
  EXPECT_EQ(r.status, StepStatus::kDone) << r.error.message;
  EXPECT_EQ(policies_.count(merged), 0u);
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
  actions_.clear();
  StepContext ctx = Context("i-1000");
  ASSERT_TRUE(AddDenyEntry(ctx, kRole, merged, DenyEntry("i-1000"), ""));
  EXPECT_EQ(actions_, (std::vector<std::string>{"GetRolePolicy " + merged}));
}

}  // namespace
}  // namespace cordon::response

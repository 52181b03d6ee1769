// The release driver against a FakeTransport: an instance another case took over (its cordon:case
// tag names that case) is refused even with --force, and nothing is changed on it.
#include "response/release.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "aws/http/fake_transport.h"
#include "evidence/test_util.h"
#include "testing/static_credentials.h"

namespace cordon::response {
namespace {

constexpr char kReleasedIid[] = "i-0123456789abcdef0";

// Case IR-A contained kReleasedIid (only its tag step is journaled done); EC2 shows the instance running on
// one ENI with cordon:case = holder_.
class ReleaseHeldTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = evidence::CaseStore::Open(dir_.path() / "IR-A", evidence::CaseInfo{"tester", ""});
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    ASSERT_TRUE(store_->pre_state().RecordPreState(kReleasedIid, Json{{"region", "us-east-1"}}));
    Json tags = Json::array({Json{{"Key", "cordon:case"}, {"Value", "IR-A"}}});
    ASSERT_TRUE(
        store_->journal().Append(evidence::kind::kStepDone, kReleasedIid, "tag",
                                 Json{{"before", {{"tags", Json::object()}}}, {"result", {{"tags", tags}}}}));
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

  Result<aws::HttpResponse> Answer(const aws::HttpRequest& r) {
    size_t a = r.body.find("Action=");
    std::string action = r.body.substr(a + 7, r.body.find('&', a) - a - 7);
    const std::string ns = R"( xmlns="http://ec2.amazonaws.com/doc/2016-11-15/")";
    aws::HttpResponse out;
    out.status = 200;
    if (action == "DescribeInstances") {
      out.body = "<DescribeInstancesResponse" + ns +
                 "><requestId>r</requestId><reservationSet><item><reservationId>r-1</reservationId>"
                 "<instancesSet><item><instanceId>" +
                 kReleasedIid +
                 "</instanceId><instanceState><code>16</code><name>running</name></instanceState>"
                 "<tagSet><item><key>cordon:case</key><value>" +
                 holder_ + "</value></item></tagSet></item></instancesSet></item></reservationSet>" +
                 "</DescribeInstancesResponse>";
    } else if (action == "DescribeNetworkInterfaces") {
      out.body = "<DescribeNetworkInterfacesResponse" + ns +
                 "><requestId>r</requestId><networkInterfaceSet><item><networkInterfaceId>eni-1"
                 "</networkInterfaceId><attachment><deviceIndex>0</deviceIndex></attachment></item>"
                 "</networkInterfaceSet></DescribeNetworkInterfacesResponse>";
    } else if (action == "CreateTags") {
      ++create_tags_;
      out.body =
          "<CreateTagsResponse" + ns + "><requestId>r</requestId><return>true</return></CreateTagsResponse>";
    } else if (action == "DeleteTags") {  // the release of the tag step drops the case's claim tag
      out.body =
          "<DeleteTagsResponse" + ns + "><requestId>r</requestId><return>true</return></DeleteTagsResponse>";
    } else {
      return MakeError(ErrorKind::kInternal, "unexpected " + action);
    }
    return out;
  }

  Result<ReleaseOutcome> Release(bool force) {
    options_.force = force;
    return ReleaseCase(client_.get(), store_.get(), options_, {}, nullptr);
  }

  evidence::test::ScratchDir dir_;
  std::unique_ptr<evidence::CaseStore> store_;
  std::shared_ptr<aws::FakeTransport> transport_;
  std::unique_ptr<aws::Client> client_;
  ResponseOptions options_;
  std::string holder_ = "IR-B";
  int create_tags_ = 0;
};

TEST_F(ReleaseHeldTest, AnotherCaseHoldsTheInstanceEvenWithForce) {
  for (bool force : {false, true}) {
    auto outcome = Release(force);
    ASSERT_TRUE(outcome) << outcome.error().message;
    ASSERT_EQ(outcome->refusals.size(), 1u) << force;
    EXPECT_EQ(outcome->refusals[0], std::string(kReleasedIid) + " tag: instance " + kReleasedIid +
                                        " is now held by case IR-B; release it from that case");
    EXPECT_EQ(outcome->held, outcome->refusals);
    EXPECT_TRUE(outcome->skipped.empty());
    ASSERT_EQ(outcome->reports.size(), 1u);
    EXPECT_TRUE(outcome->reports[0].failed());
    EXPECT_EQ(create_tags_, 0) << "refused, yet changed the tags (force=" << force << ")";
    auto last = store_->journal().LastOutcome(kReleasedIid, "release:tag");
    ASSERT_TRUE(last);
    EXPECT_EQ(last->state, evidence::StepState::kNone);
  }
  // Both refusals are journaled, naming the holder.
  auto records = store_->journal().Records();
  ASSERT_TRUE(records);
  int held_notes = 0;
  for (const auto& r : *records)
    if (Json p = r.PayloadJson(); r.kind == "note" && r.step == "release" && p.contains("held")) {
      ++held_notes;
      EXPECT_NE(p["held"][0].get<std::string>().find("IR-B"), std::string::npos);
    }
  EXPECT_EQ(held_notes, 2);
}

TEST_F(ReleaseHeldTest, ItsOwnCaseTagIsNoDrift) {
  holder_ = "IR-A";
  auto outcome = Release(false);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->refusals.empty());
  EXPECT_TRUE(outcome->held.empty());
  EXPECT_FALSE(outcome->reports[0].failed());
  EXPECT_EQ(create_tags_, 1);
}

}  // namespace
}  // namespace cordon::response

// The client paces its calls (retry/pacing.h) and slows a bucket down when the service throttles it,
// against a FakeTransport and a FakeClock: the time the fake clock was made to sleep is the pacing.
#include <gtest/gtest.h>

#include "aws/client.h"
#include "aws/http/fake_transport.h"
#include "testing/static_credentials.h"

namespace cordon::aws {
namespace {

using std::chrono::milliseconds;

constexpr const char* kThrottledAnswer =
    "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message>"
    "</Error></Errors><RequestID>x</RequestID></Response>";
constexpr const char* kModifiedAnswer =
    "<ModifyInstanceAttributeResponse><return>true</return></ModifyInstanceAttributeResponse>";

class ClientPacingTest : public ::testing::Test {
 protected:
  ClientPacingTest() : clock_(*ParseTimestamp("2026-12-07T12:00:00Z")) {
    transport_ = std::make_shared<FakeTransport>();
    options_.region = "us-east-1";
    options_.credentials = std::make_shared<test::StaticCredentials>();
    options_.transport = transport_;
    options_.clock = &clock_;
    options_.retry.max_attempts = 1;  // no retry backoff in the fake time: only the pacing sleeps
  }

  // One ModifyInstanceAttribute (EC2's mutating bucket: 5 a second, 50 at once) answered `body`.
  bool Modify(Client& client, int status, const char* body) {
    transport_->Enqueue(status, body);
    return client
        .Call("ec2", "ModifyInstanceAttribute",
              {{"InstanceId", "i-1"}, {"DisableApiTermination", {{"Value", true}}}})
        .has_value();
  }

  FakeClock clock_;
  std::shared_ptr<FakeTransport> transport_;
  ClientOptions options_;
};

TEST_F(ClientPacingTest, Ec2CallsArePacedPerActionByTheDocumentedBuckets) {
  Client client(options_);
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(Modify(client, 200, kModifiedAnswer)) << i;
  EXPECT_EQ(clock_.slept(), milliseconds(0));  // the bucket holds 50
  ASSERT_TRUE(Modify(client, 200, kModifiedAnswer));
  EXPECT_EQ(clock_.slept(), milliseconds(200));  // then 5 a second
  // Another action has its own bucket (CreateTags: 100 at once).
  for (int i = 0; i < 100; ++i) {
    transport_->Enqueue(200, "<CreateTagsResponse><return>true</return></CreateTagsResponse>");
    ASSERT_TRUE(client.Call("ec2", "CreateTags",
                            {{"Resources", {"i-1"}}, {"Tags", {{{"Key", "k"}, {"Value", "v"}}}}}));
  }
  EXPECT_EQ(clock_.slept(), milliseconds(200));
}

TEST_F(ClientPacingTest, AThrottledAnswerSlowsThatBucketDown) {
  Client client(options_);
  ASSERT_FALSE(Modify(client, 503, kThrottledAnswer));
  // Cut from 5 to 3.5 a second, with bursts of a second's worth (3.5) instead of 50: four more calls
  // wait about 1.2 intervals of 1 / 3.5 s (343 ms), where the bucket of 50 would let them all go.
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(Modify(client, 200, kModifiedAnswer));
  EXPECT_GE(clock_.slept(), milliseconds(300));
  EXPECT_LT(clock_.slept(), milliseconds(400));
  // Unthrottled, five calls go at once from the bucket of 50.
  Client fresh(options_);
  const auto before = clock_.slept();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Modify(fresh, 200, kModifiedAnswer));
  EXPECT_EQ(clock_.slept(), before);
}

TEST_F(ClientPacingTest, MaxRateSpacesEveryCallOfTheServiceEvenly) {
  options_.max_rate = 4;
  Client client(options_);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Modify(client, 200, kModifiedAnswer));
  transport_->Enqueue(200, "<CreateTagsResponse><return>true</return></CreateTagsResponse>");
  ASSERT_TRUE(
      client.Call("ec2", "CreateTags", {{"Resources", {"i-1"}}, {"Tags", {{{"Key", "k"}, {"Value", "v"}}}}}));
  EXPECT_EQ(clock_.slept(), milliseconds(1250));  // six calls, one bucket, 250 ms apart
}

}  // namespace
}  // namespace cordon::aws

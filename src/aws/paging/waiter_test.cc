#include "aws/paging/waiter.h"

#include <gtest/gtest.h>

#include <deque>

#include "aws/jmespath/botocore_test_files.h"

namespace cordon::aws {
namespace {

using std::chrono::seconds;

// The config of botocore's waiter `name` for `service`, read from the installed botocore.
Json BotocoreWaiter(const std::string& service, const std::string& name) {
  Json waiters = testing::LoadWaiters(service);
  return waiters.contains(name) ? waiters[name] : Json();
}

Result<Json> ServiceError(const std::string& code, const std::string& message, int http_status) {
  return MakeError(Error{ErrorKind::kService, message, code, http_status, "req-1"});
}

struct Outcome {
  const char* output;  // JSON, or nullptr for an error
  const char* code;
  const char* message;
};

struct AcceptorCase {
  const char* service;
  const char* waiter;
  Outcome outcome;
  int http_status;
  WaiterState state;
  const char* explanation;
};

// Expected states and explanations were produced at authoring time by botocore 1.43.11: the loop
// body of botocore.waiter.Waiter.wait (first acceptor whose matcher_func matches, else failure for an
// error response, else retry) run on these outputs, with ResponseMetadata.HTTPStatusCode added.
const AcceptorCase kAcceptorCases[] = {
    {"ec2",
     "InstanceRunning",
     {R"js({"Reservations": [{"Instances": [{"InstanceId": "i-0", "State": {"Name": "running"}}, {"InstanceId": "i-1", "State": {"Name": "running"}}]}]})js",
      nullptr, nullptr},
     200,
     WaiterState::kSuccess,
     R"x(For expression "Reservations[].Instances[].State.Name" all members matched expected path: "running")x"},
    {"ec2",
     "InstanceRunning",
     {R"js({"Reservations": [{"Instances": [{"InstanceId": "i-0", "State": {"Name": "running"}}, {"InstanceId": "i-1", "State": {"Name": "pending"}}]}]})js",
      nullptr, nullptr},
     200,
     WaiterState::kRetry,
     R"x()x"},
    {"ec2",
     "InstanceRunning",
     {R"js({"Reservations": [{"Instances": [{"InstanceId": "i-0", "State": {"Name": "pending"}}, {"InstanceId": "i-1", "State": {"Name": "terminated"}}]}]})js",
      nullptr, nullptr},
     200,
     WaiterState::kFailure,
     R"x(For expression "Reservations[].Instances[].State.Name" we matched expected path: "terminated" at least once)x"},
    {"ec2",
     "InstanceRunning",
     {R"js({"Reservations": [{"Instances": [{"InstanceId": "i-0", "State": {"Name": "stopping"}}]}]})js",
      nullptr, nullptr},
     200,
     WaiterState::kFailure,
     R"x(For expression "Reservations[].Instances[].State.Name" we matched expected path: "stopping" at least once)x"},
    {"ec2",
     "InstanceRunning",
     {R"js({"Reservations": []})js", nullptr, nullptr},
     200,
     WaiterState::kRetry,
     R"x()x"},
    {"ec2", "InstanceRunning", {R"js({})js", nullptr, nullptr}, 200, WaiterState::kRetry, R"x()x"},
    {"ec2",
     "InstanceRunning",
     {R"js({"Reservations": [{"Instances": [{"State": {"Name": "running"}}]}, {"Instances": [{"State": {"Name": "shutting-down"}}]}]})js",
      nullptr, nullptr},
     200,
     WaiterState::kFailure,
     R"x(For expression "Reservations[].Instances[].State.Name" we matched expected path: "shutting-down" at least once)x"},
    {"ec2",
     "InstanceRunning",
     {nullptr, "InvalidInstanceID.NotFound", "The instance ID 'i-1' does not exist"},
     400,
     WaiterState::kRetry,
     R"x(Matched expected service error code: InvalidInstanceID.NotFound)x"},
    {"ec2",
     "InstanceRunning",
     {nullptr, "UnauthorizedOperation", "You are not authorized"},
     403,
     WaiterState::kFailure,
     R"x(An error occurred (UnauthorizedOperation): You are not authorized)x"},
    {"ec2",
     "InstanceTerminated",
     {R"js({"Reservations": [{"Instances": [{"InstanceId": "i-0", "State": {"Name": "terminated"}}]}]})js",
      nullptr, nullptr},
     200,
     WaiterState::kSuccess,
     R"x(For expression "Reservations[].Instances[].State.Name" all members matched expected path: "terminated")x"},
    {"ec2",
     "InstanceTerminated",
     {R"js({"Reservations": [{"Instances": [{"InstanceId": "i-0", "State": {"Name": "terminated"}}, {"InstanceId": "i-1", "State": {"Name": "shutting-down"}}]}]})js",
      nullptr, nullptr},
     200,
     WaiterState::kRetry,
     R"x()x"},
    {"ec2",
     "InstanceTerminated",
     {R"js({"Reservations": [{"Instances": [{"InstanceId": "i-0", "State": {"Name": "terminated"}}, {"InstanceId": "i-1", "State": {"Name": "pending"}}]}]})js",
      nullptr, nullptr},
     200,
     WaiterState::kFailure,
     R"x(For expression "Reservations[].Instances[].State.Name" we matched expected path: "pending" at least once)x"},
    {"ec2",
     "InstanceTerminated",
     {R"js({"Reservations": [{"Instances": [{"InstanceId": "i-0", "State": {"Name": "stopping"}}]}]})js",
      nullptr, nullptr},
     200,
     WaiterState::kFailure,
     R"x(For expression "Reservations[].Instances[].State.Name" we matched expected path: "stopping" at least once)x"},
    {"ec2",
     "InstanceTerminated",
     {nullptr, "InvalidInstanceID.NotFound", "gone"},
     400,
     WaiterState::kFailure,
     R"x(An error occurred (InvalidInstanceID.NotFound): gone)x"},
    {"ec2",
     "SnapshotCompleted",
     {R"js({"Snapshots": [{"SnapshotId": "snap-1", "State": "completed"}, {"SnapshotId": "snap-2", "State": "completed"}]})js",
      nullptr, nullptr},
     200,
     WaiterState::kSuccess,
     R"x(For expression "Snapshots[].State" all members matched expected path: "completed")x"},
    {"ec2",
     "SnapshotCompleted",
     {R"js({"Snapshots": [{"State": "completed"}, {"State": "pending"}]})js", nullptr, nullptr},
     200,
     WaiterState::kRetry,
     R"x()x"},
    {"ec2",
     "SnapshotCompleted",
     {R"js({"Snapshots": [{"State": "pending"}, {"State": "error"}]})js", nullptr, nullptr},
     200,
     WaiterState::kFailure,
     R"x(For expression "Snapshots[].State" we matched expected path: "error" at least once)x"},
    {"ec2",
     "SnapshotCompleted",
     {R"js({"Snapshots": []})js", nullptr, nullptr},
     200,
     WaiterState::kRetry,
     R"x()x"},
    {"ec2",
     "SnapshotCompleted",
     {R"js({"Snapshots": [{"SnapshotId": "snap-1"}]})js", nullptr, nullptr},
     200,
     WaiterState::kRetry,
     R"x()x"},
    {"ec2",
     "SnapshotCompleted",
     {nullptr, "InvalidSnapshot.NotFound", "no such snapshot"},
     400,
     WaiterState::kFailure,
     R"x(An error occurred (InvalidSnapshot.NotFound): no such snapshot)x"},
    {"ec2",
     "InstanceExists",
     {R"js({"Reservations": [{"Instances": []}]})js", nullptr, nullptr},
     200,
     WaiterState::kSuccess,
     R"x(For expression "length(Reservations[]) > `0`" we matched expected path: "True")x"},
    {"ec2",
     "InstanceExists",
     {R"js({"Reservations": []})js", nullptr, nullptr},
     200,
     WaiterState::kRetry,
     R"x()x"},
    {"ec2",
     "InstanceExists",
     {nullptr, "InvalidInstanceID.NotFound", "not yet"},
     400,
     WaiterState::kRetry,
     R"x(Matched expected service error code: InvalidInstanceID.NotFound)x"},
    {"ec2",
     "PasswordDataAvailable",
     {R"js({"PasswordData": ""})js", nullptr, nullptr},
     200,
     WaiterState::kRetry,
     R"x()x"},
    {"ec2",
     "PasswordDataAvailable",
     {R"js({"PasswordData": "abc"})js", nullptr, nullptr},
     200,
     WaiterState::kSuccess,
     R"x(For expression "length(PasswordData) > `0`" we matched expected path: "True")x"},
    {"s3",
     "BucketExists",
     {R"js({})js", nullptr, nullptr},
     200,
     WaiterState::kSuccess,
     R"x(Matched expected HTTP status code: 200)x"},
    {"s3",
     "BucketExists",
     {nullptr, "403", "Forbidden"},
     403,
     WaiterState::kSuccess,
     R"x(Matched expected HTTP status code: 403)x"},
    {"s3",
     "BucketExists",
     {nullptr, "404", "Not Found"},
     404,
     WaiterState::kRetry,
     R"x(Matched expected HTTP status code: 404)x"},
    {"s3",
     "BucketExists",
     {nullptr, "500", "Internal"},
     500,
     WaiterState::kFailure,
     R"x(An error occurred (500): Internal)x"},
    {"s3",
     "ObjectNotExists",
     {nullptr, "404", "Not Found"},
     404,
     WaiterState::kSuccess,
     R"x(Matched expected HTTP status code: 404)x"},
    {"s3", "ObjectNotExists", {R"js({})js", nullptr, nullptr}, 200, WaiterState::kRetry, R"x()x"},
};

TEST(WaiterTest, AcceptorsMatchLikeBotocore) {
  ASSERT_FALSE(testing::BotocoreDataDir().empty());
  for (const AcceptorCase& c : kAcceptorCases) {
    Json waiter = BotocoreWaiter(c.service, c.waiter);
    ASSERT_FALSE(waiter.is_null()) << c.service << " " << c.waiter;
    Result<Json> outcome = c.outcome.output != nullptr
                               ? Result<Json>(Json::parse(c.outcome.output))
                               : ServiceError(c.outcome.code, c.outcome.message, c.http_status);
    SCOPED_TRACE(std::string(c.waiter) + " on " + (outcome ? outcome->dump() : std::string(c.outcome.code)));
    std::string explanation;
    EXPECT_EQ(WaiterStateName(MatchAcceptors(waiter, outcome, c.http_status, &explanation)),
              WaiterStateName(c.state));
    EXPECT_EQ(explanation, c.explanation);
  }
}

TEST(WaiterTest, ErrorStatusComesFromTheErrorWhenNotGiven) {
  Json waiter = BotocoreWaiter("s3", "ObjectNotExists");
  EXPECT_EQ(MatchAcceptors(waiter, ServiceError("404", "Not Found", 404), 0), WaiterState::kSuccess);
  EXPECT_EQ(MatchAcceptors(waiter, Json::object(), 0), WaiterState::kRetry);
}

TEST(WaiterTest, ErrorMatcherTrueMeansAnyErrorAndFalseMeansSuccess) {
  Json waiter = Json::parse(R"({"delay": 1, "maxAttempts": 2, "acceptors": [
      {"matcher": "error", "expected": true, "state": "success"},
      {"matcher": "error", "expected": false, "state": "failure"}]})");
  EXPECT_EQ(MatchAcceptors(waiter, ServiceError("Anything", "x", 400), 400), WaiterState::kSuccess);
  EXPECT_EQ(MatchAcceptors(waiter, Json::object(), 200), WaiterState::kFailure);
}

TEST(WaiterTest, PathMatchersNeverMatchAnError) {
  Json waiter = Json::parse(R"({"delay": 1, "maxAttempts": 2, "acceptors": [
      {"matcher": "path", "argument": "Code", "expected": null, "state": "success"}]})");
  std::string explanation;
  EXPECT_EQ(MatchAcceptors(waiter, ServiceError("X", "boom", 400), 400, &explanation), WaiterState::kFailure);
  EXPECT_EQ(explanation, "An error occurred (X): boom");
  EXPECT_EQ(MatchAcceptors(waiter, Json::object(), 200), WaiterState::kSuccess);
}

TEST(WaiterTest, ExpectedValuesCompareAsPythonDoes) {
  // botocore compares with Python's ==, so 1 == 1.0 and True == 1.
  Json waiter = Json::parse(R"({"delay": 1, "maxAttempts": 2, "acceptors": [
      {"matcher": "path", "argument": "n", "expected": 1, "state": "success"}]})");
  EXPECT_EQ(MatchAcceptors(waiter, Json::parse(R"({"n": 1.0})"), 200), WaiterState::kSuccess);
  EXPECT_EQ(MatchAcceptors(waiter, Json::parse(R"({"n": true})"), 200), WaiterState::kSuccess);
  EXPECT_EQ(MatchAcceptors(waiter, Json::parse(R"({"n": "1"})"), 200), WaiterState::kRetry);
}

TEST(WaiterTest, ArgumentTypeErrorIsAFailure) {
  Json waiter = BotocoreWaiter("ec2", "PasswordDataAvailable");
  std::string explanation;
  // length(null) is a JMESPath type error; botocore raises out of wait().
  EXPECT_EQ(MatchAcceptors(waiter, Json::object(), 200, &explanation), WaiterState::kFailure);
  EXPECT_NE(explanation.find("length() expects"), std::string::npos) << explanation;
}

TEST(WaiterTest, InvalidConfigsAreRejected) {
  EXPECT_FALSE(ValidateWaiter(Json::parse(R"({"delay": 1, "acceptors": []})")).has_value());
  EXPECT_FALSE(ValidateWaiter(Json::parse(R"({"delay": 1, "maxAttempts": 1, "acceptors": [
      {"matcher": "pathSome", "argument": "a", "expected": 1, "state": "success"}]})"))
                   .has_value());
  EXPECT_FALSE(ValidateWaiter(Json::parse(R"({"delay": 1, "maxAttempts": 1, "acceptors": [
      {"matcher": "path", "argument": "a[", "expected": 1, "state": "success"}]})"))
                   .has_value());
  EXPECT_FALSE(ValidateWaiter(Json::parse(R"({"delay": 1, "maxAttempts": 1, "acceptors": [
      {"matcher": "status", "expected": 200, "state": "done"}]})"))
                   .has_value());
  EXPECT_TRUE(ValidateWaiter(BotocoreWaiter("ec2", "InstanceRunning")).has_value());
}

// An operation that returns canned outcomes in turn, then the last one for ever.
class Script {
 public:
  explicit Script(std::deque<Result<Json>> outcomes) : outcomes_(std::move(outcomes)) {}
  Result<Json> operator()() {
    ++calls_;
    Result<Json> next = outcomes_.front();
    if (outcomes_.size() > 1) outcomes_.pop_front();
    return next;
  }
  int calls() const { return calls_; }

 private:
  std::deque<Result<Json>> outcomes_;
  int calls_ = 0;
};

Json Instances(const std::string& state) {
  return Json::parse(R"({"Reservations": [{"Instances": [{"InstanceId": "i-1", "State": {"Name": ")" + state +
                     R"("}}]}]})");
}

TEST(WaiterTest, WaitSleepsTheDelayBetweenAttemptsUntilSuccess) {
  FakeClock clock(TimePoint{});
  Waiter waiter("InstanceRunning", BotocoreWaiter("ec2", "InstanceRunning"), &clock);
  Script script({ServiceError("InvalidInstanceID.NotFound", "not yet", 400), Instances("pending"),
                 Instances("running")});
  ASSERT_TRUE(waiter.Wait(std::ref(script)).has_value());
  EXPECT_EQ(script.calls(), 3);
  EXPECT_EQ(waiter.attempts(), 3);
  EXPECT_EQ(clock.slept(), seconds(30));  // 15 s after each of the first two attempts, none after the last
}

TEST(WaiterTest, WaitTimesOutAfterMaxAttempts) {
  FakeClock clock(TimePoint{});
  Waiter waiter("InstanceRunning", BotocoreWaiter("ec2", "InstanceRunning"), &clock);
  Script script({Instances("pending")});
  Status status = waiter.Wait(std::ref(script));
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().kind, ErrorKind::kTransient);
  EXPECT_EQ(status.error().message, "waiter InstanceRunning failed: timed out after 40 attempts");
  EXPECT_EQ(script.calls(), 40);
  EXPECT_EQ(clock.slept(), seconds(39 * 15));
}

TEST(WaiterTest, TimeoutNamesTheLastMatchedAcceptor) {
  FakeClock clock(TimePoint{});
  Waiter waiter("InstanceRunning", BotocoreWaiter("ec2", "InstanceRunning"), &clock);
  waiter.set_max_attempts(2);
  waiter.set_delay(seconds(1));
  Script script({ServiceError("InvalidInstanceID.NotFound", "not yet", 400)});
  Status status = waiter.Wait(std::ref(script));
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().message,
            "waiter InstanceRunning failed: timed out after 2 attempts (last matched: Matched expected "
            "service error "
            "code: InvalidInstanceID.NotFound)");
  EXPECT_EQ(clock.slept(), seconds(1));
}

TEST(WaiterTest, FailureAcceptorStopsAtOnce) {
  FakeClock clock(TimePoint{});
  Waiter waiter("InstanceRunning", BotocoreWaiter("ec2", "InstanceRunning"), &clock);
  Script script({Instances("pending"), Instances("terminated"), Instances("running")});
  Status status = waiter.Wait(std::ref(script));
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(
      status.error().message,
      "waiter InstanceRunning failed: terminal failure state: For expression "
      "\"Reservations[].Instances[].State.Name\" we matched expected path: \"terminated\" at least once");
  EXPECT_EQ(script.calls(), 2);
}

TEST(WaiterTest, UnmatchedServiceErrorKeepsItsCode) {
  FakeClock clock(TimePoint{});
  Waiter waiter("InstanceRunning", BotocoreWaiter("ec2", "InstanceRunning"), &clock);
  Script script(
      {MakeError(Error{ErrorKind::kAccessDenied, "not allowed", "UnauthorizedOperation", 403, "r"})});
  Status status = waiter.Wait(std::ref(script));
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().kind, ErrorKind::kAccessDenied);
  EXPECT_EQ(status.error().code, "UnauthorizedOperation");
  EXPECT_EQ(status.error().message, "waiter InstanceRunning failed: not allowed");
  EXPECT_EQ(script.calls(), 1);
}

TEST(WaiterTest, ErrorNotFromTheServiceIsReturnedAsIs) {
  FakeClock clock(TimePoint{});
  // SnapshotCompleted has no error acceptor; InstanceExists would retry on a matching code, but a
  // network failure has none and must not be retried here (the retry layer already did).
  Waiter waiter("InstanceExists", BotocoreWaiter("ec2", "InstanceExists"), &clock);
  Script script({MakeError(ErrorKind::kNetwork, "connection refused")});
  Status status = waiter.Wait(std::ref(script));
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().kind, ErrorKind::kNetwork);
  EXPECT_EQ(status.error().message, "waiter InstanceExists failed: connection refused");
  EXPECT_EQ(clock.slept(), seconds(0));
}

TEST(WaiterTest, StatusMatchersUseTheGivenStatus) {
  FakeClock clock(TimePoint{});
  Waiter waiter("BucketExists", BotocoreWaiter("s3", "BucketExists"), &clock);
  int calls = 0;
  Status status = waiter.WaitWithStatus([&calls]() -> WaiterAttempt {
    ++calls;
    if (calls == 1) return {ServiceError("NotFound", "", 404), 404};
    return {Json::object(), 200};
  });
  EXPECT_TRUE(status.has_value());
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(clock.slept(), seconds(5));
}

TEST(WaiterTest, InvalidConfigFailsBeforeAnyAttempt) {
  FakeClock clock(TimePoint{});
  Waiter waiter("Broken", Json::parse(R"({"delay": 1, "maxAttempts": 0, "acceptors": []})"), &clock);
  int calls = 0;
  Status status = waiter.Wait([&calls]() -> Result<Json> {
    ++calls;
    return Json::object();
  });
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(status.error().message.rfind("waiter Broken failed: ", 0), 0u) << status.error().message;
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace cordon::aws

// The client and the five protocols against a FakeTransport: what goes on the wire for nested
// shapes, timestamps and blobs, how responses and errors come back, and retries.
#include "aws/client.h"

#include <gtest/gtest.h>

#include "aws/http/fake_transport.h"
#include "base/encoding.h"
#include "testing/static_credentials.h"

namespace cordon::aws {
namespace {

class ClientTest : public ::testing::Test {
 protected:
  ClientTest() : clock_(*ParseTimestamp("2026-11-27T12:00:00Z")) {
    transport_ = std::make_shared<FakeTransport>();
    ClientOptions options;
    options.region = "us-east-1";
    options.credentials = std::make_shared<test::StaticCredentials>();
    options.transport = transport_;
    options.clock = &clock_;
    options.retry.seed = 7;
    options.rate_limit = RateLimit::Unlimited();
    client_ = std::make_unique<Client>(options);
    client_->SetAuditHook([this](const AuditRecord& r) { audits_.push_back(r); });
  }

  std::string Header(const HttpRequest& r, const std::string& name) {
    const std::string* v = r.headers.Find(name);
    return v ? *v : "";
  }

  FakeClock clock_;
  std::shared_ptr<FakeTransport> transport_;
  std::unique_ptr<Client> client_;
  std::vector<AuditRecord> audits_;
};

TEST_F(ClientTest, Ec2FlattensNestedListsAndParsesItemSets) {
  transport_->Enqueue(200, R"(<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
    <requestId>req-1</requestId>
    <reservationSet><item><reservationId>r-1</reservationId>
      <instancesSet><item><instanceId>i-1</instanceId><launchTime>2026-11-27T10:00:00.000Z</launchTime>
        <instanceState><code>16</code><name>running</name></instanceState>
        <tagSet><item><key>Name</key><value>web</value></item></tagSet>
        <ebsOptimized>false</ebsOptimized></item></instancesSet>
      <groupSet/></item></reservationSet></DescribeInstancesResponse>)");
  auto out =
      client_->Call("ec2", "DescribeInstances",
                    {{"Filters", {{{"Name", "tag:Name"}, {"Values", {"web", "db"}}}}}, {"MaxResults", 5}});
  ASSERT_TRUE(out) << out.error().ToString();
  HttpRequest sent = transport_->last_request();
  EXPECT_EQ(sent.url, "https://ec2.us-east-1.amazonaws.com/");
  EXPECT_EQ(sent.body,
            "Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=tag%3AName&Filter.1.Value.1=web&"
            "Filter.1.Value.2=db&MaxResults=5");
  EXPECT_NE(Header(sent, "Authorization").find("Credential=AKIDEXAMPLE/20261127/us-east-1/ec2/aws4_request"),
            std::string::npos);
  const Json& inst = (*out)["Reservations"][0]["Instances"][0];
  EXPECT_EQ(inst["InstanceId"], "i-1");
  EXPECT_EQ(inst["State"]["Code"], 16);
  EXPECT_EQ(inst["LaunchTime"], "2026-11-27T10:00:00+00:00");
  EXPECT_EQ(inst["Tags"][0]["Value"], "web");
  EXPECT_EQ(inst["EbsOptimized"], false);
  EXPECT_EQ((*out)["Reservations"][0]["Groups"], Json::array());
  ASSERT_EQ(audits_.size(), 1u);
  EXPECT_EQ(audits_[0].outcome, "ok");
}

TEST_F(ClientTest, QueryWrapsListsAndDecodesIamPolicyDocuments) {
  transport_->Enqueue(200, R"(<GetRolePolicyResponse><GetRolePolicyResult><RoleName>r</RoleName>
    <PolicyName>p</PolicyName><PolicyDocument>%7B%22Version%22%3A%222012-10-17%22%7D</PolicyDocument>
    </GetRolePolicyResult><ResponseMetadata><RequestId>abc</RequestId></ResponseMetadata></GetRolePolicyResponse>)");
  auto out = client_->Call("iam", "GetRolePolicy", {{"RoleName", "r"}, {"PolicyName", "p"}});
  ASSERT_TRUE(out) << out.error().ToString();
  EXPECT_EQ(transport_->last_request().url, "https://iam.amazonaws.com/");
  EXPECT_EQ((*out)["PolicyDocument"], Json({{"Version", "2012-10-17"}}));

  transport_->Enqueue(200,
                      "<DetachInstancesResponse><DetachInstancesResult><Activities/></DetachInstancesResult>"
                      "</DetachInstancesResponse>");
  out = client_->Call("autoscaling", "DetachInstances",
                      {{"AutoScalingGroupName", "g"},
                       {"InstanceIds", {"i-1", "i-2"}},
                       {"ShouldDecrementDesiredCapacity", false}});
  ASSERT_TRUE(out) << out.error().ToString();
  EXPECT_EQ(transport_->last_request().body,
            "Action=DetachInstances&Version=2011-01-01&AutoScalingGroupName=g&InstanceIds.member.1=i-1&"
            "InstanceIds.member.2=i-2&ShouldDecrementDesiredCapacity=false");
  EXPECT_EQ((*out)["Activities"], Json::array());
}

TEST_F(ClientTest, JsonProtocolSendsEpochTimestampsAndTarget) {
  transport_->Enqueue(200,
                      R"({"Events":[{"EventId":"e1","EventTime":1764237600.5,"CloudTrailEvent":"{}"}]})");
  auto out =
      client_->Call("cloudtrail", "LookupEvents",
                    {{"StartTime", "2026-11-27T10:00:00Z"},
                     {"LookupAttributes", {{{"AttributeKey", "ResourceName"}, {"AttributeValue", "i-1"}}}}});
  ASSERT_TRUE(out) << out.error().ToString();
  HttpRequest sent = transport_->last_request();
  EXPECT_EQ(Header(sent, "X-Amz-Target"),
            "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents");
  EXPECT_EQ(Header(sent, "Content-Type"), "application/x-amz-json-1.1");
  Json body = Json::parse(sent.body);
  EXPECT_EQ(body["StartTime"], 1795773600);
  EXPECT_EQ((*out)["Events"][0]["EventTime"], "2025-11-27T10:00:00.500000+00:00");
}

TEST_F(ClientTest, RestXmlEscapesKeysAndSendsRawBlobs) {
  transport_->Enqueue(200, "");
  auto out = client_->Call("s3", "PutObject",
                           {{"Bucket", "evidence"},
                            {"Key", "case 1/mem+dump?.lime"},
                            {"Body", Base64Encode("\x01\x02")},
                            {"Metadata", {{"sha256", "abc"}}}});
  ASSERT_TRUE(out) << out.error().ToString();
  HttpRequest sent = transport_->last_request();
  EXPECT_EQ(sent.method, "PUT");
  EXPECT_EQ(sent.url, "https://evidence.s3.us-east-1.amazonaws.com/case%201/mem%2Bdump%3F.lime");
  EXPECT_EQ(sent.body, std::string("\x01\x02"));
  EXPECT_EQ(Header(sent, "x-amz-meta-sha256"), "abc");
  EXPECT_FALSE(Header(sent, "x-amz-content-sha256").empty());
}

TEST_F(ClientTest, RestXmlParsesFlattenedListsAndHeaders) {
  HttpResponse response;
  response.status = 200;
  response.headers.Set("x-amz-request-id", "rid");
  response.body =
      R"(<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>logs-bucket</Name>
    <KeyCount>2</KeyCount><IsTruncated>false</IsTruncated>
    <Contents><Key>a b</Key><Size>3</Size><LastModified>2026-11-27T10:00:00.000Z</LastModified></Contents>
    <Contents><Key>c</Key><Size>4</Size></Contents></ListBucketResult>)";
  transport_->Enqueue(response);
  auto out = client_->Call("s3", "ListObjectsV2", {{"Bucket", "logs-bucket"}, {"Prefix", "a b/"}});
  ASSERT_TRUE(out) << out.error().ToString();
  EXPECT_EQ(transport_->last_request().url,
            "https://logs-bucket.s3.us-east-1.amazonaws.com/?list-type=2&prefix=a%20b%2F&encoding-type=url");
  ASSERT_EQ((*out)["Contents"].size(), 2u);
  EXPECT_EQ((*out)["Contents"][0]["Key"], "a b");
  EXPECT_EQ((*out)["Contents"][1]["Size"], 4);
  EXPECT_EQ((*out)["IsTruncated"], false);
  EXPECT_EQ(audits_.back().request_id, "rid");
}

TEST_F(ClientTest, RestJsonFillsUriLabelsAndUsesLocationNames) {
  transport_->Enqueue(200, R"({"detectorIds":["d1","d2"],"nextToken":""})");
  auto out = client_->Call("guardduty", "ListDetectors", {{"MaxResults", 10}});
  ASSERT_TRUE(out) << out.error().ToString();
  EXPECT_EQ(transport_->last_request().url,
            "https://guardduty.us-east-1.amazonaws.com/detector?maxResults=10");
  EXPECT_EQ((*out)["DetectorIds"], Json({"d1", "d2"}));

  transport_->Enqueue(200, R"({"findingIds":["f1"]})");
  out = client_->Call("guardduty", "ListFindings", {{"DetectorId", "d 1"}});
  ASSERT_TRUE(out) << out.error().ToString();
  EXPECT_EQ(transport_->last_request().url,
            "https://guardduty.us-east-1.amazonaws.com/detector/d%201/findings");
  EXPECT_EQ((*out)["FindingIds"], Json({"f1"}));
}

TEST_F(ClientTest, ErrorsCarryCodeStatusAndRequestId) {
  transport_->Enqueue(403, R"(<Response><Errors><Error><Code>UnauthorizedOperation</Code>
    <Message>You are not authorized to perform: ec2:ModifyInstanceAttribute</Message></Error></Errors>
    <RequestID>rid-9</RequestID></Response>)");
  auto out = client_->Call("ec2", "ModifyInstanceAttribute",
                           {{"InstanceId", "i-1"}, {"Attribute", "disableApiTermination"}});
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().kind, ErrorKind::kAccessDenied);
  EXPECT_EQ(out.error().code, "UnauthorizedOperation");
  EXPECT_EQ(out.error().http_status, 403);
  EXPECT_EQ(out.error().request_id, "rid-9");
  EXPECT_NE(out.error().ToString().find("ec2:ModifyInstanceAttribute"), std::string::npos);

  transport_->Enqueue(400, R"({"__type":"com.amazon#InvalidParameterException","message":"bad"})");
  auto json_error = client_->Call("logs", "FilterLogEvents", {{"logGroupName", "g"}});
  ASSERT_FALSE(json_error);
  EXPECT_EQ(json_error.error().code, "InvalidParameterException");
  EXPECT_EQ(json_error.error().message, "bad");
}

TEST_F(ClientTest, HtmlErrorBodyBecomesAClearGenericError) {
  for (int i = 0; i < 3; ++i) transport_->Enqueue(502, "<html><body>Bad Gateway</body></html>");
  auto out = client_->Call("sts", "GetCallerIdentity", {});
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().kind, ErrorKind::kTransient);
  EXPECT_EQ(out.error().http_status, 502);
  EXPECT_NE(out.error().message.find("not an AWS error document"), std::string::npos);
  EXPECT_EQ(transport_->request_count(), 3u);  // retried up to max attempts
}

TEST_F(ClientTest, ThrottlingIsRetriedWithBackoffAndAudited) {
  transport_->Enqueue(503,
                      "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>slow down</Message>"
                      "</Error></Errors><RequestID>x</RequestID></Response>");
  transport_->Enqueue(200, "<CreateTagsResponse><return>true</return></CreateTagsResponse>");
  auto out = client_->Call("ec2", "CreateTags",
                           {{"Resources", {"i-1"}}, {"Tags", {{{"Key", "k"}, {"Value", "v"}}}}});
  ASSERT_TRUE(out) << out.error().ToString();
  ASSERT_EQ(audits_.size(), 1u);
  EXPECT_EQ(audits_[0].attempts, 2);
  EXPECT_EQ(audits_[0].retried, std::vector<std::string>{"RequestLimitExceeded"});
  EXPECT_LE(clock_.slept(), std::chrono::milliseconds(1000));  // first retry waits at most base * 2^0
}

TEST_F(ClientTest, NetworkErrorsGiveUpAfterMaxAttempts) {
  for (int i = 0; i < 5; ++i)
    transport_->EnqueueError(Error{ErrorKind::kNetwork, "cannot connect to h:1: refused", {}, 0, {}});
  auto out = client_->Call("sts", "GetCallerIdentity", {});
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().kind, ErrorKind::kNetwork);
  EXPECT_EQ(transport_->request_count(), 3u);
  EXPECT_NE(out.error().message.find("gave up after 3 attempts"), std::string::npos);
}

// An SDK client has one retry quota and talks to one service in one region (botocore's
// RetryQuotaChecker per client); cordon's one Client keeps one per service and region. A service
// whose failures spent its quota leaves another service's retries alone, and a call that the
// attempts allowed to retry but the quota did not says so.
TEST_F(ClientTest, ASpentRetryQuotaStopsRetriesOfItsServiceOnly) {
  ClientOptions options = *client_->options();
  options.retry.initial_quota = 10;  // one network retry (10), or two others (5 each)
  Client client(options);
  for (int i = 0; i < 2; ++i)
    transport_->EnqueueError(Error{ErrorKind::kNetwork, "read timed out", {}, 0, {}});
  auto sts = client.Call("sts", "GetCallerIdentity", {});
  ASSERT_FALSE(sts);
  EXPECT_EQ(transport_->request_count(), 2u);  // the second retry found the quota spent
  EXPECT_NE(sts.error().message.find("retry quota of us-east-1/sts is spent"), std::string::npos)
      << sts.error().message;

  transport_->Enqueue(500,
                      "<Response><Errors><Error><Code>InternalError</Code><Message>oops</Message>"
                      "</Error></Errors><RequestID>x</RequestID></Response>");
  transport_->Enqueue(200, "<CreateTagsResponse><return>true</return></CreateTagsResponse>");
  auto ec2 =
      client.Call("ec2", "CreateTags", {{"Resources", {"i-1"}}, {"Tags", {{{"Key", "k"}, {"Value", "v"}}}}});
  ASSERT_TRUE(ec2) << ec2.error().ToString();
  EXPECT_EQ(transport_->request_count(), 4u);
}

TEST_F(ClientTest, ValidationNamesMissingAndUnknownMembers) {
  auto missing = client_->Call("iam", "GetRolePolicy", {{"RoleName", "r"}});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("missing required parameter PolicyName"), std::string::npos);
  auto unknown = client_->Call("ec2", "DescribeInstances", {{"InstanceId", {"i-1"}}});
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("did you mean 'InstanceIds'"), std::string::npos);
  auto op = client_->Call("ec2", "DescribeInstance", {});
  ASSERT_FALSE(op);
  EXPECT_NE(op.error().message.find("'DescribeInstances'"), std::string::npos);
  EXPECT_EQ(transport_->request_count(), 0u);
}

TEST_F(ClientTest, IdempotencyTokensAreFilled) {
  transport_->Enqueue(200, "<RunInstancesResponse><reservationId>r-1</reservationId></RunInstancesResponse>");
  auto out = client_->Call("ec2", "RunInstances", {{"ImageId", "ami-1"}, {"MinCount", 1}, {"MaxCount", 1}});
  ASSERT_TRUE(out) << out.error().ToString();
  EXPECT_NE(transport_->last_request().body.find("ClientToken="), std::string::npos);
}

// CallOptions::find_effect, the look for what a failed attempt did before the client sends a create
// without a client token again. The answers EC2 gives the failures cordon meets.
constexpr char kEc2Throttled[] =
    "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded."
    "</Message></Error></Errors><RequestID>t</RequestID></Response>";
constexpr char kEc2InternalError[] =
    "<Response><Errors><Error><Code>InternalError</Code><Message>oops</Message></Error></Errors>"
    "<RequestID>x</RequestID></Response>";
constexpr char kSnapshotsMade[] =
    "<CreateSnapshotsResponse><snapshotSet><item><snapshotId>snap-1</snapshotId><volumeId>vol-1</volumeId>"
    "</item></snapshotSet></CreateSnapshotsResponse>";

const Json kCreateSnapshotsInput = {{"InstanceSpecification", {{"InstanceId", "i-1"}}}};

// What a find_effect saw: the failures it was asked about and when (the fake clock's sleeps so far).
struct EffectLooks {
  std::vector<std::string> failures;
  std::vector<std::chrono::milliseconds> slept_at;
};

// A find_effect that records each look and answers from `answers` in order (nothing found when
// they run out).
FindEffect LookFor(EffectLooks* looks, const FakeClock* clock, std::vector<std::optional<Json>> answers) {
  return [looks, clock, answers = std::move(answers)](const Error& failure) -> Result<std::optional<Json>> {
    looks->failures.push_back(failure.code.empty() ? std::string(ErrorKindName(failure.kind)) : failure.code);
    looks->slept_at.push_back(clock->slept());
    const size_t n = looks->failures.size();
    return n <= answers.size() ? answers[n - 1] : std::nullopt;
  };
}

// A throttling answer is a refusal ("Request throttling for the Amazon EC2 API"): sent again with no
// look. A 5xx may have acted: looked for, then sent again when nothing was found. Every attempt goes
// on a connection of its own, and the audit record counts them as any retried call's.
TEST_F(ClientTest, FindEffectLooksOnlyAfterAFailureThatMayHaveActed) {
  transport_->Enqueue(503, kEc2Throttled);
  transport_->Enqueue(500, kEc2InternalError);
  transport_->Enqueue(200, kSnapshotsMade);
  EffectLooks looks;
  CallOptions options;
  options.find_effect = LookFor(&looks, &clock_, {std::nullopt});
  auto out = client_->Call("ec2", "CreateSnapshots", kCreateSnapshotsInput, options);
  ASSERT_TRUE(out) << out.error().ToString();
  EXPECT_EQ((*out)["Snapshots"][0]["SnapshotId"], "snap-1");
  EXPECT_EQ(looks.failures, std::vector<std::string>{"InternalError"});
  ASSERT_EQ(transport_->request_count(), 3u);
  for (const HttpRequest& r : transport_->requests()) EXPECT_TRUE(r.fresh_connection);
  ASSERT_EQ(audits_.size(), 1u);
  EXPECT_EQ(audits_[0].outcome, "ok");
  EXPECT_EQ(audits_[0].attempts, 3);
  EXPECT_EQ(audits_[0].retried, (std::vector<std::string>{"RequestLimitExceeded", "InternalError"}));
  EXPECT_EQ(audits_[0].effect_found_after, "");
}

// An effect found ends the call with what the look returned, unsent again; the audit record says
// which failure's effect it was.
TEST_F(ClientTest, FindEffectFoundEndsTheCallWithoutAResend) {
  transport_->EnqueueError(Error{ErrorKind::kNetwork, "connection reset by peer", {}, 0, {}});
  transport_->Enqueue(200, kSnapshotsMade);  // must stay unsent
  EffectLooks looks;
  CallOptions options;
  const Json found = {{"Snapshots", {{{"SnapshotId", "snap-9"}, {"VolumeId", "vol-1"}}}}};
  options.find_effect = LookFor(&looks, &clock_, {found});
  auto out = client_->Call("ec2", "CreateSnapshots", kCreateSnapshotsInput, options);
  ASSERT_TRUE(out) << out.error().ToString();
  EXPECT_EQ(*out, found);
  EXPECT_EQ(looks.failures, std::vector<std::string>{"network"});
  EXPECT_EQ(transport_->request_count(), 1u);
  EXPECT_EQ(transport_->pending(), 1u);
  ASSERT_EQ(audits_.size(), 1u);
  EXPECT_EQ(audits_[0].outcome, "ok");
  EXPECT_EQ(audits_[0].attempts, 1);
  EXPECT_TRUE(audits_[0].retried.empty());
  EXPECT_EQ(audits_[0].effect_found_after, "network");
}

// The delays are the strategy's full jitter (the same seed gives the same draws), and each look
// comes after its delay, just before the resend.
TEST_F(ClientTest, FindEffectWaitsTheStrategysDelaysBeforeEachLook) {
  transport_->Enqueue(500, kEc2InternalError);
  transport_->Enqueue(500, kEc2InternalError);
  transport_->Enqueue(200, kSnapshotsMade);
  EffectLooks looks;
  CallOptions options;
  options.find_effect = LookFor(&looks, &clock_, {});
  auto out = client_->Call("ec2", "CreateSnapshots", kCreateSnapshotsInput, options);
  ASSERT_TRUE(out) << out.error().ToString();
  StandardRetryStrategy same(RetryOptions{.seed = 7});
  const Error internal{ErrorKind::kTransient, "oops", "InternalError", 500, {}};
  const auto first = same.DelayBeforeNextRetry(internal, 1);
  const auto second = same.DelayBeforeNextRetry(internal, 2);
  EXPECT_NE(first, second);  // drawn, not fixed: a linear base * attempt would not match both
  EXPECT_EQ(looks.slept_at, (std::vector<std::chrono::milliseconds>{first, first + second}));
  EXPECT_EQ(clock_.slept(), first + second);
}

// Out of attempts, the client looks once more before it gives up: a failure it reported would
// otherwise hide what the last attempt made.
TEST_F(ClientTest, FindEffectLooksBeforeGivingUp) {
  for (int i = 0; i < 3; ++i) transport_->Enqueue(500, kEc2InternalError);
  EffectLooks looks;
  CallOptions options;
  const Json found = {{"Snapshots", {{{"SnapshotId", "snap-3"}, {"VolumeId", "vol-1"}}}}};
  options.find_effect = LookFor(&looks, &clock_, {std::nullopt, std::nullopt, found});
  auto out = client_->Call("ec2", "CreateSnapshots", kCreateSnapshotsInput, options);
  ASSERT_TRUE(out) << out.error().ToString();
  EXPECT_EQ(*out, found);
  EXPECT_EQ(looks.failures.size(), 3u);
  EXPECT_EQ(transport_->request_count(), 3u);
  EXPECT_EQ(audits_.back().attempts, 3);
  EXPECT_EQ(audits_.back().retried, (std::vector<std::string>{"InternalError", "InternalError"}));
}

// A resend costs the retry quota as any retry does; an effect found is a success that gives the cost
// back. A quota of one retry: the found effect refunds it, so the next call may retry once, and the
// one after finds the quota spent.
TEST_F(ClientTest, FindEffectResendsAreChargedToTheRetryQuota) {
  ClientOptions one_retry = *client_->options();
  one_retry.retry.initial_quota = 5;  // one retry after a 5xx
  Client client(one_retry);
  EffectLooks looks;
  CallOptions options;
  options.find_effect = LookFor(&looks, &clock_, {Json{{"Snapshots", Json::array()}}});
  transport_->Enqueue(500, kEc2InternalError);
  ASSERT_TRUE(client.Call("ec2", "CreateSnapshots", kCreateSnapshotsInput, options));  // found: refunded
  transport_->Enqueue(500, kEc2InternalError);
  transport_->Enqueue(500, kEc2InternalError);
  auto spent = client.Call("ec2", "CreateSnapshots", kCreateSnapshotsInput, options);
  ASSERT_FALSE(spent);
  EXPECT_EQ(transport_->request_count(), 3u);  // the second call's one retry, then the quota is spent
  EXPECT_NE(spent.error().message.find("retry quota of us-east-1/ec2 is spent"), std::string::npos)
      << spent.error().message;
  EXPECT_EQ(looks.failures.size(), 3u);  // before the resend and before giving up
}

// A look that fails leaves the call failed and unsent: not knowing, a resend could act twice.
TEST_F(ClientTest, FindEffectThatCannotLookEndsTheCallUnsent) {
  transport_->Enqueue(500, kEc2InternalError);
  CallOptions options;
  options.find_effect = [](const Error&) -> Result<std::optional<Json>> {
    return MakeError(ErrorKind::kAccessDenied, "ec2:DescribeSnapshots denied");
  };
  auto out = client_->Call("ec2", "CreateSnapshots", kCreateSnapshotsInput, options);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, "InternalError");
  EXPECT_NE(out.error().message.find("could not be looked for"), std::string::npos) << out.error().message;
  EXPECT_NE(out.error().message.find("ec2:DescribeSnapshots denied"), std::string::npos);
  EXPECT_EQ(transport_->request_count(), 1u);
}

// Without a find_effect, a create is retried as any call, on reused connections.
TEST_F(ClientTest, WithoutFindEffectFailuresAreRetriedOnReusedConnections) {
  for (int i = 0; i < 3; ++i) transport_->Enqueue(500, kEc2InternalError);
  auto out = client_->Call("ec2", "CreateSnapshots", kCreateSnapshotsInput);
  ASSERT_FALSE(out);
  EXPECT_EQ(transport_->request_count(), 3u);
  EXPECT_FALSE(transport_->last_request().fresh_connection);
}

// A call with an idempotency token sends the same token on every attempt, so that a retry after a
// lost answer is the same request to EC2 ("Ensuring idempotency in Amazon EC2 API requests").
TEST_F(ClientTest, RetriesSendTheSameClientToken) {
  transport_->Enqueue(500,
                      "<Response><Errors><Error><Code>InternalError</Code><Message>oops</Message>"
                      "</Error></Errors><RequestID>x</RequestID></Response>");
  transport_->Enqueue(200, "<CreateVolumeResponse><volumeId>vol-1</volumeId></CreateVolumeResponse>");
  auto out = client_->Call("ec2", "CreateVolume", {{"AvailabilityZone", "us-east-1a"}, {"Size", 1}});
  ASSERT_TRUE(out) << out.error().ToString();
  const std::vector<HttpRequest> sent = transport_->requests();
  ASSERT_EQ(sent.size(), 2u);
  auto token = [](const std::string& body) {
    const size_t at = body.find("ClientToken=");
    return at == std::string::npos ? std::string() : body.substr(at, body.find('&', at) - at);
  };
  EXPECT_FALSE(token(sent[0].body).empty());
  EXPECT_EQ(token(sent[0].body), token(sent[1].body));
}

TEST_F(ClientTest, PaginatesAndMergesLikeBoto3) {
  transport_->Enqueue(200,
                      "<DescribeVolumesResponse><volumeSet><item><volumeId>v-1</volumeId></item></volumeSet>"
                      "<nextToken>t1</nextToken></DescribeVolumesResponse>");
  transport_->Enqueue(200,
                      "<DescribeVolumesResponse><volumeSet><item><volumeId>v-2</volumeId></item></volumeSet>"
                      "</DescribeVolumesResponse>");
  auto out = client_->CallAll("ec2", "DescribeVolumes", {});
  ASSERT_TRUE(out) << out.error().ToString();
  EXPECT_EQ((*out)["Volumes"].size(), 2u);
  EXPECT_FALSE(out->contains("NextToken"));
  EXPECT_NE(transport_->requests()[1].body.find("NextToken=t1"), std::string::npos);
}

}  // namespace
}  // namespace cordon::aws

#include "aws/credentials/imds_provider.h"

#include <gtest/gtest.h>

#include "aws/credentials/test_util.h"

namespace cordon::aws {
namespace {

using testing::HeaderOf;
using testing::ScriptedTransport;

constexpr char kCredentials[] =
    R"({"Code":"Success","LastUpdated":"2024-01-01T00:00:00Z","Type":"AWS-HMAC",)"
    R"("AccessKeyId":"ASIAIMDS","SecretAccessKey":"SECRETimds","Token":"imds-token",)"
    R"("Expiration":"2030-01-01T06:00:00Z"})";

TEST(ImdsProviderTest, TokenPutComesFirstThenRoleThenCredentials) {
  ScriptedTransport transport;
  transport.Reply(200, "session-token-v2");
  transport.Reply(200, "web-role\n");
  transport.Reply(200, kCredentials);
  ImdsProvider provider(ImdsSettings{}, &transport);
  auto creds = provider.Get();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "ASIAIMDS");
  EXPECT_EQ(creds->secret_access_key, "SECRETimds");
  EXPECT_EQ(creds->session_token, "imds-token");
  EXPECT_EQ(creds->expiration, ParseTimestamp("2030-01-01T06:00:00Z"));
  EXPECT_EQ(creds->source, "imds:web-role");

  std::vector<HttpRequest> requests = transport.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].url, "http://169.254.169.254/latest/api/token");
  EXPECT_EQ(HeaderOf(requests[0], "X-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(requests[1].method, "GET");
  EXPECT_EQ(requests[1].url, "http://169.254.169.254/latest/meta-data/iam/security-credentials/");
  EXPECT_EQ(HeaderOf(requests[1], "X-aws-ec2-metadata-token"), "session-token-v2");
  EXPECT_EQ(requests[2].url, "http://169.254.169.254/latest/meta-data/iam/security-credentials/web-role");
  EXPECT_EQ(HeaderOf(requests[2], "X-aws-ec2-metadata-token"), "session-token-v2");
}

TEST(ImdsProviderTest, NotOnEc2IsNotFound) {
  ScriptedTransport transport;  // every request fails to connect
  ImdsProvider provider(ImdsSettings{}, &transport);
  auto creds = provider.Get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kNotFound);
}

TEST(ImdsProviderTest, NoInstanceProfileIsNotFound) {
  ScriptedTransport transport;
  transport.Reply(200, "tok");
  transport.Reply(404, "");
  ImdsProvider provider(ImdsSettings{}, &transport);
  auto creds = provider.Get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(creds.error().message.find("404"), std::string::npos);
}

TEST(ImdsProviderTest, FallsBackToV1WhenTokensAreNotServed) {
  ScriptedTransport transport;
  transport.Reply(403, "");
  transport.Reply(200, "role");
  transport.Reply(200, kCredentials);
  ImdsProvider provider(ImdsSettings{}, &transport);
  ASSERT_TRUE(provider.Get());
  EXPECT_EQ(HeaderOf(transport.requests()[1], "X-aws-ec2-metadata-token"), "<absent>");
}

TEST(ImdsProviderTest, V1DisabledMeansNoFallback) {
  ScriptedTransport transport;
  transport.Reply(404, "");
  ImdsSettings settings;
  settings.v1_disabled = true;
  ImdsProvider provider(settings, &transport);
  auto creds = provider.Get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(transport.requests().size(), 1u);
}

TEST(ImdsProviderTest, DisabledSendsNothing) {
  ScriptedTransport transport;
  auto settings = ResolveImdsSettings(Environment({{"AWS_EC2_METADATA_DISABLED", "True"}}), nullptr);
  ASSERT_TRUE(settings);
  ImdsProvider provider(*settings, &transport);
  auto creds = provider.Get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kNotFound);
  EXPECT_TRUE(transport.requests().empty());
}

TEST(ImdsProviderTest, RetriesUpToTheConfiguredAttempts) {
  ScriptedTransport transport;
  transport.Reply(200, "tok");
  transport.Reply(500, "");
  transport.Reply(200, "role");
  transport.Reply(200, "{truncated");
  transport.Reply(200, kCredentials);
  ImdsSettings settings;
  settings.attempts = 2;
  ImdsProvider provider(settings, &transport);
  ASSERT_TRUE(provider.Get());
  EXPECT_EQ(transport.requests().size(), 5u);
}

TEST(ImdsProviderTest, EndpointOverrideIsUsed) {
  auto settings = ResolveImdsSettings(
      Environment({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1338"}}), nullptr);
  ASSERT_TRUE(settings) << settings.error().message;
  ScriptedTransport transport;
  transport.Reply(200, "tok");
  transport.Reply(200, "role");
  transport.Reply(200, kCredentials);
  ImdsProvider provider(*settings, &transport);
  ASSERT_TRUE(provider.Get());
  EXPECT_EQ(transport.requests()[0].url, "http://127.0.0.1:1338/latest/api/token");
}

TEST(ImdsSettingsTest, EnvironmentBeatsProfile) {
  Profile profile{"p", {}};
  profile.values["ec2_metadata_service_endpoint_mode"].text = "IPv6";
  profile.values["metadata_service_num_attempts"].text = "3";
  profile.values["metadata_service_timeout"].text = "2.5";
  auto from_profile = ResolveImdsSettings(Environment(), &profile);
  ASSERT_TRUE(from_profile) << from_profile.error().message;
  EXPECT_EQ(from_profile->endpoint, "http://[fd00:ec2::254]/");
  EXPECT_EQ(from_profile->attempts, 3);
  EXPECT_EQ(from_profile->timeout, std::chrono::milliseconds(2500));
  EXPECT_EQ(MetadataHttpOptions(*from_profile).connect_timeout, std::chrono::milliseconds(2500));

  auto from_env = ResolveImdsSettings(Environment({{"AWS_METADATA_SERVICE_NUM_ATTEMPTS", "5"},
                                                   {"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipv4"},
                                                   {"AWS_EC2_METADATA_V1_DISABLED", "true"}}),
                                      &profile);
  ASSERT_TRUE(from_env);
  EXPECT_EQ(from_env->endpoint, "http://169.254.169.254/");
  EXPECT_EQ(from_env->attempts, 5);
  EXPECT_TRUE(from_env->v1_disabled);
}

TEST(ImdsSettingsTest, RejectsBadValues) {
  EXPECT_FALSE(
      ResolveImdsSettings(Environment({{"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipv5"}}), nullptr));
  EXPECT_FALSE(ResolveImdsSettings(Environment({{"AWS_METADATA_SERVICE_NUM_ATTEMPTS", "many"}}), nullptr));
  EXPECT_FALSE(
      ResolveImdsSettings(Environment({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "169.254.169.254"}}), nullptr));
}

}  // namespace
}  // namespace cordon::aws

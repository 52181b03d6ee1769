#include "aws/credentials/container_provider.h"

#include <gtest/gtest.h>

#include "aws/credentials/test_util.h"

namespace cordon::aws {
namespace {

using testing::HeaderOf;
using testing::ScriptedTransport;
using testing::TempDir;

constexpr char kBody[] =
    R"({"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"SECRETcontainer","Token":"tok",)"
    R"("Expiration":"2030-01-01T00:00:00Z","RoleArn":"arn:aws:iam::1:role/task"})";

TEST(ContainerProviderTest, RelativeUriGoesToTheEcsAgent) {
  ScriptedTransport transport;
  transport.Reply(200, kBody);
  FakeClock clock(TimePoint{});
  ContainerProvider provider(
      Environment({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"},
                   {"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1/ignored"}}),
      &transport, &clock);
  auto creds = provider.Get();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "ASIACONTAINER");
  EXPECT_EQ(creds->session_token, "tok");
  EXPECT_EQ(creds->expiration, ParseTimestamp("2030-01-01T00:00:00Z"));
  ASSERT_EQ(transport.requests().size(), 1u);
  EXPECT_EQ(transport.requests()[0].method, "GET");
  EXPECT_EQ(transport.requests()[0].url, "http://169.254.170.2/v2/credentials/abc");
  EXPECT_EQ(HeaderOf(transport.requests()[0], "Authorization"), "<absent>");
}

TEST(ContainerProviderTest, FullUriSendsTheAuthorizationToken) {
  ScriptedTransport transport;
  transport.Reply(200, kBody);
  FakeClock clock(TimePoint{});
  ContainerProvider provider(
      Environment({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/creds"},
                   {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "Basic abc"}}),
      &transport, &clock);
  ASSERT_TRUE(provider.Get());
  EXPECT_EQ(transport.requests()[0].url, "http://169.254.170.23/v1/creds");
  EXPECT_EQ(HeaderOf(transport.requests()[0], "Authorization"), "Basic abc");
}

TEST(ContainerProviderTest, TokenFileWinsOverTokenVariable) {
  TempDir dir;
  std::string token_file = dir.Write("eks-pod-identity-token", "from-file");
  ScriptedTransport transport;
  transport.Reply(200, kBody);
  FakeClock clock(TimePoint{});
  ContainerProvider provider(
      Environment({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://[fd00:ec2::23]/v1/creds"},
                   {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "from-variable"},
                   {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file}}),
      &transport, &clock);
  ASSERT_TRUE(provider.Get());
  EXPECT_EQ(HeaderOf(transport.requests()[0], "Authorization"), "from-file");
}

TEST(ContainerProviderTest, FullUriMustBeLocalOrHttps) {
  EXPECT_TRUE(ContainerHostAllowed("http://127.0.0.1:8080/creds"));
  EXPECT_TRUE(ContainerHostAllowed("http://127.3.4.5/creds"));
  EXPECT_TRUE(ContainerHostAllowed("http://[::1]:9/creds"));
  EXPECT_TRUE(ContainerHostAllowed("http://localhost/creds"));
  EXPECT_TRUE(ContainerHostAllowed("http://169.254.170.2/creds"));
  EXPECT_TRUE(ContainerHostAllowed("https://creds.example.com/x"));
  EXPECT_FALSE(ContainerHostAllowed("http://creds.example.com/x"));
  EXPECT_FALSE(ContainerHostAllowed("http://169.254.169.254/latest"));
  EXPECT_FALSE(ContainerHostAllowed("http://127.0.0.1.evil.com/x"));
  EXPECT_FALSE(ContainerHostAllowed("ftp://127.0.0.1/x"));

  ScriptedTransport transport;
  FakeClock clock(TimePoint{});
  ContainerProvider provider(Environment({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://10.0.0.5/creds"}}),
                             &transport, &clock);
  auto creds = provider.Get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_TRUE(transport.requests().empty());
}

TEST(ContainerProviderTest, NotConfiguredIsNotFound) {
  ScriptedTransport transport;
  FakeClock clock(TimePoint{});
  ContainerProvider provider(Environment(), &transport, &clock);
  auto creds = provider.Get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kNotFound);
  EXPECT_TRUE(transport.requests().empty());
}

TEST(ContainerProviderTest, RetriesThreeTimesOneSecondApartThenStopsTheChain) {
  ScriptedTransport transport;
  transport.FailConnection();
  transport.Reply(500, "oops");
  transport.Reply(404, "");
  FakeClock clock(TimePoint{});
  ContainerProvider provider(Environment({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds"}}), &transport,
                             &clock);
  auto creds = provider.Get();
  ASSERT_FALSE(creds);
  EXPECT_NE(creds.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(creds.error().http_status, 404);
  EXPECT_EQ(transport.requests().size(), 3u);
  EXPECT_EQ(clock.slept(), std::chrono::seconds(2));
}

TEST(ContainerProviderTest, RecoversOnASecondAttempt) {
  ScriptedTransport transport;
  transport.Reply(200, "not json");
  transport.Reply(200, kBody);
  FakeClock clock(TimePoint{});
  ContainerProvider provider(Environment({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds"}}), &transport,
                             &clock);
  ASSERT_TRUE(provider.Get());
  EXPECT_EQ(clock.slept(), std::chrono::seconds(1));
}

TEST(ContainerProviderTest, TokenWithLineBreakIsRefusedWithoutQuotingIt) {
  ScriptedTransport transport;
  FakeClock clock(TimePoint{});
  ContainerProvider provider(
      Environment({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds"},
                   {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "SECRETTOKEN\r\nX-Injected: 1"}}),
      &transport, &clock);
  auto creds = provider.Get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(creds.error().message.find("SECRETTOKEN"), std::string::npos);
  EXPECT_TRUE(transport.requests().empty());
}

}  // namespace
}  // namespace cordon::aws

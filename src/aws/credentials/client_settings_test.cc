#include "aws/credentials/client_settings.h"

#include <gtest/gtest.h>

namespace cordon::aws {
namespace {

std::shared_ptr<const SharedConfig> ParsedConfig(const std::string& config) {
  auto parsed = ParseSharedConfig(config, "/h/.aws/config", "", "/h/.aws/credentials");
  EXPECT_TRUE(parsed) << parsed.error().message;
  return std::make_shared<const SharedConfig>(parsed ? *parsed : SharedConfig());
}

constexpr char kConfig[] =
    "[profile p]\n"
    "region = ap-southeast-2\n"
    "endpoint_url = http://profile-global:1\n"
    "services = local\n"
    "max_attempts = 7\n"
    "retry_mode = adaptive\n"
    "[services local]\n"
    "ec2 =\n"
    "  endpoint_url = http://services-ec2:2\n"
    "elastic_load_balancing_v2 =\n"
    "  endpoint_url = http://services-elbv2:3\n";

TEST(ClientSettingsTest, RegionOrder) {
  Environment env({{"AWS_REGION", "us-east-1"}, {"AWS_DEFAULT_REGION", "us-west-1"}});
  EXPECT_EQ(ClientSettings(env, ParsedConfig(kConfig), "p").Region(), "us-east-1");
  env.Unset("AWS_REGION");
  EXPECT_EQ(ClientSettings(env, ParsedConfig(kConfig), "p").Region(), "us-west-1");
  env.Set("AWS_DEFAULT_REGION", "");  // empty counts as unset
  EXPECT_EQ(ClientSettings(env, ParsedConfig(kConfig), "p").Region(), "ap-southeast-2");
  EXPECT_EQ(ClientSettings(env, ParsedConfig(kConfig), "missing").Region(), std::nullopt);
}

TEST(ClientSettingsTest, EndpointOrder) {
  Environment env(
      {{"AWS_ENDPOINT_URL_EC2", "http://env-ec2:4"}, {"AWS_ENDPOINT_URL", "http://env-global:5"}});
  auto url = [&](std::string_view service) {
    auto result = ClientSettings(env, ParsedConfig(kConfig), "p").EndpointUrl(service);
    EXPECT_TRUE(result) << result.error().message;
    return result ? result->value_or("<none>") : "<error>";
  };
  EXPECT_EQ(url("EC2"), "http://env-ec2:4");
  EXPECT_EQ(url("S3"), "http://env-global:5");
  env.Unset("AWS_ENDPOINT_URL");
  EXPECT_EQ(url("EC2"), "http://env-ec2:4");
  env.Unset("AWS_ENDPOINT_URL_EC2");
  EXPECT_EQ(url("EC2"), "http://services-ec2:2");
  EXPECT_EQ(url("Elastic Load Balancing v2"), "http://services-elbv2:3");
  EXPECT_EQ(url("S3"), "http://profile-global:1");
  env.Set("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", "http://env-elbv2:6");
  EXPECT_EQ(url("Elastic Load Balancing v2"), "http://env-elbv2:6");
  env.Set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
  EXPECT_EQ(url("Elastic Load Balancing v2"), "<none>");
}

TEST(ClientSettingsTest, MissingServicesSectionIsAnError) {
  auto result = ClientSettings(Environment(), ParsedConfig("[default]\nservices = nope\n"), "default")
                    .EndpointUrl("EC2");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(result.error().message.find("'nope'"), std::string::npos);
}

TEST(ClientSettingsTest, MaxAttemptsAndRetryMode) {
  ClientSettings from_profile(Environment(), ParsedConfig(kConfig), "p");
  EXPECT_EQ(from_profile.MaxAttempts().value(), 7);
  EXPECT_EQ(from_profile.RetryMode().value(), "adaptive");
  ClientSettings from_env(Environment({{"AWS_MAX_ATTEMPTS", "3"}, {"AWS_RETRY_MODE", "standard"}}),
                          ParsedConfig(kConfig), "p");
  EXPECT_EQ(from_env.MaxAttempts().value(), 3);
  EXPECT_EQ(from_env.RetryMode().value(), "standard");
  ClientSettings unset(Environment(), ParsedConfig(""), "default");
  EXPECT_EQ(unset.MaxAttempts().value(), std::nullopt);
  ClientSettings bad(Environment({{"AWS_MAX_ATTEMPTS", "zero"}, {"AWS_RETRY_MODE", "eager"}}),
                     ParsedConfig(""), "default");
  EXPECT_FALSE(bad.MaxAttempts());
  EXPECT_FALSE(bad.RetryMode());
}

TEST(ClientSettingsTest, ServiceIdSnakeCase) {
  EXPECT_EQ(ServiceIdSnakeCase("Elastic Load Balancing v2"), "elastic_load_balancing_v2");
  EXPECT_EQ(ServiceIdSnakeCase("Auto Scaling"), "auto_scaling");
  EXPECT_EQ(ServiceIdSnakeCase("EC2"), "ec2");
}

}  // namespace
}  // namespace cordon::aws

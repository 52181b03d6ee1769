#include "aws/credentials/sso_settings.h"

#include <gtest/gtest.h>

namespace cordon::aws {
namespace {

SharedConfig Parse(const std::string& text) {
  auto parsed = ParseSharedConfig(text, "/h/.aws/config", "", "/h/.aws/credentials");
  EXPECT_TRUE(parsed) << parsed.error().message;
  return parsed ? *parsed : SharedConfig();
}

Result<std::optional<SsoSettings>> Resolve(const SharedConfig& config, const std::string& profile) {
  return ResolveSsoSettings(config, *config.Find(profile));
}

const Environment kHome{{"HOME", "/home/u"}};

TEST(SsoSettingsTest, SessionFormTakesUrlAndRegionFromTheSession) {
  SharedConfig config = Parse(
      "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = IR\n"
      "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n");
  auto settings = Resolve(config, "dev");
  ASSERT_TRUE(settings) << settings.error().message;
  ASSERT_TRUE(*settings);
  EXPECT_EQ((*settings)->profile, "dev");
  EXPECT_EQ((*settings)->session, "corp");
  EXPECT_EQ((*settings)->start_url, "https://corp.awsapps.com/start");
  EXPECT_EQ((*settings)->region, "eu-west-1");
  EXPECT_EQ((*settings)->account_id, "123456789012");
  EXPECT_EQ((*settings)->role_name, "IR");
  // botocore's SSOTokenLoader: the SHA-1 hex of the session name (python3: hashlib.sha1(b"corp")).
  EXPECT_EQ(SsoTokenCachePath(kHome, **settings),
            "/home/u/.aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json");
}

TEST(SsoSettingsTest, LegacyFormKeysTheCacheByStartUrl) {
  SharedConfig config = Parse(
      "[profile old]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n"
      "sso_account_id = 111122223333\nsso_role_name = ReadOnly\n");
  auto settings = Resolve(config, "old");
  ASSERT_TRUE(settings) << settings.error().message;
  ASSERT_TRUE(*settings);
  EXPECT_EQ((*settings)->session, "");
  EXPECT_EQ((*settings)->region, "us-east-1");
  EXPECT_EQ((*settings)->account_id, "111122223333");
  EXPECT_EQ((*settings)->role_name, "ReadOnly");
  EXPECT_EQ(SsoTokenCachePath(kHome, **settings),
            "/home/u/.aws/sso/cache/a51746d4aa793ae07b25e90c3a5db96fc7832bd7.json");
  EXPECT_EQ(SsoTokenCachePath(Environment{}, **settings), "");
}

TEST(SsoSettingsTest, ProfileWithoutSsoKeysIsNotSso) {
  SharedConfig config = Parse("[profile keys]\naws_access_key_id = A\naws_secret_access_key = S\n");
  auto settings = Resolve(config, "keys");
  ASSERT_TRUE(settings) << settings.error().message;
  EXPECT_FALSE(*settings);
}

TEST(SsoSettingsTest, MissingSettingsAreNamed) {
  struct Case {
    std::string config, expect;
  } cases[] = {
      {"[profile p]\nsso_start_url = https://x\nsso_account_id = 1\n",
       "profile 'p' is configured to use SSO but is missing required configuration: sso_role_name, "
       "sso_region"},
      {"[profile p]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n",
       "profile 'p' names sso_session 'corp', but /h/.aws/config has no [sso-session corp] section"},
      {"[profile p]\nsso_session = corp\nsso_role_name = R\n[sso-session corp]\nsso_region = us-east-1\n",
       "missing required configuration: sso_account_id"},
      {"[profile p]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n"
       "[sso-session corp]\nsso_region = us-east-1\n",
       "the sso-session 'corp' of profile 'p' is configured to use SSO but is missing required "
       "configuration: "
       "sso_start_url"},
      {"[profile p]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\nsso_region = eu-west-1\n"
       "[sso-session corp]\nsso_start_url = https://x\nsso_region = us-east-1\n",
       "the sso_region of profile 'p' differs from the one of its sso-session 'corp'"},
  };
  for (const Case& c : cases) {
    SharedConfig config = Parse(c.config);
    auto settings = Resolve(config, "p");
    ASSERT_FALSE(settings) << c.config;
    EXPECT_EQ(settings.error().kind, ErrorKind::kInvalidArgument);
    EXPECT_NE(settings.error().message.find(c.expect), std::string::npos) << settings.error().message;
  }
}

}  // namespace
}  // namespace cordon::aws

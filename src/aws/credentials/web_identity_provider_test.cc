#include "aws/credentials/web_identity_provider.h"

#include <gtest/gtest.h>

#include "aws/credentials/test_util.h"

namespace cordon::aws {
namespace {

using testing::TempDir;

struct WebIdentityCall {
  AssumeRoleRequest request;
  Credentials source;
};

// Records calls and answers with credentials named after the role.
StsCaller RecordingSts(std::vector<WebIdentityCall>* calls) {
  return [calls](const AssumeRoleRequest& request, const Credentials& source) -> Result<Credentials> {
    calls->push_back({request, source});
    Credentials creds;
    creds.access_key_id = "ASIA-" + request.role_arn;
    creds.secret_access_key = "secret";
    creds.session_token = "token";
    creds.expiration = *ParseTimestamp("2030-01-01T00:00:00Z");
    return creds;
  };
}

TEST(WebIdentityProviderTest, CallsStsUnsignedWithTheTokenFile) {
  TempDir dir;
  std::string token_file = dir.Write("token", "eyJ-oidc-token");
  FakeClock clock(*ParseTimestamp("2024-01-01T00:00:00Z"));
  std::vector<WebIdentityCall> calls;
  WebIdentityProvider provider({token_file, "arn:aws:iam::1:role/irsa", ""}, RecordingSts(&calls),
                               "us-west-2", &clock);
  auto creds = provider.Get();
  ASSERT_TRUE(creds) << creds.error().message;
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].request.role_arn, "arn:aws:iam::1:role/irsa");
  EXPECT_EQ(calls[0].request.web_identity_token, "eyJ-oidc-token");
  EXPECT_EQ(calls[0].request.session_name, "botocore-session-1704067200");
  EXPECT_EQ(calls[0].request.region, "us-west-2");
  EXPECT_TRUE(calls[0].source.empty());
  EXPECT_EQ(creds->source, "web-identity:arn:aws:iam::1:role/irsa");
}

TEST(WebIdentityProviderTest, RereadsTheRotatedTokenEveryTime) {
  TempDir dir;
  std::string token_file = dir.Write("token", "first");
  std::vector<WebIdentityCall> calls;
  WebIdentityProvider provider({token_file, "arn:r", "s"}, RecordingSts(&calls), "", SystemClock::Default());
  ASSERT_TRUE(provider.Get());
  dir.Write("token", "second");
  ASSERT_TRUE(provider.Get());
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].request.web_identity_token, "second");
  EXPECT_EQ(calls[1].request.session_name, "s");
}

TEST(WebIdentityProviderTest, MissingTokenFileIsAnIoError) {
  std::vector<WebIdentityCall> calls;
  WebIdentityProvider provider({"/nonexistent/token", "arn:r", ""}, RecordingSts(&calls), "",
                               SystemClock::Default());
  auto creds = provider.Get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kIo);
  EXPECT_TRUE(calls.empty());
}

TEST(WebIdentityProviderTest, EmptyTokenFileIsRefused) {
  TempDir dir;
  std::vector<WebIdentityCall> calls;
  WebIdentityProvider provider({dir.Write("token", ""), "arn:r", ""}, RecordingSts(&calls), "",
                               SystemClock::Default());
  auto creds = provider.Get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_TRUE(calls.empty());
}

TEST(WebIdentityProviderTest, StsErrorDoesNotCarryTheToken) {
  TempDir dir;
  std::string token_file = dir.Write("token", "SECRET-OIDC-TOKEN");
  StsCaller failing = [](const AssumeRoleRequest&, const Credentials&) -> Result<Credentials> {
    return MakeError(ErrorKind::kAccessDenied, "InvalidIdentityToken: no OpenIDConnect provider found");
  };
  WebIdentityProvider provider({token_file, "arn:r", ""}, failing, "", SystemClock::Default());
  auto creds = provider.Get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kAccessDenied);
  EXPECT_EQ(creds.error().message.find("SECRET-OIDC-TOKEN"), std::string::npos);
}

TEST(WebIdentitySettingsTest, EnvironmentBeatsProfileKeyByKey) {
  Profile profile{"p", {}};
  profile.values["web_identity_token_file"].text = "/profile/token";
  profile.values["role_arn"].text = "arn:profile";
  profile.values["role_session_name"].text = "profile-session";
  Environment env({{"AWS_ROLE_ARN", "arn:env"}});

  auto from_both = ResolveWebIdentitySettings(&env, &profile);
  ASSERT_TRUE(from_both && *from_both);
  EXPECT_EQ((*from_both)->token_file, "/profile/token");
  EXPECT_EQ((*from_both)->role_arn, "arn:env");
  EXPECT_EQ((*from_both)->session_name, "profile-session");

  auto profile_only = ResolveWebIdentitySettings(nullptr, &profile);  // --profile: variables ignored
  ASSERT_TRUE(profile_only && *profile_only);
  EXPECT_EQ((*profile_only)->role_arn, "arn:profile");
}

TEST(WebIdentitySettingsTest, EnvironmentAloneIsEnough) {
  Environment env({{"AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token"},
                   {"AWS_ROLE_ARN", "arn:env"},
                   {"AWS_ROLE_SESSION_NAME", "pod"}});
  auto settings = ResolveWebIdentitySettings(&env, nullptr);
  ASSERT_TRUE(settings && *settings);
  EXPECT_EQ((*settings)->token_file, "/var/run/token");
  EXPECT_EQ((*settings)->session_name, "pod");
}

TEST(WebIdentitySettingsTest, TokenFileWithoutRoleIsAnError) {
  Environment env({{"AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token"}});
  auto settings = ResolveWebIdentitySettings(&env, nullptr);
  ASSERT_FALSE(settings);
  EXPECT_EQ(settings.error().kind, ErrorKind::kInvalidArgument);
  auto nothing = ResolveWebIdentitySettings(nullptr, nullptr);
  ASSERT_TRUE(nothing);
  EXPECT_FALSE(nothing->has_value());
}

}  // namespace
}  // namespace cordon::aws

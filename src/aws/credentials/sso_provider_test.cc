#include "aws/credentials/sso_provider.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "aws/credentials/cache_file.h"
#include "aws/credentials/test_util.h"
#include "base/read_file.h"

namespace cordon::aws {
namespace {

using testing::TempDir;

constexpr char kAccessToken[] = "ACCESS-TOKEN-secret-1";
constexpr char kRefreshToken[] = "REFRESH-TOKEN-secret-1";

class SsoProviderTest : public ::testing::Test {
 protected:
  SsoProviderTest() {
    settings_.profile = "dev";
    settings_.session = "corp";
    settings_.start_url = "https://corp.awsapps.com/start";
    settings_.region = "eu-west-1";
    settings_.account_id = "123456789012";
    settings_.role_name = "IR";
    env_.Set("HOME", dir_.path().string());
  }

  std::string CachePath() const { return SsoTokenCachePath(env_, settings_); }

  void WriteToken(const std::string& expires_at, bool refreshable) {
    Json doc = {{"startUrl", settings_.start_url},
                {"region", settings_.region},
                {"accessToken", kAccessToken},
                {"expiresAt", expires_at}};
    if (refreshable) {
      doc["refreshToken"] = kRefreshToken;
      doc["clientId"] = "client-1";
      doc["clientSecret"] = "client-secret-1";
      doc["registrationExpiresAt"] = "2024-06-01T00:00:00Z";
    }
    ASSERT_TRUE(WriteCacheFile(CachePath(), doc));
  }

  SsoCaller Caller() {
    SsoCaller sso;
    sso.create_token = [this](const SsoRefreshRequest& request) -> Result<SsoNewToken> {
      refreshes.push_back(request);
      return SsoNewToken{"ACCESS-TOKEN-secret-2", std::chrono::hours(8), "REFRESH-TOKEN-secret-2"};
    };
    sso.get_role_credentials = [this](const SsoRoleRequest& request) -> Result<Credentials> {
      role_calls.push_back(request);
      if (refuse_role) {
        Error e{ErrorKind::kAccessDenied, "Session token not found or invalid", "UnauthorizedException", 401,
                ""};
        return MakeError(e);
      }
      return Credentials{"ASIASSO", "sso-secret", "sso-session", *ParseTimestamp("2024-03-01T13:00:00Z"), ""};
    };
    return sso;
  }

  Result<Credentials> Get() { return SsoProvider(settings_, env_, Caller(), &clock_).Get(); }

  TempDir dir_;
  SsoSettings settings_;
  Environment env_;
  FakeClock clock_{*ParseTimestamp("2024-03-01T12:00:00Z")};
  std::vector<SsoRefreshRequest> refreshes;
  std::vector<SsoRoleRequest> role_calls;
  bool refuse_role = false;
};

TEST_F(SsoProviderTest, ValidTokenGetsRoleCredentialsWithoutRefreshing) {
  WriteToken("2024-03-01T13:00:00Z", /*refreshable=*/true);
  auto creds = Get();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "ASIASSO");
  EXPECT_EQ(creds->source, "sso:dev (IR in account 123456789012)");
  EXPECT_TRUE(refreshes.empty());
  ASSERT_EQ(role_calls.size(), 1u);
  EXPECT_EQ(role_calls[0].access_token, kAccessToken);
  EXPECT_EQ(role_calls[0].region, "eu-west-1");
  EXPECT_EQ(role_calls[0].account_id, "123456789012");
  EXPECT_EQ(role_calls[0].role_name, "IR");
}

TEST_F(SsoProviderTest, TokenExpiringSoonIsRefreshedAndWrittenBack) {
  WriteToken("2024-03-01T12:04:00Z", /*refreshable=*/true);
  auto creds = Get();
  ASSERT_TRUE(creds) << creds.error().message;
  ASSERT_EQ(refreshes.size(), 1u);
  EXPECT_EQ(refreshes[0].refresh_token, kRefreshToken);
  EXPECT_EQ(refreshes[0].client_id, "client-1");
  EXPECT_EQ(refreshes[0].region, "eu-west-1");
  ASSERT_EQ(role_calls.size(), 1u);
  EXPECT_EQ(role_calls[0].access_token, "ACCESS-TOKEN-secret-2");

  auto doc = ReadCacheFile(CachePath());
  ASSERT_TRUE(doc);
  EXPECT_EQ((*doc)["accessToken"], "ACCESS-TOKEN-secret-2");
  EXPECT_EQ((*doc)["refreshToken"], "REFRESH-TOKEN-secret-2");
  EXPECT_EQ((*doc)["expiresAt"], "2024-03-01T20:00:00Z");
  EXPECT_EQ((*doc)["startUrl"], settings_.start_url);  // the other fields are kept
  struct stat st;
  ASSERT_EQ(stat(CachePath().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(SsoProviderTest, ExpiredTokenWithoutRefreshTokenSaysToLogIn) {
  WriteToken("2024-03-01T11:00:00Z", /*refreshable=*/false);
  auto creds = Get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kAccessDenied);
  EXPECT_EQ(creds.error().code, "NoCredentials");
  EXPECT_NE(creds.error().message.find("aws sso login --profile dev"), std::string::npos);
  EXPECT_TRUE(role_calls.empty());
}

TEST_F(SsoProviderTest, ExpiredClientRegistrationIsNotUsed) {
  clock_.SleepFor(std::chrono::hours(24 * 100));  // 2024-06-09, past registrationExpiresAt
  WriteToken("2024-06-09T00:00:00Z", /*refreshable=*/true);
  auto creds = Get();
  ASSERT_FALSE(creds);
  EXPECT_TRUE(refreshes.empty());
  EXPECT_NE(creds.error().message.find("aws sso login"), std::string::npos);
}

TEST_F(SsoProviderTest, MissingTokenFileOrRefusedTokenSaysToLogInWithoutTheToken) {
  auto missing = Get();
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "NoCredentials");
  EXPECT_NE(missing.error().message.find(CachePath()), std::string::npos);

  WriteToken("2024-03-01T13:00:00Z", /*refreshable=*/false);
  refuse_role = true;
  auto refused = Get();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "NoCredentials");
  EXPECT_NE(refused.error().message.find("aws sso login --profile dev"), std::string::npos);
  EXPECT_EQ(refused.error().ToString().find(kAccessToken), std::string::npos);
}

TEST_F(SsoProviderTest, MalformedTokenFileIsAParseErrorThatQuotesNothing) {
  dir_.Write(".aws/sso/cache/" + Sha1Hex("corp") + ".json",
             std::string("{\"accessToken\": \"") + kAccessToken);
  auto creds = Get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kParse);
  EXPECT_EQ(creds.error().message.find(kAccessToken), std::string::npos);
}

}  // namespace
}  // namespace cordon::aws

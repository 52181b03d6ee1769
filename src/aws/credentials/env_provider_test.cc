#include "aws/credentials/env_provider.h"

#include <gtest/gtest.h>

namespace cordon::aws {
namespace {

TEST(EnvProviderTest, ReadsKeysAndSessionToken) {
  EnvProvider provider(Environment({{"AWS_ACCESS_KEY_ID", "AKIDENV"},
                                    {"AWS_SECRET_ACCESS_KEY", "secret-env"},
                                    {"AWS_SESSION_TOKEN", "token-env"}}));
  auto creds = provider.Get();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "AKIDENV");
  EXPECT_EQ(creds->secret_access_key, "secret-env");
  EXPECT_EQ(creds->session_token, "token-env");
  EXPECT_FALSE(creds->expiration.has_value());
  EXPECT_EQ(creds->source, "environment");
}

TEST(EnvProviderTest, SecurityTokenWinsOverSessionTokenAsInBotocore) {
  EnvProvider provider(Environment({{"AWS_ACCESS_KEY_ID", "AKID"},
                                    {"AWS_SECRET_ACCESS_KEY", "s"},
                                    {"AWS_SECURITY_TOKEN", "legacy"},
                                    {"AWS_SESSION_TOKEN", "modern"}}));
  EXPECT_EQ(provider.Get()->session_token, "legacy");
}

TEST(EnvProviderTest, ReadsExpiration) {
  EnvProvider provider(Environment({{"AWS_ACCESS_KEY_ID", "AKID"},
                                    {"AWS_SECRET_ACCESS_KEY", "s"},
                                    {"AWS_CREDENTIAL_EXPIRATION", "2030-01-02T03:04:05Z"}}));
  auto creds = provider.Get();
  ASSERT_TRUE(creds);
  EXPECT_EQ(creds->expiration, ParseTimestamp("2030-01-02T03:04:05Z"));
}

TEST(EnvProviderTest, NothingSetIsNotFound) {
  EnvProvider provider(Environment({{"AWS_ACCESS_KEY_ID", ""}}));
  auto creds = provider.Get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kNotFound);
}

TEST(EnvProviderTest, LegacyNamesAreNotRead) {
  EnvProvider provider(Environment({{"AWS_ACCESS_KEY", "AKID"}, {"AWS_SECRET_KEY", "s"}}));
  auto creds = provider.Get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kNotFound);
}

TEST(EnvProviderTest, PartialKeysStopTheChainWithoutLeakingThem) {
  EnvProvider provider(Environment({{"AWS_ACCESS_KEY_ID", "AKIDPARTIAL"}}));
  auto creds = provider.Get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(creds.error().message.find("AKIDPARTIAL"), std::string::npos);
}

}  // namespace
}  // namespace cordon::aws

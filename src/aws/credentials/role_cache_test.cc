#include "aws/credentials/role_cache.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "aws/credentials/test_util.h"

namespace cordon::aws {
namespace {

using testing::TempDir;

AssumeRoleRequest Request() {
  AssumeRoleRequest request;
  request.role_arn = "arn:aws:iam::123456789012:role/admin";
  request.serial_number = "arn:aws:iam::111111111111:mfa/alice";
  request.session_name = "botocore-session-1";
  request.token_code = "123456";
  return request;
}

TEST(RoleCacheTest, KeyIsBotocoresHashOfTheAssumeRoleArguments) {
  Environment env{{"HOME", "/home/u"}};
  // python3: sha1(json.dumps({"RoleArn": ..., "SerialNumber": ...}, sort_keys=True)); the default
  // session name and the code are left out.
  EXPECT_EQ(RoleCachePath(env, Request(), /*configured_session_name=*/false),
            "/home/u/.aws/cli/cache/3f2b2250ebbba6f0ad5c882b7f163f0cf59e1561.json");
  AssumeRoleRequest all;
  all.role_arn = "arn:r";
  all.serial_number = "arn:m";
  all.duration_seconds = 900;
  all.external_id = "x";
  all.session_name = "ir";
  EXPECT_EQ(RoleCachePath(env, all, /*configured_session_name=*/true),
            "/home/u/.aws/cli/cache/a03f824ac0ff526d4773aa0f216cafc9abcdeed3.json");
  EXPECT_EQ(RoleCachePath(Environment{}, all, true), "");
}

TEST(RoleCacheTest, StoredSessionIsReusedUntilItNearsExpiry) {
  TempDir dir;
  std::string path = (dir.path() / "cli/cache/k.json").string();
  TimePoint now = *ParseTimestamp("2024-03-01T12:00:00Z");
  Credentials creds{"ASIAMFA", "mfa-secret", "mfa-token", now + std::chrono::hours(1), "x"};
  ASSERT_TRUE(StoreCachedRole(path, creds));
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  auto cached = LoadCachedRole(path, now);
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->access_key_id, "ASIAMFA");
  EXPECT_EQ(cached->secret_access_key, "mfa-secret");
  EXPECT_EQ(cached->session_token, "mfa-token");
  EXPECT_EQ(cached->expiration, creds.expiration);
  EXPECT_FALSE(LoadCachedRole(path, now + std::chrono::minutes(46)));  // within 15 minutes of expiry
  EXPECT_FALSE(LoadCachedRole((dir.path() / "none.json").string(), now));
}

}  // namespace
}  // namespace cordon::aws

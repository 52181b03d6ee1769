#include "aws/credentials/shared_config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aws/credentials/test_util.h"

namespace cordon::aws {
namespace {

using testing::TempDir;

SharedConfig Parse(const std::string& config, const std::string& credentials) {
  auto parsed = ParseSharedConfig(config, "/h/.aws/config", credentials, "/h/.aws/credentials");
  EXPECT_TRUE(parsed) << parsed.error().message;
  return parsed ? *parsed : SharedConfig();
}

TEST(SharedConfigTest, ConfigUsesProfilePrefixAndCredentialsDoesNot) {
  SharedConfig config = Parse(
      "[default]\nregion = us-east-1\n"
      "[profile prod]\nregion = eu-west-1\n"
      "[staging]\nregion = not-a-profile\n",
      "[default]\naws_access_key_id = AKIDDEFAULT\n"
      "[ci]\naws_access_key_id = AKIDCI\n"
      "[profile odd]\naws_access_key_id = AKIDODD\n");
  EXPECT_EQ(config.Get("default", "region"), "us-east-1");
  EXPECT_EQ(config.Get("default", "aws_access_key_id"), "AKIDDEFAULT");
  EXPECT_EQ(config.Get("prod", "region"), "eu-west-1");
  EXPECT_EQ(config.Get("ci", "aws_access_key_id"), "AKIDCI");
  // In the config file a section without the prefix is not a profile; in the credentials file the
  // prefix is part of the name.
  EXPECT_EQ(config.Find("staging"), nullptr);
  EXPECT_NE(config.Find("profile odd"), nullptr);
  EXPECT_EQ(config.Find("odd"), nullptr);
}

TEST(SharedConfigTest, CredentialsFileWinsKeyByKey) {
  SharedConfig config = Parse("[profile p]\nregion = us-east-1\naws_access_key_id = FROMCONFIG\n",
                              "[p]\naws_access_key_id = FROMCREDENTIALS\n");
  EXPECT_EQ(config.Get("p", "aws_access_key_id"), "FROMCREDENTIALS");
  EXPECT_EQ(config.Get("p", "region"), "us-east-1");
  EXPECT_EQ(config.FindInConfigFile("p")->Get("aws_access_key_id"), "FROMCONFIG");
  EXPECT_EQ(config.FindInCredentialsFile("p")->Get("aws_access_key_id"), "FROMCREDENTIALS");
}

TEST(SharedConfigTest, SectionNamesAreSplitLikeAShell) {
  SharedConfig config = Parse(
      "[profile   spaced]\na = 1\n"
      "[profile \"my dev\"]\na = 2\n"
      "[profilex]\na = 3\n"
      "[ profile leading]\na = 4\n"
      "[profile too many words]\na = 5\n",
      "");
  EXPECT_EQ(config.Get("spaced", "a"), "1");
  EXPECT_EQ(config.Get("my dev", "a"), "2");
  EXPECT_EQ(config.ProfileNames(), (std::vector<std::string>{"my dev", "spaced"}));
}

TEST(SharedConfigTest, KeepsSsoSessionAndServicesSections) {
  SharedConfig config = Parse(
      "[profile dev]\nservices = local\nsso_session = corp\n"
      "[sso-session corp]\nsso_region = us-east-1\n"
      "[services local]\ns3 =\n  endpoint_url = http://localhost:4566\n",
      "");
  ASSERT_NE(config.FindSsoSession("corp"), nullptr);
  EXPECT_EQ(config.FindSsoSession("corp")->Get("sso_region"), "us-east-1");
  ASSERT_NE(config.FindServices("local"), nullptr);
  EXPECT_EQ(config.FindServices("local")->GetSub("s3", "endpoint_url"), "http://localhost:4566");
  EXPECT_EQ(config.Find("corp"), nullptr);
}

TEST(SharedConfigTest, KeysAreCaseInsensitiveProfileNamesAreNot) {
  SharedConfig config = Parse("[profile Prod]\nRegion = us-east-2\n", "");
  EXPECT_EQ(config.Get("Prod", "REGION"), "us-east-2");
  EXPECT_EQ(config.Find("prod"), nullptr);
}

TEST(SharedConfigTest, PathsComeFromVariablesOrHome) {
  Environment env({{"HOME", "/home/u"}});
  EXPECT_EQ(ConfigFilePath(env), "/home/u/.aws/config");
  EXPECT_EQ(CredentialsFilePath(env), "/home/u/.aws/credentials");
  env.Set("AWS_CONFIG_FILE", "~/alt/config");
  env.Set("AWS_SHARED_CREDENTIALS_FILE", "${HOME}/alt/$NAME-creds");
  env.Set("NAME", "ci");
  EXPECT_EQ(ConfigFilePath(env), "/home/u/alt/config");
  EXPECT_EQ(CredentialsFilePath(env), "/home/u/alt/ci-creds");
  EXPECT_EQ(ConfigFilePath(Environment()), "");
}

TEST(SharedConfigTest, LoadsFilesNamedByTheEnvironment) {
  TempDir dir;
  dir.Write(".aws/config", "[profile a]\nregion = ap-south-1\n");
  std::string credentials = dir.Write("creds", "[a]\naws_access_key_id = AKIDA\n");
  Environment env({{"HOME", dir.path()}, {"AWS_SHARED_CREDENTIALS_FILE", credentials}});
  auto config = LoadSharedConfig(env);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->Get("a", "region"), "ap-south-1");
  EXPECT_EQ(config->Get("a", "aws_access_key_id"), "AKIDA");
  EXPECT_EQ(config->config_path(), (dir.path() / ".aws/config").string());
}

TEST(SharedConfigTest, MissingFilesAreEmpty) {
  TempDir dir;
  auto config = LoadSharedConfig(Environment({{"HOME", dir.path()}}));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_TRUE(config->ProfileNames().empty());
}

TEST(SharedConfigTest, MalformedFileErrorNamesFileAndLine) {
  TempDir dir;
  std::string path = dir.Write("credentials", "[default]\naws_access_key_id = AKID\nAKIDSECRETVALUE\n");
  auto config = LoadSharedConfig(Environment({{"HOME", dir.path()}, {"AWS_SHARED_CREDENTIALS_FILE", path}}));
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(config.error().message.find(path + " line 3"), std::string::npos) << config.error().message;
  EXPECT_EQ(config.error().message.find("AKIDSECRETVALUE"), std::string::npos);
}

TEST(SharedConfigTest, UnreadableFileIsAnError) {
  TempDir dir;
  std::string path = dir.Write("config", "[default]\n");
  chmod(path.c_str(), 0);
  // Root reads any file; /proc/self/mem is a regular file whose first page cannot be read.
  if (geteuid() == 0) path = "/proc/self/mem";
  auto config = LoadSharedConfig(Environment({{"HOME", dir.path()}, {"AWS_CONFIG_FILE", path}}));
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().kind, ErrorKind::kIo);
}

TEST(SharedConfigTest, SelectsProfileFromFlagThenVariables) {
  Environment env({{"AWS_PROFILE", "from-profile"}});
  EXPECT_EQ(SelectProfile(env, std::nullopt).name, "from-profile");
  EXPECT_TRUE(SelectProfile(env, std::nullopt).named);
  EXPECT_FALSE(SelectProfile(env, std::nullopt).from_flag);
  env.Set("AWS_DEFAULT_PROFILE", "from-default");  // botocore reads this one first
  EXPECT_EQ(SelectProfile(env, std::nullopt).name, "from-default");
  ProfileSelection flag = SelectProfile(env, "cli");
  EXPECT_EQ(flag.name, "cli");
  EXPECT_TRUE(flag.from_flag);
  ProfileSelection none = SelectProfile(Environment(), std::nullopt);
  EXPECT_EQ(none.name, "default");
  EXPECT_FALSE(none.named);
}

TEST(EnvironmentTest, DistinguishesUnsetFromEmpty) {
  Environment env({{"EMPTY", ""}, {"FLAG", "TRUE"}});
  EXPECT_EQ(env.Get("EMPTY"), "");
  EXPECT_EQ(env.GetNonEmpty("EMPTY"), std::nullopt);
  EXPECT_EQ(env.Get("UNSET"), std::nullopt);
  EXPECT_TRUE(env.IsTrue("FLAG"));
  EXPECT_FALSE(env.IsTrue("EMPTY"));
  EXPECT_EQ(env.ToEnvp(), (std::vector<std::string>{"EMPTY=", "FLAG=TRUE"}));
}

TEST(EnvironmentTest, FromProcessSeesTheRealEnvironment) {
  // Read-only: the tests never change the real environment.
  const char* path = getenv("PATH");
  if (path == nullptr) GTEST_SKIP() << "PATH is not set";
  EXPECT_EQ(Environment::FromProcess().Get("PATH"), std::string(path));
}

}  // namespace
}  // namespace cordon::aws

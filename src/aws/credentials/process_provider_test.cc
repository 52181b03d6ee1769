#include "aws/credentials/process_provider.h"

#include <gtest/gtest.h>

#include "aws/credentials/test_util.h"

namespace cordon::aws {
namespace {

using testing::TempDir;

constexpr char kSecret[] = "SECRETwJalrXUtnFEMI";

TEST(ProcessProviderTest, RunsTheCommandThroughTheShell) {
  TempDir dir;
  std::string out = dir.Write(
      "creds.json", std::string(R"({"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": ")") +
                        kSecret + R"(", "SessionToken": "tok", "Expiration": "2030-05-06T07:08:09Z"})");
  ProcessProvider provider("cat '" + out + "' | cat", Environment({{"PATH", "/usr/bin:/bin"}}), "process:p");
  auto creds = provider.Get();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "AKIDPROC");
  EXPECT_EQ(creds->secret_access_key, kSecret);
  EXPECT_EQ(creds->session_token, "tok");
  EXPECT_EQ(creds->expiration, ParseTimestamp("2030-05-06T07:08:09Z"));
  EXPECT_EQ(creds->source, "process:p");
}

TEST(ProcessProviderTest, PrintfWithoutExpirationNeverExpires) {
  ProcessProvider provider(R"(printf '{"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"s"}')",
                           Environment(), "process:p");
  auto creds = provider.Get();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_FALSE(creds->expiration.has_value());
  EXPECT_EQ(creds->session_token, "");
}

TEST(ProcessProviderTest, CommandGetsTheGivenEnvironment) {
  ProcessProvider provider(R"(printf '{"Version":1,"AccessKeyId":"%s","SecretAccessKey":"s"}' "$HELPER_KEY")",
                           Environment({{"HELPER_KEY", "AKIDFROMENV"}}), "process:p");
  auto creds = provider.Get();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "AKIDFROMENV");
}

TEST(ProcessProviderTest, NonZeroExitReportsStatusAndStderrButNotStdout) {
  TempDir dir;
  std::string script = dir.Write("helper.sh", std::string("printf '{\"SecretAccessKey\": \"") + kSecret +
                                                  "\"}'\necho 'token expired, run login' >&2\nexit 3\n");
  ProcessProvider provider("sh '" + script + "'", Environment(), "process:p");
  auto creds = provider.Get();
  ASSERT_FALSE(creds);
  EXPECT_NE(creds.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(creds.error().message.find("status 3"), std::string::npos) << creds.error().message;
  EXPECT_NE(creds.error().message.find("token expired, run login"), std::string::npos);
  EXPECT_EQ(creds.error().message.find(kSecret), std::string::npos);
}

TEST(ProcessProviderTest, BadJsonIsAParseErrorWithoutTheOutput) {
  ProcessProvider provider(std::string("printf 'not json ") + kSecret + "'", Environment(), "process:p");
  auto creds = provider.Get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kParse);
  EXPECT_EQ(creds.error().message.find(kSecret), std::string::npos);
}

TEST(ProcessProviderTest, RejectsWrongVersionAndMissingKeys) {
  struct Case {
    const char* output;
    const char* expect;
  };
  const Case cases[] = {
      {R"({"AccessKeyId":"A","SecretAccessKey":"S"})", "Version"},
      {R"({"Version":2,"AccessKeyId":"A","SecretAccessKey":"S"})", "supported version is 1"},
      {R"({"Version":1,"SecretAccessKey":"SECRETwJalrXUtnFEMI"})", "AccessKeyId"},
      {R"({"Version":1,"AccessKeyId":"A","SecretAccessKey":"SECRETwJalrXUtnFEMI","Expiration":"soon"})",
       "Expiration"},
  };
  for (const Case& c : cases) {
    auto creds = ParseCredentialProcessOutput(c.output, "process:p");
    ASSERT_FALSE(creds) << c.output;
    EXPECT_EQ(creds.error().kind, ErrorKind::kParse);
    EXPECT_NE(creds.error().message.find(c.expect), std::string::npos) << creds.error().message;
    EXPECT_EQ(creds.error().message.find(kSecret), std::string::npos);
  }
}

TEST(ProcessProviderTest, KilledCommandIsAnError) {
  ProcessProvider provider("kill -9 $$", Environment(), "process:p");
  auto creds = provider.Get();
  ASSERT_FALSE(creds);
  EXPECT_NE(creds.error().message.find("signal 9"), std::string::npos) << creds.error().message;
}

// A hung helper (one waiting on a network that never answers) fails the run instead of hanging it.
TEST(ProcessProviderTest, HungCommandIsKilledAfterItsTimeout) {
  ProcessProvider provider(
      "exec sleep 600", Environment({{"PATH", "/usr/bin:/bin"}, {"CORDON_CREDENTIAL_PROCESS_TIMEOUT", "1s"}}),
      "process:p");
  auto creds = provider.Get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kIo);
  EXPECT_NE(creds.error().message.find("did not finish within 1 s"), std::string::npos)
      << creds.error().message;
  EXPECT_NE(creds.error().message.find("CORDON_CREDENTIAL_PROCESS_TIMEOUT"), std::string::npos);
}

TEST(ProcessProviderTest, BadTimeoutIsRefusedNamingTheVariable) {
  ProcessProvider provider("true", Environment({{"CORDON_CREDENTIAL_PROCESS_TIMEOUT", "soon"}}), "process:p");
  auto creds = provider.Get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(creds.error().message.find("CORDON_CREDENTIAL_PROCESS_TIMEOUT"), std::string::npos);
}

}  // namespace
}  // namespace cordon::aws

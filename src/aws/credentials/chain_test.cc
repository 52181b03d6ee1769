#include "aws/credentials/chain.h"

#include <gtest/gtest.h>

#include "aws/credentials/test_util.h"
#include "aws/errors/error_table.h"

namespace cordon::aws {
namespace {

using testing::ScriptedTransport;
using testing::TempDir;

constexpr char kContainerBody[] =
    R"({"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"s","Token":"t","Expiration":"2030-01-01T00:00:00Z"})";
constexpr char kImdsBody[] =
    R"({"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"s","Token":"t","Expiration":"2030-01-01T00:00:00Z"})";

std::shared_ptr<const SharedConfig> Config(const std::string& config, const std::string& credentials = "") {
  auto parsed = ParseSharedConfig(config, "/h/.aws/config", credentials, "/h/.aws/credentials");
  EXPECT_TRUE(parsed) << parsed.error().message;
  return std::make_shared<const SharedConfig>(parsed ? *parsed : SharedConfig());
}

class ChainTest : public ::testing::Test {
 protected:
  // Every source has credentials: environment, the default profile, the container endpoint, IMDS.
  ChainTest()
      : env_({{"AWS_ACCESS_KEY_ID", "AKIDENV"},
              {"AWS_SECRET_ACCESS_KEY", "s"},
              {"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds"}}),
        config_(Config("",
                       "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n"
                       "[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = s\n")) {}

  Result<Credentials> Resolve(std::optional<std::string> profile_flag = std::nullopt) {
    DefaultChainOptions options;
    options.env = env_;
    options.config = config_;
    options.profile_flag = std::move(profile_flag);
    options.sts = [this](const AssumeRoleRequest& request, const Credentials&) -> Result<Credentials> {
      sts_roles_.push_back(request.role_arn);
      Credentials creds;
      creds.access_key_id = "ASIASTS";
      creds.secret_access_key = "s";
      return creds;
    };
    options.metadata_transport = &transport_;
    options.clock = &clock_;
    auto chain = MakeDefaultCredentialsChain(options);
    if (!chain) return tl::unexpected(chain.error());
    return (*chain)->Get();
  }

  Environment env_;
  std::shared_ptr<const SharedConfig> config_;
  ScriptedTransport transport_;
  FakeClock clock_{TimePoint{}};
  std::vector<std::string> sts_roles_;
};

TEST_F(ChainTest, EnvironmentBeatsProfileBeatsContainerBeatsImds) {
  auto creds = Resolve();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "AKIDENV");

  env_.Unset("AWS_ACCESS_KEY_ID");
  creds = Resolve();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "AKIDPROFILE");
  EXPECT_TRUE(transport_.requests().empty());

  config_ = Config("");
  transport_.Reply(200, kContainerBody);
  creds = Resolve();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "ASIACONTAINER");
  ASSERT_EQ(transport_.requests().size(), 1u);
  EXPECT_EQ(transport_.requests()[0].url, "http://169.254.170.2/creds");

  env_.Unset("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  transport_.Reply(200, "imds-token");
  transport_.Reply(200, "instance-role");
  transport_.Reply(200, kImdsBody);
  creds = Resolve();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "ASIAIMDS");
  EXPECT_EQ(creds->source, "imds:instance-role");
}

TEST_F(ChainTest, ProfileFlagSkipsEnvironmentCredentials) {
  auto creds = Resolve("other");
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "AKIDOTHER");
}

TEST_F(ChainTest, ProfileVariableKeepsEnvironmentCredentialsFirst) {
  env_.Set("AWS_PROFILE", "other");
  auto creds = Resolve();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "AKIDENV");
}

TEST_F(ChainTest, NamedProfileThatDoesNotExistIsAnError) {
  env_.Set("AWS_PROFILE", "prod");
  auto creds = Resolve();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(creds.error().message.find("profile 'prod' not found in /h/.aws/config or /h/.aws/credentials"),
            std::string::npos)
      << creds.error().message;

  auto flagged = Resolve("othre");
  ASSERT_FALSE(flagged);
  EXPECT_NE(flagged.error().message.find("did you mean 'other'?"), std::string::npos)
      << flagged.error().message;
}

TEST_F(ChainTest, MissingDefaultProfileFallsThrough) {
  env_ = Environment();
  config_ = Config("");
  transport_.Reply(200, "imds-token");
  transport_.Reply(200, "instance-role");
  transport_.Reply(200, kImdsBody);
  auto creds = Resolve();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "ASIAIMDS");
}

TEST_F(ChainTest, BrokenProfileStopsTheChain) {
  env_.Unset("AWS_ACCESS_KEY_ID");
  config_ = Config("[default]\nrole_arn = arn:r\n");
  transport_.Reply(200, kContainerBody);
  auto creds = Resolve();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_TRUE(transport_.requests().empty());  // the container was never asked
}

TEST_F(ChainTest, NothingAnywhereListsWhatWasTried) {
  env_ = Environment();
  config_ = Config("");
  auto creds = Resolve();
  ASSERT_FALSE(creds);
  // Never kNotFound, which a target lookup would take for "no such instance" (issue 17).
  EXPECT_EQ(creds.error().kind, ErrorKind::kAccessDenied);
  EXPECT_EQ(creds.error().code, "NoCredentials");
  EXPECT_TRUE(aws::IsCredentialRejection(creds.error().code));
  for (const char* name : {"environment", "profile:default", "container", "imds", "aws sso login"})
    EXPECT_NE(creds.error().message.find(name), std::string::npos) << creds.error().message;
}

TEST_F(ChainTest, EnvironmentWebIdentityComesBeforeProfileKeysAsInBotocore) {
  TempDir dir;
  env_.Unset("AWS_ACCESS_KEY_ID");
  env_.Set("AWS_WEB_IDENTITY_TOKEN_FILE", dir.Write("token", "oidc"));
  env_.Set("AWS_ROLE_ARN", "arn:aws:iam::1:role/irsa");
  auto creds = Resolve();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(sts_roles_, std::vector<std::string>{"arn:aws:iam::1:role/irsa"});

  // With --profile the variables are ignored and the profile's keys are used.
  creds = Resolve("other");
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "AKIDOTHER");
}

TEST(ProviderChainTest, RemembersTheProviderThatAnswered) {
  struct Counting : CredentialsProvider {
    explicit Counting(bool has) : has(has) {}
    Result<Credentials> Get() override {
      ++calls;
      if (!has) return MakeError(ErrorKind::kNotFound, "nothing");
      Credentials creds;
      creds.access_key_id = "A";
      creds.secret_access_key = "S";
      return creds;
    }
    std::string Name() const override { return "counting"; }
    bool has;
    int calls = 0;
  };
  auto empty = std::make_shared<Counting>(false);
  auto full = std::make_shared<Counting>(true);
  ProviderChain chain({empty, full});
  ASSERT_TRUE(chain.Get());
  ASSERT_TRUE(chain.Get());
  EXPECT_EQ(empty->calls, 1);
  EXPECT_EQ(full->calls, 2);
}

}  // namespace
}  // namespace cordon::aws

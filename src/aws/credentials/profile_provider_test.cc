#include "aws/credentials/profile_provider.h"

#include <gtest/gtest.h>

#include "aws/credentials/env_provider.h"
#include "aws/credentials/test_util.h"

namespace cordon::aws {
namespace {

using testing::TempDir;

constexpr char kRoleSecret[] = "SECRETwJalrXUtnFEMIK7MDENG";

std::shared_ptr<const SharedConfig> Config(const std::string& config, const std::string& credentials = "") {
  auto parsed = ParseSharedConfig(config, "/h/.aws/config", credentials, "/h/.aws/credentials");
  EXPECT_TRUE(parsed) << parsed.error().message;
  return std::make_shared<const SharedConfig>(parsed ? *parsed : SharedConfig());
}

struct StsCall {
  AssumeRoleRequest request;
  Credentials source;
};

// A fake STS: records each call and returns credentials whose key id names the role assumed.
class FakeSts {
 public:
  StsCaller caller() {
    return [this](const AssumeRoleRequest& request, const Credentials& source) -> Result<Credentials> {
      calls.push_back({request, source});
      Credentials creds;
      creds.access_key_id = "ASIA:" + request.role_arn;
      creds.secret_access_key = "assumed-secret";
      creds.session_token = "assumed-token";
      creds.expiration = *ParseTimestamp("2030-01-01T00:00:00Z");
      return creds;
    };
  }
  std::vector<StsCall> calls;
};

class ProfileProviderTest : public ::testing::Test {
 protected:
  ProfileProviderOptions Options(std::shared_ptr<const SharedConfig> config, const std::string& profile) {
    ProfileProviderOptions options;
    options.config = std::move(config);
    options.profile = profile;
    options.sts = sts_.caller();
    options.sts_region = "eu-central-1";
    options.clock = &clock_;
    return options;
  }
  Result<Credentials> Resolve(std::shared_ptr<const SharedConfig> config, const std::string& profile) {
    return ProfileProvider(Options(std::move(config), profile)).Get();
  }

  FakeSts sts_;
  FakeClock clock_{*ParseTimestamp("2024-03-01T12:00:00Z")};
};

TEST_F(ProfileProviderTest, StaticKeysFromCredentialsFile) {
  auto creds = Resolve(Config("[profile dev]\nregion = us-east-1\n",
                              std::string("[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = ") +
                                  kRoleSecret + "\naws_session_token = tok\n"),
                       "dev");
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "AKIDDEV");
  EXPECT_EQ(creds->secret_access_key, kRoleSecret);
  EXPECT_EQ(creds->session_token, "tok");
  EXPECT_EQ(creds->source, "profile:dev");
}

TEST_F(ProfileProviderTest, SourceProfileChainAssumesRolesInOrder) {
  auto config = Config(
      "[profile admin]\n"
      "role_arn = arn:aws:iam::333:role/admin\n"
      "source_profile = jump\n"
      "external_id = ext-admin\n"
      "role_session_name = responder\n"
      "duration_seconds = 900\n"
      "[profile jump]\n"
      "role_arn = arn:aws:iam::222:role/jump\n"
      "source_profile = base\n",
      std::string("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = ") + kRoleSecret + "\n");
  auto creds = Resolve(config, "admin");
  ASSERT_TRUE(creds) << creds.error().message;

  ASSERT_EQ(sts_.calls.size(), 2u);
  // First the inner role, signed with the base profile's static keys...
  EXPECT_EQ(sts_.calls[0].request.role_arn, "arn:aws:iam::222:role/jump");
  EXPECT_EQ(sts_.calls[0].source.access_key_id, "AKIDBASE");
  EXPECT_EQ(sts_.calls[0].request.external_id, "");
  EXPECT_EQ(sts_.calls[0].request.session_name, "botocore-session-1709294400");
  EXPECT_EQ(sts_.calls[0].request.duration_seconds, 0);
  // ...then the outer role, signed with what the first call returned.
  EXPECT_EQ(sts_.calls[1].request.role_arn, "arn:aws:iam::333:role/admin");
  EXPECT_EQ(sts_.calls[1].source.access_key_id, "ASIA:arn:aws:iam::222:role/jump");
  EXPECT_EQ(sts_.calls[1].request.external_id, "ext-admin");
  EXPECT_EQ(sts_.calls[1].request.session_name, "responder");
  EXPECT_EQ(sts_.calls[1].request.duration_seconds, 900);
  EXPECT_EQ(sts_.calls[1].request.region, "eu-central-1");

  EXPECT_EQ(creds->access_key_id, "ASIA:arn:aws:iam::333:role/admin");
  EXPECT_EQ(creds->source, "profile:admin (assumed role arn:aws:iam::333:role/admin)");
}

TEST_F(ProfileProviderTest, SourceProfileCycleIsDetected) {
  auto config = Config(
      "[profile a]\nrole_arn = arn:a\nsource_profile = b\n"
      "[profile b]\nrole_arn = arn:b\nsource_profile = c\n"
      "[profile c]\nrole_arn = arn:c\nsource_profile = a\n");
  auto creds = Resolve(config, "a");
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(creds.error().message.find("'a' -> 'b' -> 'c' -> 'a'"), std::string::npos)
      << creds.error().message;
  EXPECT_TRUE(sts_.calls.empty());
}

TEST_F(ProfileProviderTest, SelfReferenceWithoutKeysIsACycle) {
  auto creds = Resolve(Config("[profile a]\nrole_arn = arn:a\nsource_profile = a\n"), "a");
  ASSERT_FALSE(creds);
  EXPECT_NE(creds.error().message.find("cycle"), std::string::npos);
}

TEST_F(ProfileProviderTest, SelfReferenceWithStaticKeysAssumesTheRole) {
  auto creds = Resolve(Config("[profile a]\nrole_arn = arn:a\nsource_profile = a\n"
                              "aws_access_key_id = AKIDSELF\naws_secret_access_key = s\n"),
                       "a");
  ASSERT_TRUE(creds) << creds.error().message;
  ASSERT_EQ(sts_.calls.size(), 1u);
  EXPECT_EQ(sts_.calls[0].source.access_key_id, "AKIDSELF");
}

TEST_F(ProfileProviderTest, OverlongChainIsRefused) {
  std::string text;
  for (int i = 0; i < kMaxRoleChainDepth + 2; ++i)
    text += "[profile p" + std::to_string(i) + "]\nrole_arn = arn:" + std::to_string(i) +
            "\nsource_profile = p" + std::to_string(i + 1) + "\n";
  text += "[profile p" + std::to_string(kMaxRoleChainDepth + 2) +
          "]\naws_access_key_id = A\naws_secret_access_key = S\n";
  auto creds = Resolve(Config(text), "p0");
  ASSERT_FALSE(creds);
  EXPECT_NE(creds.error().message.find("longer than"), std::string::npos) << creds.error().message;
}

TEST_F(ProfileProviderTest, CredentialSourceEnvironment) {
  auto options =
      Options(Config("[profile ops]\nrole_arn = arn:ops\ncredential_source = Environment\n"), "ops");
  options.sources.environment = std::make_shared<EnvProvider>(
      Environment({{"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", "s"}}));
  auto creds = ProfileProvider(options).Get();
  ASSERT_TRUE(creds) << creds.error().message;
  ASSERT_EQ(sts_.calls.size(), 1u);
  EXPECT_EQ(sts_.calls[0].source.access_key_id, "AKIDENV");
  EXPECT_EQ(sts_.calls[0].request.role_arn, "arn:ops");
}

TEST_F(ProfileProviderTest, CredentialSourceWithNothingStopsTheChain) {
  auto options =
      Options(Config("[profile ops]\nrole_arn = arn:ops\ncredential_source = environment\n"), "ops");
  options.sources.environment = std::make_shared<EnvProvider>(Environment());
  auto creds = ProfileProvider(options).Get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_TRUE(sts_.calls.empty());
}

TEST_F(ProfileProviderTest, InconsistentRoleProfilesAreRefused) {
  struct Case {
    const char* config;
    const char* expect;
  };
  const Case cases[] = {
      {"[profile p]\nrole_arn = arn:p\n", "neither source_profile nor credential_source"},
      {"[profile p]\nrole_arn = arn:p\nsource_profile = q\ncredential_source = Environment\n", "both"},
      {"[profile p]\nrole_arn = arn:p\nsource_profile = missing\n", "'missing'"},
      {"[profile p]\nrole_arn = arn:p\ncredential_source = Ec2Config\n", "not valid"},
      {"[profile p]\nrole_arn = arn:p\nsource_profile = q\n[profile q]\nregion = x\n", "has no credentials"},
      {"[profile p]\nrole_arn = arn:p\nsource_profile = q\nduration_seconds = 1h\n"
       "[profile q]\naws_access_key_id = A\naws_secret_access_key = S\n",
       "duration_seconds"},
  };
  for (const Case& c : cases) {
    auto creds = Resolve(Config(c.config), "p");
    ASSERT_FALSE(creds) << c.config;
    EXPECT_EQ(creds.error().kind, ErrorKind::kInvalidArgument) << c.config;
    EXPECT_NE(creds.error().message.find(c.expect), std::string::npos) << creds.error().message;
  }
}

TEST_F(ProfileProviderTest, MfaProfileSendsSerialAndCodeAndReusesTheCachedSession) {
  TempDir home;
  auto config = Config(
      "[profile p]\nrole_arn = arn:p\nsource_profile = q\nmfa_serial = arn:mfa\n"
      "[profile q]\naws_access_key_id = A\naws_secret_access_key = S\n");
  auto options = Options(config, "p");
  options.env.Set("HOME", home.path().string());
  int asked = 0;
  options.mfa_code = [&asked](const std::string& profile, const std::string& serial) -> Result<std::string> {
    ++asked;
    EXPECT_EQ(profile, "p");
    EXPECT_EQ(serial, "arn:mfa");
    return std::string("123456\n");
  };
  auto creds = ProfileProvider(options).Get();
  ASSERT_TRUE(creds) << creds.error().message;
  ASSERT_EQ(sts_.calls.size(), 1u);
  EXPECT_EQ(sts_.calls[0].request.serial_number, "arn:mfa");
  EXPECT_EQ(sts_.calls[0].request.token_code, "123456");

  auto again = ProfileProvider(options).Get();  // a second run: from ~/.aws/cli/cache
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->access_key_id, creds->access_key_id);
  EXPECT_EQ(sts_.calls.size(), 1u);
  EXPECT_EQ(asked, 1);
}

TEST_F(ProfileProviderTest, MfaProfileWithoutACodeReaderIsRefusedClearly) {
  auto creds = Resolve(Config("[profile p]\nrole_arn = arn:p\nsource_profile = q\nmfa_serial = arn:mfa\n"
                              "[profile q]\naws_access_key_id = A\naws_secret_access_key = S\n"),
                       "p");
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(creds.error().message.find("MFA"), std::string::npos);
  EXPECT_TRUE(sts_.calls.empty());
}

TEST_F(ProfileProviderTest, CredentialsFileKeysBeatProcessWhichBeatsConfigKeys) {
  std::string process = R"(printf '{"Version":1,"AccessKeyId":"AKIDPROCESS","SecretAccessKey":"s"}')";
  auto config_keys = Config("[profile p]\ncredential_process = " + process +
                            "\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = s\n");
  auto creds = Resolve(config_keys, "p");
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "AKIDPROCESS");
  EXPECT_EQ(creds->source, "process:p");

  auto both = Config("[profile p]\ncredential_process = " + process + "\n",
                     "[p]\naws_access_key_id = AKIDCREDENTIALS\naws_secret_access_key = s\n");
  creds = Resolve(both, "p");
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "AKIDCREDENTIALS");
}

TEST_F(ProfileProviderTest, WebIdentityProfileIsNotAssumedWithAssumeRole) {
  TempDir dir;
  std::string token = dir.Write("token", "oidc");
  auto creds = Resolve(Config("[profile w]\nrole_arn = arn:w\nweb_identity_token_file = " + token +
                              "\nsource_profile = nonexistent\n"),
                       "w");
  ASSERT_TRUE(creds) << creds.error().message;
  ASSERT_EQ(sts_.calls.size(), 1u);
  EXPECT_EQ(sts_.calls[0].request.web_identity_token, "oidc");
  EXPECT_TRUE(sts_.calls[0].source.empty());
}

TEST_F(ProfileProviderTest, SourceProfileWithWebIdentityFeedsTheRole) {
  TempDir dir;
  std::string token = dir.Write("token", "oidc");
  auto config = Config(
      "[profile target]\nrole_arn = arn:target\nsource_profile = pod\n"
      "[profile pod]\nrole_arn = arn:pod\nweb_identity_token_file = " +
      token + "\n");
  auto creds = Resolve(config, "target");
  ASSERT_TRUE(creds) << creds.error().message;
  ASSERT_EQ(sts_.calls.size(), 2u);
  EXPECT_EQ(sts_.calls[0].request.role_arn, "arn:pod");
  EXPECT_EQ(sts_.calls[0].request.web_identity_token, "oidc");
  EXPECT_EQ(sts_.calls[1].request.role_arn, "arn:target");
  EXPECT_EQ(sts_.calls[1].source.access_key_id, "ASIA:arn:pod");
}

TEST_F(ProfileProviderTest, PartialStaticKeysAreAnErrorWithoutTheKey) {
  auto creds = Resolve(Config("", "[p]\naws_access_key_id = AKIDPARTIALKEY\n"), "p");
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(creds.error().message.find("AKIDPARTIALKEY"), std::string::npos);
}

TEST_F(ProfileProviderTest, SsoProfileTradesTheCachedTokenForRoleCredentials) {
  TempDir home;
  auto options = Options(Config("[profile s]\nsso_session = corp\nsso_account_id = 123456789012\n"
                                "sso_role_name = IR\n[sso-session corp]\nsso_region = us-east-1\n"
                                "sso_start_url = https://corp.awsapps.com/start\n"),
                         "s");
  options.env.Set("HOME", home.path().string());
  home.Write(".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json",
             R"({"accessToken": "tok", "expiresAt": "2024-03-01T18:00:00Z"})");
  std::vector<SsoRoleRequest> calls;
  options.sso.get_role_credentials = [&calls](const SsoRoleRequest& request) -> Result<Credentials> {
    calls.push_back(request);
    return Credentials{"ASIASSO", "s", "t", std::nullopt, ""};
  };
  auto creds = ProfileProvider(options).Get();
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "ASIASSO");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].access_token, "tok");
  EXPECT_EQ(calls[0].role_name, "IR");

  auto incomplete =
      Resolve(Config("[profile s]\nsso_session = corp\n[sso-session corp]\nsso_region = x\n"), "s");
  ASSERT_FALSE(incomplete);
  EXPECT_EQ(incomplete.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(incomplete.error().message.find("sso_account_id"), std::string::npos);
}

TEST_F(ProfileProviderTest, MissingOrEmptyProfileIsNotFound) {
  auto config = Config("[profile empty]\nregion = us-east-1\n");
  auto missing = Resolve(config, "default");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
  auto empty = Resolve(config, "empty");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().kind, ErrorKind::kNotFound);
}

TEST_F(ProfileProviderTest, StsFailureNamesRoleAndProfileButNoSecrets) {
  auto options = Options(
      Config("[profile p]\nrole_arn = arn:p\nsource_profile = q\n",
             std::string("[q]\naws_access_key_id = AKIDQ\naws_secret_access_key = ") + kRoleSecret + "\n"),
      "p");
  options.sts = [](const AssumeRoleRequest&, const Credentials&) -> Result<Credentials> {
    Error error{ErrorKind::kAccessDenied, "not authorized to perform sts:AssumeRole", "AccessDenied", 403,
                "req-1"};
    return MakeError(error);
  };
  auto creds = ProfileProvider(options).Get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kAccessDenied);
  EXPECT_EQ(creds.error().request_id, "req-1");
  EXPECT_NE(creds.error().message.find("arn:p"), std::string::npos);
  EXPECT_EQ(creds.error().ToString().find(kRoleSecret), std::string::npos);
}

}  // namespace
}  // namespace cordon::aws

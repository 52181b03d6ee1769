// Every stage of header and query signing, byte for byte, against every v4 case of the aws-c-auth
// signing test suite (tests/data/sigv4/PROVENANCE.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "aws/sigv4/canonical_request.h"
#include "aws/sigv4/presign.h"
#include "aws/sigv4/raw_request_for_test.h"
#include "aws/sigv4/signer.h"
#include "aws/sigv4/signing_key.h"
#include "aws/sigv4/string_to_sign.h"
#include "base/json.h"
#include "testing/test_paths.h"

namespace cordon::aws::sigv4 {
namespace {

namespace fs = std::filesystem;
using test_util::DescribeDifference;
using test_util::ReadFileBytes;

// The number of v4 cases PROVENANCE.md lists; a smaller count means cases went missing.
constexpr size_t kExpectedCaseCount = 38;

constexpr const char* kCaseFiles[] = {
    "context.json",
    "request.txt",
    "header-canonical-request.txt",
    "header-string-to-sign.txt",
    "header-signature.txt",
    "header-signed-request.txt",
    "query-canonical-request.txt",
    "query-string-to-sign.txt",
    "query-signature.txt",
    "query-signed-request.txt",
};

fs::path SuiteDir() {
  return fs::path(::cordon::test::TestDataDir()) / "sigv4/aws-c-auth/tests/aws-signing-test-suite/v4";
}

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(SuiteDir(), ec)) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

struct SuiteCase {
  Credentials creds;
  SigningParams params;
  HttpRequest request;
};

// Reads context.json and request.txt of one case; on failure returns why in *error.
std::optional<SuiteCase> LoadCase(const fs::path& dir, std::string* error) {
  std::optional<std::string> context_text = ReadFileBytes((dir / "context.json").string());
  std::optional<std::string> request_text = ReadFileBytes((dir / "request.txt").string());
  if (!context_text || !request_text) {
    *error = "cannot read context.json or request.txt";
    return std::nullopt;
  }
  Json context = Json::parse(*context_text, nullptr, /*allow_exceptions=*/false);
  if (context.is_discarded() || !context.contains("credentials") || !context.contains("timestamp")) {
    *error = "context.json is not the expected JSON object";
    return std::nullopt;
  }
  SuiteCase out;
  const Json& credentials = context["credentials"];
  out.creds.access_key_id = credentials.value("access_key_id", "");
  out.creds.secret_access_key = credentials.value("secret_access_key", "");
  out.creds.session_token = credentials.value("token", "");
  out.params.region = context.value("region", "");
  out.params.service = context.value("service", "");
  std::optional<TimePoint> time = ParseTimestamp(context.value("timestamp", ""));
  if (!time) {
    *error = "context.json has an unreadable timestamp";
    return std::nullopt;
  }
  out.params.time = *time;
  out.params.normalize_path = context.value("normalize", true);
  out.params.double_encode_path = true;  // the suite signs for a generic (non-S3) service
  out.params.sign_body = context.value("sign_body", false);
  out.params.omit_session_token = context.value("omit_session_token", false);
  out.params.expires = std::chrono::seconds(context.value("expiration_in_seconds", 3600));

  std::optional<test_util::RawRequest> raw = test_util::ParseRawRequest(*request_text);
  std::optional<HttpRequest> request = raw ? test_util::ToHttpRequest(*raw) : std::nullopt;
  if (!request) {
    *error = "request.txt is not a request with a Host header";
    return std::nullopt;
  }
  out.request = std::move(*request);
  return out;
}

TEST(AwsCAuthSuite, FindsEveryCase) {
  std::vector<std::string> names = CaseNames();
  EXPECT_EQ(names.size(), kExpectedCaseCount) << "in " << SuiteDir();
}

class AwsCAuthSuiteTest : public ::testing::TestWithParam<std::string> {};

TEST_P(AwsCAuthSuiteTest, MatchesEveryStage) {
  const fs::path dir = SuiteDir() / GetParam();
  for (const char* file : kCaseFiles) {
    ASSERT_TRUE(fs::is_regular_file(dir / file)) << "missing " << (dir / file);
  }
  std::string error;
  std::optional<SuiteCase> c = LoadCase(dir, &error);
  ASSERT_TRUE(c.has_value()) << dir << ": " << error;
  const SigningParams& p = c->params;
  auto expect_file = [&](const char* file, const std::string& actual) {
    std::string expected = *ReadFileBytes((dir / file).string());
    std::string difference = DescribeDifference(actual, expected, c->creds);
    EXPECT_TRUE(difference.empty()) << GetParam() << "/" << file << ": " << difference;
  };
  const std::string key = SigningKey(c->creds.secret_access_key, p);

  // Header signing, stage by stage, then as a whole.
  HttpRequest with_headers = c->request;
  AddSigningHeaders(&with_headers, c->creds, p);
  std::string signed_headers;
  std::string canonical = CanonicalRequest(with_headers, p, &signed_headers);
  expect_file("header-canonical-request.txt", canonical);
  std::string string_to_sign = StringToSign(canonical, p);
  expect_file("header-string-to-sign.txt", string_to_sign);
  expect_file("header-signature.txt", Signature(key, string_to_sign));
  HttpRequest signed_request = c->request;
  ASSERT_TRUE(SignRequest(&signed_request, c->creds, p).has_value());
  expect_file("header-signed-request.txt", test_util::WriteRawRequest(signed_request));

  // Query signing (presigned URL), stage by stage, then as a whole.
  std::string query_canonical = QueryCanonicalRequest(c->request, c->creds, p);
  expect_file("query-canonical-request.txt", query_canonical);
  std::string query_string_to_sign = StringToSign(query_canonical, p);
  expect_file("query-string-to-sign.txt", query_string_to_sign);
  expect_file("query-signature.txt", Signature(key, query_string_to_sign));
  Result<std::string> url = PresignUrl(c->request, c->creds, p);
  ASSERT_TRUE(url.has_value()) << url.error().ToString();
  HttpRequest presigned = c->request;
  presigned.url = *url;
  expect_file("query-signed-request.txt", test_util::WriteRawRequest(presigned));
}

// gtest names allow only letters, digits and '_'.
std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(V4, AwsCAuthSuiteTest, ::testing::ValuesIn(CaseNames()), TestName);

}  // namespace
}  // namespace cordon::aws::sigv4

// The four stages against the legacy 2015 AWS SigV4 test suite (as kept in mhart/aws4): .req in,
// .creq, .sts, .authz and .sreq out. Its requests already carry X-Amz-Date (and, for
// post-sts-header-before, X-Amz-Security-Token), so they are signed as they stand; for
// post-sts-header-after the token is sent but not signed (omit_session_token). See
// tests/data/sigv4/PROVENANCE.md, section 2.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "aws/sigv4/canonical_request.h"
#include "aws/sigv4/raw_request_for_test.h"
#include "aws/sigv4/signer.h"
#include "aws/sigv4/signing_key.h"
#include "aws/sigv4/string_to_sign.h"
#include "base/strings.h"
#include "testing/test_paths.h"

namespace cordon::aws::sigv4 {
namespace {

namespace fs = std::filesystem;
using test_util::DescribeDifference;
using test_util::ReadFileBytes;

constexpr size_t kMhartCaseCount = 31;  // PROVENANCE.md: 31 of each file type

// Cases where the legacy files disagree with aws-c-auth, which current SDK signers follow. For these
// the test checks that the disagreement is still there (so this list cannot go stale silently).
constexpr struct {
  std::string_view name;
  std::string_view reason;
} kKnownDivergences[] = {
    {"get-header-value-multiline",
     "the legacy suite joins folded header lines with ','; aws-c-auth and the SDKs join them with ' '"},
};

fs::path MhartSuiteDir() {
  return fs::path(::cordon::test::TestDataDir()) / "sigv4/mhart-aws4/test/aws-sig-v4-test-suite";
}

// Case folders relative to the suite: every folder holding "<folder name>.req".
std::vector<std::string> MhartCaseNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(MhartSuiteDir(), ec)) {
    if (!entry.is_directory()) continue;
    fs::path req = entry.path() / (entry.path().filename().string() + ".req");
    if (fs::is_regular_file(req))
      names.push_back(fs::relative(entry.path(), MhartSuiteDir()).generic_string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The cases under post-sts-token/ use the session token that its readme.txt ends with.
Credentials SuiteCredentials() {
  Credentials creds;
  creds.access_key_id = "AKIDEXAMPLE";
  creds.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  std::string readme = ReadFileBytes((MhartSuiteDir() / "post-sts-token/readme.txt").string()).value_or("");
  size_t last_line = Trim(readme).rfind('\n');
  creds.session_token =
      std::string(Trim(Trim(readme).substr(last_line == std::string_view::npos ? 0 : last_line)));
  return creds;
}

SigningParams SuiteParams() {
  SigningParams p;
  p.region = "us-east-1";
  p.service = "service";
  p.time = *ParseTimestamp("2015-08-30T12:36:00Z");
  return p;
}

TEST(MhartSuite, FindsEveryCase) {
  EXPECT_EQ(MhartCaseNames().size(), kMhartCaseCount) << "in " << MhartSuiteDir();
}

class MhartSuiteTest : public ::testing::TestWithParam<std::string> {};

TEST_P(MhartSuiteTest, MatchesEveryStage) {
  const fs::path dir = MhartSuiteDir() / GetParam();
  const std::string base = (dir / dir.filename()).string();
  for (const char* ext : {".req", ".creq", ".sts", ".authz", ".sreq"}) {
    ASSERT_TRUE(fs::is_regular_file(base + ext)) << "missing " << base << ext;
  }
  std::string request_text = *ReadFileBytes(base + ".req");
  std::optional<test_util::RawRequest> raw = test_util::ParseRawRequest(request_text);
  ASSERT_TRUE(raw.has_value()) << base << ".req does not parse";
  std::optional<HttpRequest> request = test_util::ToHttpRequest(*raw);
  ASSERT_TRUE(request.has_value()) << base << ".req has no Host header";

  const Credentials creds = SuiteCredentials();
  ASSERT_FALSE(creds.session_token.empty()) << "no session token in post-sts-token/readme.txt";
  SigningParams p = SuiteParams();
  const std::string name = dir.filename().string();
  // "The X-Amz-Security-Token header is added to the request after you calculate the signature."
  std::string added_after_signing;
  if (name == "post-sts-header-after") {
    p.omit_session_token = true;
    request->headers.Add("X-Amz-Security-Token", creds.session_token);
    added_after_signing = "\nX-Amz-Security-Token:" + creds.session_token;
  }
  std::string signed_headers;
  std::string canonical = CanonicalRequest(*request, p, &signed_headers);
  std::string string_to_sign = StringToSign(canonical, p);
  std::string signature = Signature(SigningKey(creds.secret_access_key, p), string_to_sign);
  std::string authorization = AuthorizationValue(creds.access_key_id, p, signed_headers, signature);
  // .sreq is the .req with the headers added after signing and "Authorization: <value>" last.
  size_t head_end = std::min(request_text.find("\n\n"), request_text.size());
  std::string signed_request = request_text.substr(0, head_end) + added_after_signing +
                               "\nAuthorization: " + authorization + request_text.substr(head_end);

  auto divergence = std::find_if(std::begin(kKnownDivergences), std::end(kKnownDivergences),
                                 [&](const auto& d) { return d.name == name; });
  if (divergence != std::end(kKnownDivergences)) {
    EXPECT_NE(canonical, *ReadFileBytes(base + ".creq"))
        << name << " now matches the legacy suite; remove it from kKnownDivergences (" << divergence->reason
        << ")";
    return;
  }
  auto expect_file = [&](const char* ext, const std::string& actual) {
    std::string difference = DescribeDifference(actual, *ReadFileBytes(base + ext), creds);
    EXPECT_TRUE(difference.empty()) << GetParam() << ext << ": " << difference;
  };
  expect_file(".creq", canonical);
  expect_file(".sts", string_to_sign);
  expect_file(".authz", authorization);
  expect_file(".sreq", signed_request);
}

std::string MhartTestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Legacy, MhartSuiteTest, ::testing::ValuesIn(MhartCaseNames()), MhartTestName);

}  // namespace
}  // namespace cordon::aws::sigv4

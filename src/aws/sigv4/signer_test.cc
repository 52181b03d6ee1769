// Header signing as a whole: S3 examples, re-signing, and refusals. The suites cover the generic cases.
#include "aws/sigv4/signer.h"

#include <gtest/gtest.h>

#include "aws/sigv4/raw_request_for_test.h"
#include "testing/s3_doc_credentials.h"

namespace cordon::aws::sigv4 {
namespace {

Credentials SessionCredentials() {
  Credentials creds;
  creds.access_key_id = "AKIDEXAMPLE";
  creds.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  creds.session_token = "TOKEN/with+chars=";
  return creds;
}

SigningParams S3Params(std::string region) {
  SigningParams p;
  p.region = std::move(region);
  p.service = "s3";
  p.time = *ParseTimestamp("2013-05-24T00:00:00Z");
  p.normalize_path = false;
  p.double_encode_path = false;
  p.sign_body = true;
  return p;
}

SigningParams GenericParams() {
  SigningParams p;
  p.region = "us-east-1";
  p.service = "service";
  p.time = *ParseTimestamp("2015-08-30T12:36:00Z");
  return p;
}

size_t CountHeaders(const HttpRequest& req, std::string_view name) {
  size_t n = 0;
  for (const auto& [k, v] : req.headers.entries) n += EqualsIgnoreCase(k, name) ? 1 : 0;
  return n;
}

// S3 API Reference, "Signature Calculations for the Authorization Header: Transferring Payload in a
// Single Chunk", example "GET Object".
TEST(SignRequest, MatchesTheS3GetObjectExample) {
  HttpRequest req;
  req.url = "https://examplebucket.s3.amazonaws.com/test.txt";
  req.headers.Add("Range", "bytes=0-9");
  ASSERT_TRUE(SignRequest(&req, test::S3DocCredentials(), S3Params("us-east-1")).has_value());
  ASSERT_NE(req.headers.Find("Authorization"), nullptr);
  EXPECT_EQ(*req.headers.Find("Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  EXPECT_EQ(*req.headers.Find("Host"), "examplebucket.s3.amazonaws.com");
  EXPECT_EQ(*req.headers.Find("x-amz-content-sha256"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// S3 style: the path is signed as sent (no normalization, no second encoding) and the payload is
// UNSIGNED-PAYLOAD. Expected value from botocore 1.43.11 S3SigV4Auth with payload signing disabled.
TEST(SignRequest, SignsS3PathsAsSentWithUnsignedPayload) {
  HttpRequest req;
  req.method = "PUT";
  req.url =
      "https://bucket.s3.us-west-2.amazonaws.com/my-object//example/../photo%20one.user"
      "?partNumber=2&uploadId=a%2Bb";
  req.body = "hello";
  SigningParams p = S3Params("us-west-2");
  p.payload_hash = kUnsignedPayload;
  ASSERT_TRUE(SignRequest(&req, SessionCredentials(), p).has_value());
  EXPECT_EQ(*req.headers.Find("x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
  EXPECT_EQ(*req.headers.Find("X-Amz-Security-Token"), "TOKEN/with+chars=");
  EXPECT_EQ(*req.headers.Find("Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20130524/us-west-2/s3/aws4_request, "
            "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, "
            "Signature=9c4d0eb403d2568b92224bab8cfad1cde00cb465b55b28b76fa83a4da9329faa");
}

TEST(SignRequest, SigningAgainReplacesTheEarlierSignature) {
  HttpRequest fresh;
  fresh.url = "https://example.amazonaws.com/";
  HttpRequest resigned = fresh;
  SigningParams later = GenericParams();
  later.time += std::chrono::minutes(5);
  later.sign_body = true;

  ASSERT_TRUE(SignRequest(&resigned, SessionCredentials(), GenericParams()).has_value());
  ASSERT_TRUE(SignRequest(&resigned, SessionCredentials(), later).has_value());
  ASSERT_TRUE(SignRequest(&fresh, SessionCredentials(), later).has_value());
  EXPECT_EQ(test_util::WriteRawRequest(resigned), test_util::WriteRawRequest(fresh));
  for (const char* name :
       {"Host", "X-Amz-Date", "X-Amz-Security-Token", "x-amz-content-sha256", "Authorization"}) {
    EXPECT_EQ(CountHeaders(resigned, name), 1u) << name;
  }
}

TEST(SignRequest, DropsASessionTokenTheCredentialsNoLongerHave) {
  HttpRequest req;
  req.url = "https://example.amazonaws.com/";
  ASSERT_TRUE(SignRequest(&req, SessionCredentials(), GenericParams()).has_value());
  Credentials long_term = SessionCredentials();
  long_term.session_token.clear();
  ASSERT_TRUE(SignRequest(&req, long_term, GenericParams()).has_value());
  EXPECT_EQ(req.headers.Find("X-Amz-Security-Token"), nullptr);
  EXPECT_EQ(req.headers.Find("Authorization")->find("x-amz-security-token"), std::string::npos);
}

TEST(SignRequest, SendsButDoesNotSignAnOmittedSessionToken) {
  HttpRequest req;
  req.url = "https://example.amazonaws.com/";
  SigningParams p = GenericParams();
  p.omit_session_token = true;
  ASSERT_TRUE(SignRequest(&req, SessionCredentials(), p).has_value());
  EXPECT_EQ(*req.headers.Find("X-Amz-Security-Token"), "TOKEN/with+chars=");
  EXPECT_NE(req.headers.Find("Authorization")->find("SignedHeaders=host;x-amz-date,"), std::string::npos);
}

TEST(SignRequest, AddsHostWithNonDefaultPort) {
  HttpRequest req;
  req.url = "http://127.0.0.1:5000/?Action=DescribeInstances";
  ASSERT_TRUE(SignRequest(&req, SessionCredentials(), GenericParams()).has_value());
  EXPECT_EQ(*req.headers.Find("Host"), "127.0.0.1:5000");
}

TEST(SignRequest, KeepsAHostHeaderAlreadySet) {
  HttpRequest req;
  req.url = "http://127.0.0.1:5000/";
  req.headers.Add("host", "ec2.us-east-1.amazonaws.com");
  ASSERT_TRUE(SignRequest(&req, SessionCredentials(), GenericParams()).has_value());
  EXPECT_EQ(CountHeaders(req, "Host"), 1u);
  EXPECT_EQ(*req.headers.Find("Host"), "ec2.us-east-1.amazonaws.com");
}

TEST(SignRequest, RefusesWhatItCannotSignAndLeavesTheRequestAlone) {
  HttpRequest req;
  req.url = "https://example.amazonaws.com/";
  const HttpRequest original = req;

  Credentials no_secret = SessionCredentials();
  no_secret.secret_access_key.clear();
  Status s = SignRequest(&req, no_secret, GenericParams());
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().kind, ErrorKind::kInvalidArgument);

  SigningParams no_region = GenericParams();
  no_region.region.clear();
  EXPECT_FALSE(SignRequest(&req, SessionCredentials(), no_region).has_value());

  HttpRequest relative;
  relative.url = "/path?X-Amz-Security-Token=TOKEN";
  s = SignRequest(&relative, SessionCredentials(), GenericParams());
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(s.error().message.find("TOKEN"), std::string::npos) << "the error shows the query";
  EXPECT_TRUE(relative.headers.entries.empty());

  EXPECT_EQ(test_util::WriteRawRequest(req), test_util::WriteRawRequest(original));
}

TEST(AuthorizationValue, HasCredentialSignedHeadersAndSignature) {
  EXPECT_EQ(AuthorizationValue("AKID", GenericParams(), "host;x-amz-date", "abc"),
            "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, Signature=abc");
}

}  // namespace
}  // namespace cordon::aws::sigv4

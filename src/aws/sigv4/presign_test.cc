// Presigned URLs: the S3 examples, appending to an existing query, and refusals.
#include "aws/sigv4/presign.h"

#include <gtest/gtest.h>

#include "testing/s3_doc_credentials.h"

namespace cordon::aws::sigv4 {
namespace {

SigningParams S3Presign(std::string region, std::chrono::seconds expires) {
  SigningParams p;
  p.region = std::move(region);
  p.service = "s3";
  p.time = *ParseTimestamp("2013-05-24T00:00:00Z");
  p.normalize_path = false;
  p.double_encode_path = false;
  p.payload_hash = kUnsignedPayload;
  p.expires = expires;
  return p;
}

HttpRequest Get(std::string url) {
  HttpRequest req;
  req.url = std::move(url);
  return req;
}

// S3 API Reference, "Authenticating Requests: Using Query Parameters", example presigned URL.
TEST(PresignUrl, MatchesTheS3Example) {
  Result<std::string> url =
      PresignUrl(Get("https://examplebucket.s3.amazonaws.com/test.txt"), test::S3DocCredentials(),
                 S3Presign("us-east-1", std::chrono::hours(24)));
  ASSERT_TRUE(url.has_value()) << url.error().ToString();
  EXPECT_EQ(*url,
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20130524T000000Z&X-Amz-SignedHeaders=host&X-Amz-Expires=86400"
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

// S3 key signed as sent, session token in the URL. Expected signature from botocore 1.43.11
// S3SigV4QueryAuth (which orders the parameters differently; the signature does not depend on it).
TEST(PresignUrl, SignsS3KeysAsSentWithASessionToken) {
  Credentials creds;
  creds.access_key_id = "AKIDEXAMPLE";
  creds.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  creds.session_token = "TOKEN/with+chars=";
  Result<std::string> url =
      PresignUrl(Get("https://bucket.s3.us-west-2.amazonaws.com/my-object//example/../photo%20one.user"),
                 creds, S3Presign("us-west-2", std::chrono::seconds(300)));
  ASSERT_TRUE(url.has_value()) << url.error().ToString();
  EXPECT_EQ(*url,
            "https://bucket.s3.us-west-2.amazonaws.com/my-object//example/../photo%20one.user"
            "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIDEXAMPLE%2F20130524%2Fus-west-2%2Fs3%2Faws4_request"
            "&X-Amz-Date=20130524T000000Z&X-Amz-SignedHeaders=host&X-Amz-Expires=300"
            "&X-Amz-Security-Token=TOKEN%2Fwith%2Bchars%3D"
            "&X-Amz-Signature=d7960798b4cab5b7d1e0767a78ba7996e863984b1a52e6e1f3d9a8ecb54a4e99");
}

TEST(PresignUrl, AppendsToAnExistingQuery) {
  SigningParams p = S3Presign("us-east-1", std::chrono::seconds(60));
  Result<std::string> with_query =
      PresignUrl(Get("https://b.s3.amazonaws.com/k?versionId=1"), test::S3DocCredentials(), p);
  ASSERT_TRUE(with_query.has_value());
  EXPECT_EQ(with_query->rfind("https://b.s3.amazonaws.com/k?versionId=1&X-Amz-Algorithm=", 0), 0u)
      << *with_query;

  Result<std::string> bare_mark =
      PresignUrl(Get("https://b.s3.amazonaws.com/k?"), test::S3DocCredentials(), p);
  ASSERT_TRUE(bare_mark.has_value());
  EXPECT_EQ(bare_mark->rfind("https://b.s3.amazonaws.com/k?X-Amz-Algorithm=", 0), 0u) << *bare_mark;
}

TEST(PresignUrl, AddsButDoesNotSignAnOmittedSessionToken) {
  Credentials creds = test::S3DocCredentials();
  SigningParams p = S3Presign("us-east-1", std::chrono::hours(24));
  Result<std::string> without_token =
      PresignUrl(Get("https://examplebucket.s3.amazonaws.com/test.txt"), creds, p);
  creds.session_token = "token";
  p.omit_session_token = true;
  Result<std::string> omitted = PresignUrl(Get("https://examplebucket.s3.amazonaws.com/test.txt"), creds, p);
  ASSERT_TRUE(without_token.has_value() && omitted.has_value());
  auto signature = [](const std::string& url) { return url.substr(url.find("X-Amz-Signature=")); };
  EXPECT_EQ(signature(*omitted), signature(*without_token));
  EXPECT_NE(omitted->find("&X-Amz-Security-Token=token&X-Amz-Signature="), std::string::npos) << *omitted;
}

TEST(PresignUrl, ExpiresWithinOneSecondToSevenDays) {
  HttpRequest req = Get("https://examplebucket.s3.amazonaws.com/test.txt");
  for (std::chrono::seconds bad :
       {std::chrono::seconds(0), std::chrono::seconds(-5), kMaxPresignExpiry + std::chrono::seconds(1)}) {
    Result<std::string> url = PresignUrl(req, test::S3DocCredentials(), S3Presign("us-east-1", bad));
    ASSERT_FALSE(url.has_value()) << bad.count();
    EXPECT_EQ(url.error().kind, ErrorKind::kInvalidArgument);
  }
  EXPECT_TRUE(
      PresignUrl(req, test::S3DocCredentials(), S3Presign("us-east-1", kMaxPresignExpiry)).has_value());
  EXPECT_TRUE(
      PresignUrl(req, test::S3DocCredentials(), S3Presign("us-east-1", std::chrono::seconds(1))).has_value());
}

TEST(PresignUrl, RefusesAUrlThatIsAlreadyPresigned) {
  Result<std::string> once =
      PresignUrl(Get("https://examplebucket.s3.amazonaws.com/test.txt"), test::S3DocCredentials(),
                 S3Presign("us-east-1", std::chrono::seconds(60)));
  ASSERT_TRUE(once.has_value());
  Result<std::string> twice =
      PresignUrl(Get(*once), test::S3DocCredentials(), S3Presign("us-east-1", std::chrono::seconds(60)));
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().kind, ErrorKind::kInvalidArgument);
}

TEST(PresignUrl, RefusesMissingCredentialsWithoutShowingKeys) {
  Credentials creds = test::S3DocCredentials();
  creds.access_key_id.clear();
  Result<std::string> url = PresignUrl(Get("https://examplebucket.s3.amazonaws.com/test.txt"), creds,
                                       S3Presign("us-east-1", std::chrono::seconds(60)));
  ASSERT_FALSE(url.has_value());
  EXPECT_EQ(url.error().message.find(test::S3DocCredentials().secret_access_key), std::string::npos);
}

TEST(QueryCanonicalRequest, SignsOnlyTheHeadersTheRequestHas) {
  HttpRequest req = Get("https://example.amazonaws.com/?b=1");
  req.headers.Add("X-Custom", " a  b ");
  SigningParams p = S3Presign("us-east-1", std::chrono::seconds(60));
  EXPECT_EQ(QueryCanonicalRequest(req, test::S3DocCredentials(), p),
            "GET\n/\n"
            "X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-custom&b=1\n"
            "host:example.amazonaws.com\nx-custom:a b\n\nhost;x-custom\nUNSIGNED-PAYLOAD");
}

}  // namespace
}  // namespace cordon::aws::sigv4

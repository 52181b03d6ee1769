// Stages 2 to 4 against the examples of the AWS General Reference.
#include "aws/sigv4/signing_key.h"

#include <gtest/gtest.h>

#include "aws/sigv4/string_to_sign.h"
#include "base/hash.h"

namespace cordon::aws::sigv4 {
namespace {

constexpr char kExampleSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

SigningParams Iam() {
  SigningParams p;
  p.region = "us-east-1";
  p.service = "iam";
  p.time = *ParseTimestamp("2015-08-30T12:36:00Z");
  return p;
}

TEST(CredentialScope, IsDateRegionServiceRequest) {
  EXPECT_EQ(CredentialScope(Iam()), "20150830/us-east-1/iam/aws4_request");
}

TEST(StringToSign, HashesTheCanonicalRequest) {
  EXPECT_EQ(StringToSign("", Iam()),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(StringToSign, IgnoresFractionsOfSeconds) {
  SigningParams p = Iam();
  p.time += std::chrono::milliseconds(999);
  EXPECT_EQ(StringToSign("", p), StringToSign("", Iam()));
}

// "Examples of how to derive a signing key for Signature Version 4". Compared without printing: a
// signing key is never shown, even an example one.
TEST(SigningKey, MatchesTheDocumentedExample) {
  std::string key = SigningKey(kExampleSecret, Iam());
  EXPECT_EQ(key.size(), 32u);
  EXPECT_TRUE(HexEncode(key) == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
      << "the derived signing key differs from the documented one";
}

TEST(SigningKey, DependsOnDateRegionAndService) {
  const std::string key = SigningKey(kExampleSecret, Iam());
  SigningParams p = Iam();
  p.time += std::chrono::hours(24);
  EXPECT_FALSE(SigningKey(kExampleSecret, p) == key);
  p = Iam();
  p.region = "us-west-2";
  EXPECT_FALSE(SigningKey(kExampleSecret, p) == key);
  p = Iam();
  p.service = "sts";
  EXPECT_FALSE(SigningKey(kExampleSecret, p) == key);
  p = Iam();
  p.time += std::chrono::hours(11);  // same day
  EXPECT_TRUE(SigningKey(kExampleSecret, p) == key);
}

TEST(Signature, IsHexHmacOfTheStringToSign) {
  std::string key = SigningKey(kExampleSecret, Iam());
  EXPECT_EQ(Signature(key, "data"), HexEncode(HmacSha256(key, "data")));
  EXPECT_EQ(Signature(key, "data").size(), 64u);
}

}  // namespace
}  // namespace cordon::aws::sigv4

#include "hunt/token_matcher.h"

#include <gtest/gtest.h>

#include <random>

namespace cordon::hunt {
namespace {

TEST(TokenMatcher, IpDoesNotHitLongerOrPrefixedIp) {
  EXPECT_FALSE(TokenMatcher::ContainsToken(R"({"sourceIPAddress":"10.0.3.80"})", "10.0.3.8"));
  EXPECT_FALSE(TokenMatcher::ContainsToken(R"({"sourceIPAddress":"110.0.3.8"})", "10.0.3.8"));
  EXPECT_FALSE(TokenMatcher::ContainsToken("x 10.0.3.8.1 y", "10.0.3.8"));
  EXPECT_TRUE(TokenMatcher::ContainsToken(R"({"sourceIPAddress":"10.0.3.8"})", "10.0.3.8"));
  EXPECT_TRUE(TokenMatcher::ContainsToken("2 123 eni-1 10.0.3.8 10.0.3.9 1 2", "10.0.3.8"));
  EXPECT_TRUE(TokenMatcher::ContainsToken("10.0.3.8", "10.0.3.8"));
  EXPECT_TRUE(TokenMatcher::ContainsToken("seen from 10.0.3.8.", "10.0.3.8"));
}

TEST(TokenMatcher, InstanceIdDoesNotHitLongerId) {
  EXPECT_FALSE(TokenMatcher::ContainsToken(R"("instanceId":"i-0abcd")", "i-0abc"));
  EXPECT_FALSE(TokenMatcher::ContainsToken(R"("imageId":"ami-0abc")", "i-0abc"));
  EXPECT_TRUE(TokenMatcher::ContainsToken(R"("arn":"arn:aws:sts::1:assumed-role/r/i-0abc")", "i-0abc"));
  EXPECT_TRUE(TokenMatcher::ContainsToken(R"("principalId":"AROAX:i-0abc")", "i-0abc"));
  EXPECT_TRUE(
      TokenMatcher::ContainsToken(R"({\"resourceId\":\"i-0abc\"})", "i-0abc"));  // inside a JSON string
}

TEST(TokenMatcher, FindAllReturnsEveryTokenInOffsetOrder) {
  TokenMatcher m({"10.0.0.1", "i-1", "10.0.0.1", ""});
  ASSERT_EQ(m.tokens().size(), 2u);
  const std::string text = "i-1 10.0.0.1 10.0.0.10 i-1x i-1";
  std::vector<TokenMatcher::Hit> hits = m.FindAll(text);
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].offset, 0u);
  EXPECT_EQ(hits[0].token, 1u);
  EXPECT_EQ(hits[1].offset, 4u);
  EXPECT_EQ(hits[1].token, 0u);
  EXPECT_EQ(hits[2].offset, text.size() - 3);
}

// Long enough haystacks and needles to run the 32-byte AVX2 and 16-byte SSE2 loops and their tails; a small
// alphabet so candidates that agree on the first, middle and last byte but differ inside are frequent.
TEST(TokenMatcher, FindLiteralAgreesWithStdFindOnRandomText) {
  std::mt19937 rng(42);
  const std::string alphabet = "ab.1";
  for (int round = 0; round < 4000; ++round) {
    std::string hay(rng() % 300, ' ');
    for (char& c : hay) c = alphabet[rng() % alphabet.size()];
    std::string needle(1 + rng() % (round % 2 == 0 ? 4 : 20), ' ');
    for (char& c : needle) c = alphabet[rng() % alphabet.size()];
    if (round % 3 == 0 && hay.size() >= needle.size()) {
      // A piece of the haystack, sometimes with one inner byte changed: hits and near misses.
      needle = hay.substr(rng() % (hay.size() - needle.size() + 1), needle.size());
      if (needle.size() > 2 && rng() % 2 == 0) needle[1 + rng() % (needle.size() - 2)] ^= 1;
    }
    const size_t from = hay.empty() ? 0 : rng() % (hay.size() + 1);
    const size_t expected = std::string_view(hay).find(needle, from);
    ASSERT_EQ(detail::FindLiteral(hay, needle, from), expected)
        << "hay=" << hay << " needle=" << needle << " from=" << from;
    ASSERT_EQ(detail::FindLiteralBaseline(hay, needle, from), expected)
        << "hay=" << hay << " needle=" << needle << " from=" << from;
  }
}

}  // namespace
}  // namespace cordon::hunt

#include "hunt/sigma/regex_gate.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <string>
#include <vector>

#include "hunt/sigma/ascii_fold.h"

namespace cordon::hunt::sigma {
namespace {

TEST(SigmaRegexGate, ATextWithoutTheRequiredLiteralIsRuledOut) {
  const re2::RE2 re(".+:assumed-role/aws:.+");
  const RegexGate gate(re);
  EXPECT_FALSE(gate.open());
  EXPECT_FALSE(gate.MayMatch("arn:aws:iam::111122223333:user/user7"));
  EXPECT_FALSE(gate.MayMatch("arn:aws:sts::1:assumed-role/web/i-1"));
  EXPECT_TRUE(gate.MayMatch("arn:aws:sts::1:assumed-role/aws:ec2-instance/i-1"));
  // The gate ignores case (the atoms are lower-cased); RE2 decides.
  EXPECT_TRUE(gate.MayMatch("ARN:AWS:STS::1:ASSUMED-ROLE/AWS:X/Y"));
  EXPECT_TRUE(gate.MayMatch("arn:\xc3\xa9"));  // non-ASCII: not judged
}

TEST(SigmaRegexGate, EveryTextTheRegexMatchesPasses) {
  for (const char* pattern : {"(?i)trufflehog", "a(b|cd)e", "^x+$", ".*", "[0-9]{3}", "(?s)foo.bar|baz"}) {
    const re2::RE2 re(pattern);
    const RegexGate gate(re);
    for (const char* text : {"TruffleHog/3", "xabex", "xacdex", "xxx", "", "123", "FOO\nBAR", "baz", "qq"}) {
      if (re2::RE2::PartialMatch(text, re)) {
        EXPECT_TRUE(gate.MayMatch(text)) << pattern << " " << text;
      }
    }
  }
  const re2::RE2 anything(".*");
  EXPECT_TRUE(RegexGate(anything).open());
}

TEST(SigmaContainsLiteral, FoldsTheTextUnlessCased) {
  EXPECT_TRUE(ContainsLiteral("aws-cli/2 TruffleHog/3.1", "trufflehog", false));
  EXPECT_TRUE(ContainsLiteral("TRUFFLEHOG", "trufflehog", false));
  EXPECT_TRUE(ContainsLiteral("ttruffle truffleHog", "trufflehog", false));  // a false start first
  EXPECT_FALSE(ContainsLiteral("truffle-hog trufflehogg", "trufflehogx", false));
  EXPECT_FALSE(ContainsLiteral("TRUFFLEHOG", "trufflehog", true));
  EXPECT_TRUE(ContainsLiteral("a TruffleHog", "TruffleHog", true));
  EXPECT_FALSE(ContainsLiteral("hog", "trufflehog", false));
  EXPECT_TRUE(ContainsLiteral("/s3 browser 9.1", "s3 browser", false));
  EXPECT_TRUE(ContainsLiteral("x", "", false));
}

// The search starts from the literal's rarest byte ('-' here, 'g' in trufflehog): every start is still
// tried, including those before and after a false hit of that byte.
TEST(SigmaContainsLiteral, AgreesWithAFoldedFindFromAnyAnchor) {
  auto folded_find = [](std::string text, const std::string& literal) {
    FoldAsciiInPlace(text);
    return text.find(literal) != std::string::npos;
  };
  const std::vector<std::string> texts = {
      "arn:aws:sts::111122223333:assumed-role/aws:ec2-instance/i-1",
      "arn:aws:sts::111122223333:assumed-role/web/i-1",
      "arn:aws:iam::111122223333:user/user43",
      ":ASSUMED-ROLE/AWS:",
      "x-y:assumed-role/aws",
      "aws-cli/2 TruffleHog/3.1 go/1.22",
      "trufflehoG",
      "truffleho",
      "gggtrufflehogggg",
  };
  for (const std::string& text : texts) {
    for (const std::string literal : {":assumed-role/aws:", "trufflehog", "role/", "g", "-", "1"}) {
      EXPECT_EQ(ContainsLiteral(text, literal, false), folded_find(text, literal)) << text << " " << literal;
    }
  }
}

}  // namespace
}  // namespace cordon::hunt::sigma

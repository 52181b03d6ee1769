#include "hunt/sigma/pattern.h"

#include <gtest/gtest.h>

namespace cordon::hunt::sigma {
namespace {

bool M(std::string_view pattern, std::string_view text, bool cased = false) {
  return Pattern::Parse(pattern, cased).Matches(text);
}

TEST(SigmaPattern, PlainValuesMatchWholeAndCaseInsensitively) {
  EXPECT_TRUE(M("StopLogging", "stoplogging"));
  EXPECT_TRUE(M("StopLogging", "STOPLOGGING"));
  EXPECT_FALSE(M("StopLogging", "StopLoggingX"));
  EXPECT_FALSE(M("StopLogging", "xStopLogging"));
  EXPECT_FALSE(M("StopLogging", "stoplogging", /*cased=*/true));
  EXPECT_TRUE(M("", ""));
  EXPECT_FALSE(M("", "a"));
}

TEST(SigmaPattern, Wildcards) {
  EXPECT_TRUE(M("prog?.exe", "progA.exe"));
  EXPECT_FALSE(M("prog?.exe", "prog.exe"));
  EXPECT_TRUE(M("antivirus_V*.exe", "antivirus_V21.2.1.exe"));
  EXPECT_TRUE(M("*", ""));
  EXPECT_TRUE(M("*a*b*", "xxaxxbxx"));
  EXPECT_FALSE(M("*a*b*", "xxbxxaxx"));
  EXPECT_TRUE(M("?", "\xC3\xA9"));  // one UTF-8 character
}

TEST(SigmaPattern, EscapesFollowTheSpecification) {
  EXPECT_TRUE(M("a\\*b", "a*b"));
  EXPECT_FALSE(M("a\\*b", "axxb"));
  EXPECT_TRUE(M("a\\?", "a?"));
  EXPECT_TRUE(M("C:\\Windows", "C:\\Windows"));  // a plain backslash needs no escape
  EXPECT_TRUE(M("C:\\\\Windows", "C:\\Windows"));
  EXPECT_TRUE(M("a\\\\*", "a\\anything"));  // escaped backslash, then a wildcard
  EXPECT_TRUE(M("a\\\\\\*", "a\\*"));       // three: backslash and a plain star
  EXPECT_FALSE(M("a\\\\\\*", "a\\x"));
  EXPECT_TRUE(M("a\\\\\\\\b", "a\\\\b"));  // four: two backslashes
}

TEST(SigmaPattern, AffixesAreAddedOnce) {
  Pattern p = Pattern::Parse("abc", false);
  p.AnyPrefix();
  p.AnySuffix();
  p.AnySuffix();
  EXPECT_EQ(p.pieces().size(), 3u);
  EXPECT_TRUE(p.Matches("xxABCxx"));
}

}  // namespace
}  // namespace cordon::hunt::sigma

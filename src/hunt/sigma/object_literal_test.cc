// The whole-object literal search and byte scan against plain loops, at every offset around the SIMD
// blocks' edges.
#include "hunt/sigma/object_literal.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hunt/sigma/ascii_fold.h"

namespace cordon::hunt::sigma {
namespace {

bool Folded(std::string_view text, std::string_view literal) {
  std::string lower(text);
  FoldAsciiInPlace(lower);
  return lower.find(literal) != std::string::npos;
}

// Every variant this CPU can run, the portable one first.
std::vector<FindVariant> Variants() {
  std::vector<FindVariant> out;
  for (FindVariant v : {FindVariant::kPortable, FindVariant::kAvx2}) {
    if (v <= FindBest()) out.push_back(v);
  }
  return out;
}

// Whether every variant finds `literal` in `text`; a disagreement fails the test.
bool ObjectContains(std::string_view text, std::string_view literal, bool cased) {
  const bool best = FindInObject(text, literal, cased, 0) != std::string_view::npos;
  for (FindVariant v : Variants()) {
    EXPECT_EQ(FindInObjectWith(v, text, literal, cased, 0) != std::string_view::npos, best)
        << static_cast<int>(v) << " " << literal;
  }
  return best;
}

TEST(SigmaObjectLiteral, FindsALiteralAtEveryOffsetWithAndWithoutCase) {
  for (std::string_view literal : {"trufflehog", ":assumed-role/aws:", "ab", "x"}) {
    for (size_t size : {literal.size(), size_t{31}, size_t{32}, size_t{33}, size_t{64}, size_t{100}}) {
      for (size_t at = 0; at + literal.size() <= size; ++at) {
        std::string text(size, 'q');
        std::string upper(literal);
        for (char& c : upper) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
        text.replace(at, literal.size(), upper);
        EXPECT_TRUE(ObjectContains(text, literal, false)) << literal << " at " << at << " of " << size;
        EXPECT_EQ(ObjectContains(text, literal, true), upper == literal) << literal << " at " << at;
        text.replace(at, literal.size(), literal);
        EXPECT_TRUE(ObjectContains(text, literal, true)) << literal << " at " << at << " of " << size;
        // One byte off: absent (the filler is no byte of the literals).
        text[at + literal.size() / 2] = '~';
        EXPECT_EQ(ObjectContains(text, literal, false), Folded(text, literal)) << literal << " at " << at;
      }
    }
  }
}

TEST(SigmaObjectLiteral, FindsEveryOccurrenceInTurn) {
  std::string text(300, '-');
  const std::vector<size_t> planted = {0, 3, 40, 61, 64, 67, 127, 200, 290};
  for (size_t at : planted) text.replace(at, 3, at % 2 ? "ROO" : "roo");
  for (FindVariant v : Variants()) {
    std::vector<size_t> found;
    for (size_t at = FindInObjectWith(v, text, "roo", false, 0); at != std::string_view::npos;
         at = FindInObjectWith(v, text, "roo", false, at + 1))
      found.push_back(at);
    EXPECT_EQ(found, planted) << static_cast<int>(v);
  }
  EXPECT_EQ(FindInObject(text, "roo", false, 291), std::string_view::npos);
  EXPECT_EQ(FindInObject(text, "roo", false, 1000), std::string_view::npos);
  EXPECT_EQ(FindInObject(text, "", false, 0), std::string_view::npos);
}

TEST(SigmaObjectLiteral, OnlyLettersAreComparedWithoutCase) {
  // 0x1a or-ed with 0x20 is ':', '@' is '`': neither may stand for the literal's byte.
  const std::string text = std::string(40, 'z') +
                           "\x1a"
                           "assumed-role/aws:" +
                           std::string(40, 'z');
  EXPECT_FALSE(ObjectContains(text, ":assumed-role/aws:", false));
  EXPECT_FALSE(ObjectContains(std::string(40, 'z') + "`x" + std::string(40, 'z'), "@x", false));
  EXPECT_TRUE(ObjectContains(std::string(40, 'z') + "@X" + std::string(40, 'z'), "@x", false));
  EXPECT_FALSE(ObjectContains("short", "longer literal", false));
}

TEST(SigmaObjectLiteral, ScansBackslashesAndNonAsciiBytes) {
  std::string text(200, 'a');
  for (size_t at : {0, 31, 32, 63, 150, 199}) text[at] = '\\';
  ObjectBytes bytes;
  ASSERT_TRUE(ScanObjectBytes(text, 10, &bytes));
  EXPECT_EQ(bytes.backslashes, (std::vector<unsigned>{0, 31, 32, 63, 150, 199}));
  EXPECT_TRUE(bytes.ascii);
  EXPECT_FALSE(ScanObjectBytes(text, 5, &bytes));
  for (size_t at : {5, 40, 197}) {
    std::string other(200, 'a');
    other[at] = static_cast<char>(0xc3);
    ASSERT_TRUE(ScanObjectBytes(other, 10, &bytes));
    EXPECT_FALSE(bytes.ascii) << at;
    EXPECT_TRUE(bytes.backslashes.empty());
  }
}

TEST(SigmaObjectLiteral, ALiteralShowsInRawBytesOnlyWhenItMustLieInAString) {
  EXPECT_TRUE(ShowsInRawBytes("trufflehog"));
  EXPECT_TRUE(ShowsInRawBytes(":assumed-role/aws:"));
  // A number's, a JSON literal's or compact JSON's text: the raw bytes may differ (1.50 is 1.5).
  EXPECT_FALSE(ShowsInRawBytes("1.5"));
  EXPECT_FALSE(ShowsInRawBytes("true"));
  EXPECT_FALSE(ShowsInRawBytes("1e+20"));
  EXPECT_FALSE(ShowsInRawBytes("[1,2]"));
  EXPECT_FALSE(ShowsInRawBytes("\"a\":\"b\""));  // `"a": "b"` in the raw bytes
  EXPECT_FALSE(ShowsInRawBytes("a\\b"));
  EXPECT_FALSE(ShowsInRawBytes(""));
}

}  // namespace
}  // namespace cordon::hunt::sigma

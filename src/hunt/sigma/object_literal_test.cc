// The whole-object literal search and byte scan against plain loops, at every offset around the SIMD
// blocks' edges.
#include "hunt/sigma/object_literal.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
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
  for (FindVariant v : {FindVariant::kPortable, FindVariant::kAvx2, FindVariant::kAvx512}) {
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

// Every start of each literal by a plain loop: the reference for FindAllInObject.
std::vector<std::vector<unsigned>> AllStarts(std::string_view text,
                                             const std::vector<ObjectLiteral>& literals) {
  std::vector<std::vector<unsigned>> out(literals.size());
  for (size_t l = 0; l < literals.size(); ++l) {
    const std::string_view literal = literals[l].text;
    for (size_t at = 0; !literal.empty() && at + literal.size() <= text.size(); ++at) {
      std::string window(text.substr(at, literal.size()));
      if (!literals[l].cased) FoldAsciiInPlace(window);
      if (window == literal) out[l].push_back(static_cast<unsigned>(at));
    }
  }
  return out;
}

// Every variant's FindAllInObject against the reference; `text` is copied behind each of 64 offsets
// from a 64-byte boundary, so the table pass's head, blocks and tail fall everywhere.
void ExpectAllStarts(std::string_view text, const std::vector<ObjectLiteral>& literals,
                     const std::string& what) {
  const auto expected = AllStarts(text, literals);
  std::vector<char> storage(text.size() + 128);
  char* aligned = storage.data() + (64 - reinterpret_cast<uintptr_t>(storage.data()) % 64) % 64;
  for (size_t shift = 0; shift < 64; ++shift) {
    std::memcpy(aligned + shift, text.data(), text.size());
    const std::string_view copy(aligned + shift, text.size());
    for (FindVariant v : Variants()) {
      std::vector<std::vector<unsigned>> hits;
      ASSERT_TRUE(FindAllInObjectWith(v, copy, literals, 1u << 20, &hits));
      EXPECT_EQ(hits, expected) << what << ", variant " << static_cast<int>(v) << ", shift " << shift;
    }
  }
}

TEST(SigmaObjectLiteral, FindsAllOccurrencesOfSeveralLiteralsInOnePass) {
  const std::vector<ObjectLiteral> literals = {
      {"assumedrole", false}, {"root", false}, {"trufflehog", false}, {":assumed-role/aws:", false},
      {"eventName\"", true},  {"x", false},    {"ab", true},          {"aaa", false}};
  // Each literal at every offset of a text long enough for blocks, in both cases, and overlapping
  // occurrences (`aaaa` holds `aaa` twice).
  for (size_t l = 0; l < literals.size(); ++l) {
    std::string upper(literals[l].text);
    for (char& c : upper) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    for (size_t at = 0; at + upper.size() <= 300; at += 7) {
      std::string text(300, 'q');
      text.replace(at, upper.size(), upper);
      if (at + 2 * upper.size() + 1 <= text.size())
        text.replace(at + upper.size() + 1, literals[l].text.size(), literals[l].text);
      ExpectAllStarts(text, literals, std::string(literals[l].text) + " at " + std::to_string(at));
    }
  }
  ExpectAllStarts(std::string(260, 'a'), literals, "a run of a");
  ExpectAllStarts("AAAAabab", literals, "shorter than a block");
  ExpectAllStarts("", literals, "empty");
  // The literal that ends the text, at every size around the blocks' edges.
  for (size_t size = 18; size < 300; ++size) {
    std::string text(size, 'z');
    text.replace(size - 18, 18, ":ASSUMED-role/aws:");
    ExpectAllStarts(text, literals, "at the end of " + std::to_string(size));
  }
}

TEST(SigmaObjectLiteral, FindAllComparesOnlyLettersWithoutCaseAndAnyByteAboveAscii) {
  // A byte >= 0x80 shares its table entry with an ASCII byte: a candidate the compare must reject.
  std::string text(200, 'z');
  text.replace(70, 18,
               "\xba"
               "assumed-role/aws:");
  text.replace(120, 18,
               "\x1a"
               "assumed-role/aws:");
  text.replace(150, 4, "R\xefOT");
  text.replace(180, 10, "eventname\"");  // `eventName"` is cased
  const std::vector<ObjectLiteral> literals = {{":assumed-role/aws:", false},
                                               {"root", false},
                                               {"eventName\"", true},
                                               {"\xef"
                                                "o",
                                                true}};
  ExpectAllStarts(text, literals, "high bytes");
}

TEST(SigmaObjectLiteral, FindAllMatchesAPlainLoopOnRandomJsonLikeText) {
  std::mt19937 rng(14);
  constexpr std::string_view kAlphabet = "aeorstuRTAE:\"{},\\/-\xc3\xa9 ";
  const std::vector<ObjectLiteral> literals = {
      {"root", false}, {"ro", false}, {"\"a\":", true}, {"tes", false}, {"\\\"", true},
      {"ee", false},   {"a", true},   {"sa-r", false},  {"e/t", false}};  // nine: two passes
  for (int round = 0; round < 40; ++round) {
    std::string text(std::uniform_int_distribution<size_t>(0, 700)(rng), ' ');
    for (char& c : text) c = kAlphabet[std::uniform_int_distribution<size_t>(0, kAlphabet.size() - 1)(rng)];
    ExpectAllStarts(text, literals, "round " + std::to_string(round));
  }
}

TEST(SigmaObjectLiteral, FindAllStopsPastItsBudget) {
  const std::string text(500, 'a');
  for (FindVariant v : Variants()) {
    std::vector<std::vector<unsigned>> hits;
    EXPECT_TRUE(FindAllInObjectWith(v, text, {{"a", false}, {"aa", false}}, 999, &hits))
        << static_cast<int>(v);
    EXPECT_EQ(hits[0].size() + hits[1].size(), 999u);
    EXPECT_FALSE(FindAllInObjectWith(v, text, {{"a", false}, {"aa", false}}, 998, &hits))
        << static_cast<int>(v);
  }
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

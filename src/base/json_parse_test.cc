#include "base/json_parse.h"

#include <gtest/gtest.h>

#include <string>

namespace cordon {
namespace {

std::string Nested(size_t depth, char open = '[', char close = ']') {
  return std::string(depth, open) + std::string(depth, close);
}

TEST(ParseJsonInputTest, ParsesOrdinaryDocuments) {
  auto doc = ParseJsonInput(R"({"MaxResults": 5, "Filters": [{"Name": "x"}]})", "input");
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_EQ((*doc)["MaxResults"], 5);
  EXPECT_TRUE(ParseJsonInput(Nested(kMaxJsonInputDepth), "input"));
}

TEST(ParseJsonInputTest, RefusesDeepNestingWithoutRecursing) {
  auto doc = ParseJsonInput(Nested(100000), "bomb.json");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(doc.error().message.find("bomb.json"), std::string::npos) << doc.error().message;
  EXPECT_NE(doc.error().message.find("nested deeper than 512"), std::string::npos) << doc.error().message;
  // The 513th bracket, at byte 512: column 513.
  EXPECT_NE(doc.error().message.find("line 1, column 513"), std::string::npos) << doc.error().message;
  EXPECT_FALSE(ParseJsonInput(Nested(kMaxJsonInputDepth + 1, '{', '}'), "input"));
  EXPECT_FALSE(ParseJsonInput("{\"a\":" + Nested(600), "input"));
}

TEST(ParseJsonInputTest, BracketsInsideStringsDoNotCount) {
  const std::string text = "{\"a\": \"" + std::string(1000, '[') + "\\\"" + std::string(1000, '{') + "\"}";
  auto doc = ParseJsonInput(text, "input");
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_EQ((*doc)["a"].get<std::string>().size(), 2001u);
}

TEST(ParseJsonInputTest, NumberOutOfRangeIsAnErrorNotAnAbort) {
  auto doc = ParseJsonInput("{\n  \"MaxResults\": 1e999999\n}", "in.json");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(doc.error().message.find("in.json at line 2, column 17"), std::string::npos)
      << doc.error().message;
  EXPECT_NE(doc.error().message.find("1e999999"), std::string::npos) << doc.error().message;
  EXPECT_FALSE(ParseJsonInput("[-1e400]", "input"));
  // "[999...9]" built in place: GCC 12 at -O3 flags "[" + std::string(...) with a -Wrestrict false
  // positive (GCC bug 105329), a 30-line template trace in a Release build.
  std::string huge(402, '9');
  huge.front() = '[';
  huge.back() = ']';
  EXPECT_FALSE(ParseJsonInput(huge, "input"));
  // Underflow is a zero, as nlohmann (and Python) read it.
  auto tiny = ParseJsonInput("[1e-999999]", "input");
  ASSERT_TRUE(tiny) << tiny.error().message;
  EXPECT_EQ((*tiny)[0].get<double>(), 0.0);
}

TEST(ParseJsonInputTest, SyntaxErrorNamesThePlace) {
  auto doc = ParseJsonInput("{\"a\": 1,\n \"b\": tru}", "config.json");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(doc.error().message.find("invalid JSON in config.json at line 2"), std::string::npos)
      << doc.error().message;
  EXPECT_FALSE(ParseJsonInput("", "input"));
  EXPECT_FALSE(ParseJsonInput("\"unterminated", "input"));
  EXPECT_FALSE(ParseJsonInput("[1] trailing", "input"));
}

TEST(ParseJsonInputTest, ExcerptCannotDriveTheTerminal) {
  auto doc = ParseJsonInput("[\x1b]0;pwned\x07 x]", "input");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().message.find('\x1b'), std::string::npos) << doc.error().message;
  EXPECT_EQ(doc.error().message.find('\x07'), std::string::npos) << doc.error().message;
}

}  // namespace
}  // namespace cordon

#include "hunt/emit.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "hunt/test_util.h"
#include "testing/test_paths.h"

namespace cordon::hunt {
namespace {

// Golden files live in src/hunt/testdata/emit_<target>.golden. Do not edit them by hand: run the test
// with CORDON_UPDATE_GOLDEN=1 and review the diff.
std::string GoldenPath(const std::string& target) {
  return std::string(::cordon::test::SourceDir()) + "/src/hunt/testdata/emit_" + target + ".golden";
}

Selectors FixedSelectors() {
  Selectors s;
  s.instances = {"i-0abc"};
  s.ips = {"10.0.3.8", "203.0.113.7"};
  s.enis = {"eni-0aa"};
  s.roles = {"web"};
  s.access_keys = {"ASIAEXAMPLE"};
  s.since = ParseTimestamp("2024-01-05T00:00:00Z");
  s.until = ParseTimestamp("2024-01-06T23:59:59Z");
  return s;
}

class EmitGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(EmitGolden, MatchesGoldenFile) {
  Result<std::string> text = EmitQueries(GetParam(), FixedSelectors());
  ASSERT_TRUE(text) << text.error().message;
  if (std::getenv("CORDON_UPDATE_GOLDEN")) {
    std::ofstream(GoldenPath(GetParam()), std::ios::binary) << *text;
  }
  EXPECT_EQ(*text, testing::ReadFile(GoldenPath(GetParam())));
}

INSTANTIATE_TEST_SUITE_P(Targets, EmitGolden,
                         ::testing::Values("athena", "athena-ddl", "insights", "spl", "opensearch"));

TEST(Emit, SameSelectorsGiveTheSameText) {
  EXPECT_EQ(*EmitQueries("athena", FixedSelectors()), *EmitQueries("athena", FixedSelectors()));
}

TEST(Emit, OnlyTheFlowSelectorsThatExistAreUsed) {
  Selectors s;
  s.roles = {"web"};
  Result<std::string> text = EmitQueries("athena", s);
  ASSERT_TRUE(text);
  // A role alone cannot select flow records: no flow query, and never an empty IN ().
  EXPECT_EQ(text->find(std::string(kAthenaFlowTable)), std::string::npos);
  EXPECT_EQ(text->find("IN ()"), std::string::npos);
}

TEST(Emit, UnknownTargetAndMissingSelectorsAreErrors) {
  EXPECT_FALSE(EmitQueries("sql", FixedSelectors()));
  EXPECT_FALSE(EmitQueries("athena", Selectors{}));
  EXPECT_TRUE(EmitQueries("athena-ddl", Selectors{}));
}

TEST(Emit, SqlStringsAreQuoted) {
  Selectors s;
  s.roles = {"o'brien"};
  EXPECT_NE(EmitQueries("athena", s)->find("'o''brien'"), std::string::npos);
}

}  // namespace
}  // namespace cordon::hunt

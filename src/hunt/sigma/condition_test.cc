#include "hunt/sigma/condition.h"

#include <gtest/gtest.h>

namespace cordon::hunt::sigma {
namespace {

const std::vector<std::string> kNames = {"selection", "selection_a", "selection_b", "filter_x", "_hidden"};

// Evaluates `text` with the identifiers whose bit is set in `truth` true.
bool Eval(std::string_view text, unsigned truth) {
  Result<Condition> c = ParseCondition(text, kNames);
  EXPECT_TRUE(c) << text << ": " << (c ? "" : c.error().message);
  if (!c) return false;
  return EvaluateCondition(*c, [&](size_t i) { return (truth >> i) & 1u; });
}

TEST(SigmaCondition, PrecedenceIsOrAndNot) {
  // selection or selection_a and not selection_b == selection or (selection_a and (not selection_b))
  EXPECT_TRUE(Eval("selection or selection_a and not selection_b", 0b001));
  EXPECT_TRUE(Eval("selection or selection_a and not selection_b", 0b010));
  EXPECT_FALSE(Eval("selection or selection_a and not selection_b", 0b110));
  EXPECT_FALSE(Eval("(selection or selection_a) and not selection_b", 0b101));
  EXPECT_TRUE(Eval("not not selection", 0b1));
  EXPECT_TRUE(Eval("selection AND NOT filter_x", 0b1));
}

TEST(SigmaCondition, OneOfAndAllOfPatternsAndThem) {
  EXPECT_TRUE(Eval("1 of selection_*", 0b100));
  EXPECT_FALSE(Eval("all of selection_*", 0b100));
  EXPECT_TRUE(Eval("all of selection_*", 0b110));
  EXPECT_TRUE(Eval("all of selection*", 0b111));
  EXPECT_TRUE(Eval("selection and not 1 of filter*", 0b1));
  EXPECT_FALSE(Eval("selection and not 1 of filter*", 0b1001));
  // them: every identifier except those starting with '_'
  EXPECT_TRUE(Eval("all of them", 0b01111));
  EXPECT_FALSE(Eval("1 of them", 0b10000));
}

TEST(SigmaCondition, ErrorsNameTheProblem) {
  for (const char* bad : {"", "selection and", "(selection", "selection)", "nosuch", "1 of nomatch*",
                          "2 of selection*", "selection or or selection", "not", "1 of"}) {
    Result<Condition> c = ParseCondition(bad, kNames);
    EXPECT_FALSE(c) << bad;
  }
  EXPECT_NE(ParseCondition("nosuch", kNames).error().message.find("nosuch"), std::string::npos);
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "not ";
  EXPECT_FALSE(ParseCondition(deep + "selection", kNames));
}

}  // namespace
}  // namespace cordon::hunt::sigma

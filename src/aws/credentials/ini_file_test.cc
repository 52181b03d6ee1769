#include "aws/credentials/ini_file.h"

#include <gtest/gtest.h>

namespace cordon::aws {
namespace {

const ConfigValues& Section(const std::vector<IniSection>& sections, const std::string& name) {
  for (const IniSection& section : sections)
    if (section.name == name) return section.values;
  ADD_FAILURE() << "no section " << name;
  static const ConfigValues kEmpty;
  return kEmpty;
}

std::string Text(const ConfigValues& values, const std::string& key) {
  auto it = values.find(key);
  return it == values.end() ? "<absent>" : it->second.text;
}

// Expected values below were checked against botocore.configloader.raw_config_parse().
TEST(IniFileTest, ParsesCommentsDelimitersAndKeyCase) {
  auto sections = ParseIni(
      "# comment\n"
      "; also a comment\n"
      "[default]\n"
      "region = us-east-1\n"
      "Output: json\n"
      "  # an indented comment\n"
      "key = a # not a comment\n"
      "spaced   =   value with  spaces   \n"
      "equals = a=b:c\n"
      "empty =\n",
      "config");
  ASSERT_TRUE(sections) << sections.error().message;
  ASSERT_EQ(sections->size(), 1u);
  const ConfigValues& values = Section(*sections, "default");
  EXPECT_EQ(Text(values, "region"), "us-east-1");
  EXPECT_EQ(Text(values, "output"), "json");  // keys are lowercased
  EXPECT_EQ(Text(values, "key"), "a # not a comment");
  EXPECT_EQ(Text(values, "spaced"), "value with  spaces");
  EXPECT_EQ(Text(values, "equals"), "a=b:c");
  EXPECT_EQ(Text(values, "empty"), "");
  EXPECT_EQ(values.at("region").line, 4);
}

TEST(IniFileTest, JoinsContinuationLinesAndSplitsSubSections) {
  auto sections = ParseIni(
      "[default]\n"
      "multi = first\n"
      "   second\n"
      "\n"
      "   third\n"
      "s3 =\n"
      "   addressing_style = path\n"
      "   Signature_Version = s3v4\n"
      "region = eu-west-1\n",
      "config");
  ASSERT_TRUE(sections) << sections.error().message;
  const ConfigValues& values = Section(*sections, "default");
  EXPECT_EQ(Text(values, "multi"), "first\nsecond\n\nthird");
  const ConfigValue& s3 = values.at("s3");
  EXPECT_TRUE(s3.is_sub_section);
  EXPECT_EQ(s3.sub.at("addressing_style"), "path");
  EXPECT_EQ(s3.sub.at("Signature_Version"), "s3v4");  // sub-section keys keep their case
  EXPECT_EQ(Text(values, "region"), "eu-west-1");
}

TEST(IniFileTest, IndentedFirstKeyIsAKeyNotAContinuation) {
  auto sections = ParseIni("[default]\n  indented = 1\n", "config");
  ASSERT_TRUE(sections);
  EXPECT_EQ(Text(Section(*sections, "default"), "indented"), "1");
}

TEST(IniFileTest, DefaultSectionIsInheritedByEverySection) {
  auto sections =
      ParseIni("[default]\na = 1\n[DEFAULT]\nb = 2\n[other]\nb = 3\n[DEFAULT]\nc = 4\n", "config");
  ASSERT_TRUE(sections) << sections.error().message;
  ASSERT_EQ(sections->size(), 2u);  // [DEFAULT] itself is not a section
  EXPECT_EQ(Text(Section(*sections, "default"), "b"), "2");
  EXPECT_EQ(Text(Section(*sections, "default"), "c"), "4");
  EXPECT_EQ(Text(Section(*sections, "other"), "b"), "3");
}

TEST(IniFileTest, SectionHeaderRunsToTheLastBracket) {
  auto sections = ParseIni("[weird]]\nx = 1\n[ spaced ]\ny = 2\n", "config");
  ASSERT_TRUE(sections);
  EXPECT_EQ((*sections)[0].name, "weird]");
  EXPECT_EQ((*sections)[1].name, " spaced ");
}

TEST(IniFileTest, AcceptsCrLfLineEndings) {
  auto sections = ParseIni("[default]\r\nregion = us-west-2\r\n", "config");
  ASSERT_TRUE(sections);
  EXPECT_EQ(Text(Section(*sections, "default"), "region"), "us-west-2");
}

struct MalformedCase {
  const char* text;
  int line;
};

TEST(IniFileTest, MalformedLineNamesFileAndLine) {
  const MalformedCase cases[] = {
      {"region = x\n[default]\n", 1},                  // before any section
      {"[default]\na = 1\nregion\n", 3},               // no delimiter
      {"[default]\n= x\n", 2},                         // no key
      {"[default]\n[other]\n[default]\n", 3},          // section twice
      {"[default]\na = 1\nA = 2\n", 3},                // key twice (keys are case-insensitive)
      {"[default]\ns3 =\n  ok = 1\n  bad line\n", 4},  // sub-section line without '='
      {"[]\n", 1},                                     // not a header, not a setting
  };
  for (const MalformedCase& c : cases) {
    auto sections = ParseIni(c.text, "/home/u/.aws/config");
    ASSERT_FALSE(sections) << c.text;
    EXPECT_EQ(sections.error().kind, ErrorKind::kInvalidArgument);
    EXPECT_NE(sections.error().message.find("/home/u/.aws/config line " + std::to_string(c.line) + ":"),
              std::string::npos)
        << sections.error().message;
  }
}

TEST(IniFileTest, MalformedLineIsNotQuotedInTheError) {
  auto sections =
      ParseIni("[default]\naws_secret_access_key = fine\nwJalrXUtnFEMISECRETKEY\n", "credentials");
  ASSERT_FALSE(sections);
  EXPECT_EQ(sections.error().message.find("wJalrXUtnFEMISECRETKEY"), std::string::npos);
}

}  // namespace
}  // namespace cordon::aws

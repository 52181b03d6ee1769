#include "cli/config_file.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace cordon::cli {
namespace {

Result<ConfigFile> Parse(const char* text) {
  return ParseConfigFile("/etc/cordon/config.json", Json::parse(text));
}

TEST(ConfigFile, ListsStringsAndRelativePaths) {
  Result<ConfigFile> c = Parse(R"({"hunt": {"cloudtrail": ["s3://b/AWSLogs/", "/abs/ct", "rel/ct"],
                                             "flow_logs": "../flows", "guardduty": [], "config": ["./cfg"]}})");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->hunt.cloudtrail,
            (std::vector<std::string>{"s3://b/AWSLogs/", "/abs/ct", "/etc/cordon/rel/ct"}));
  EXPECT_EQ(c->hunt.flow_logs, (std::vector<std::string>{"/etc/flows"}));
  EXPECT_TRUE(c->hunt.guardduty.empty());
  EXPECT_EQ(c->hunt.config, (std::vector<std::string>{"/etc/cordon/cfg"}));
}

TEST(ConfigFile, CasesDirIsRelativeToTheFile) {
  Result<ConfigFile> c = Parse(R"({"cases_dir": "cases"})");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->cases_dir, "/etc/cordon/cases");
  Result<ConfigFile> bad = Parse(R"({"cases_dir": "s3://b/cases"})");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("local folder"), std::string::npos) << bad.error().message;
}

TEST(ConfigFile, EmptyObjectHasNoSources) {
  Result<ConfigFile> c = Parse("{}");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->hunt.empty());
}

TEST(ConfigFile, ErrorsNameTheFileAndTheProblem) {
  const std::pair<const char*, const char*> cases[] = {
      {R"([1])", "expected a JSON object"},
      {R"({"hunts": {}})", "unknown key \"hunts\""},
      {R"({"hunt": []})", "\"hunt\" must be an object"},
      {R"({"hunt": {"flowlogs": ["x"]}})", "unknown key \"hunt.flowlogs\""},
      {R"({"hunt": {"cloudtrail": 3}})", "\"hunt.cloudtrail\" must be a path or a list of paths"},
      {R"({"hunt": {"cloudtrail": [""]}})", "\"hunt.cloudtrail\" holds \"\""},
      {R"({"hunt": {"config": [null]}})", "\"hunt.config\" holds null"},
  };
  for (const auto& [text, want] : cases) {
    Result<ConfigFile> c = Parse(text);
    ASSERT_FALSE(c) << text;
    EXPECT_EQ(c.error().kind, ErrorKind::kInvalidArgument);
    EXPECT_NE(c.error().message.find("/etc/cordon/config.json"), std::string::npos) << c.error().message;
    EXPECT_NE(c.error().message.find(want), std::string::npos) << c.error().message;
  }
}

TEST(ConfigFile, PathFromTheEnvironment) {
  bool named = false;
  setenv("CORDON_CONFIG", "/tmp/c.json", 1);
  EXPECT_EQ(ConfigFilePath(&named), "/tmp/c.json");
  EXPECT_TRUE(named);
  setenv("CORDON_CONFIG", "", 1);  // set but empty: no file at all
  EXPECT_EQ(ConfigFilePath(&named), "");
  EXPECT_TRUE(LoadConfigFile()->hunt.empty());
  unsetenv("CORDON_CONFIG");
  setenv("XDG_CONFIG_HOME", "/xdg", 1);
  EXPECT_EQ(ConfigFilePath(&named), "/xdg/cordon/config.json");
  EXPECT_FALSE(named);
  unsetenv("XDG_CONFIG_HOME");
}

// Issue 16: a configuration file that is a link to /dev/zero is refused after a bounded read.
TEST(ConfigFile, EndlessFileIsRefused) {
  setenv("CORDON_CONFIG", "/dev/zero", 1);
  Result<ConfigFile> c = LoadConfigFile();
  unsetenv("CORDON_CONFIG");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(c.error().message.find("over 64 MiB"), std::string::npos) << c.error().message;
}

}  // namespace
}  // namespace cordon::cli

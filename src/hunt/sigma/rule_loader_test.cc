#include "hunt/sigma/rule_loader.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "testing/temp_dir.h"
#include "testing/test_paths.h"

namespace cordon::hunt::sigma {
namespace {

const std::string kSigma = std::string(::cordon::test::TestDataDir()) + "/sigma";

TEST(SigmaRuleLoader, LoadsEverySigmaHqCloudTrailRule) {
  Result<LoadedRules> loaded = LoadRules({kSigma + "/rules"});
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->files, 57u);
  EXPECT_EQ(loaded->rules.size(), 57u);
  for (const SkippedRule& s : loaded->skipped) ADD_FAILURE() << s.file << ": " << s.reason;
  for (const Rule& r : loaded->rules) {
    EXPECT_FALSE(r.id.empty()) << r.file;
    EXPECT_FALSE(r.author.empty()) << r.file;  // the DRL asks for attribution in every match
    EXPECT_FALSE(r.level.empty()) << r.file;
  }
}

TEST(SigmaRuleLoader, LegacyAggregationRulesAreSkippedWithTheReason) {
  Result<LoadedRules> loaded = LoadRules({kSigma + "/unsupported"});
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->rules.size(), 0u);
  ASSERT_EQ(loaded->skipped.size(), 8u);
  for (const SkippedRule& s : loaded->skipped) {
    EXPECT_NE(s.reason.find("correlation"), std::string::npos) << s.file << ": " << s.reason;
    EXPECT_FALSE(s.title.empty()) << s.file;
  }
}

TEST(SigmaRuleLoader, WhatCannotRunIsListedNeverDropped) {
  LoadedRules out;
  LoadRuleText("other.yml", R"(title: Windows
logsource: {product: windows, category: process_creation}
detection: {selection: {Image: x}, condition: selection}
---
title: Expand
logsource: {product: aws, service: cloudtrail}
detection: {selection: {sourceIPAddress|expand: '%Servers%'}, condition: selection}
---
title: Unknown modifier
logsource: {product: aws, service: cloudtrail}
detection: {selection: {eventName|hour: 3}, condition: selection}
---
title: Bad condition
logsource: {product: aws, service: cloudtrail}
detection: {selection: {eventName: x}, condition: selection and nope}
---
title: Correlation
correlation: {type: event_count, rules: [a], group-by: [x], timespan: 5m, condition: {gte: 2}}
---
title: Runs
logsource: {product: AWS, service: CloudTrail}
detection: {selection: {eventName: x}, condition: selection}
)",
               &out);
  ASSERT_EQ(out.rules.size(), 1u);
  EXPECT_EQ(out.rules[0].title, "Runs");
  // The correlation document is loaded; resolving it (ResolveCorrelations) decides whether it runs.
  EXPECT_EQ(out.correlations.size(), 1u);
  ASSERT_EQ(out.skipped.size(), 4u);
  EXPECT_NE(out.skipped[0].reason.find("not AWS CloudTrail"), std::string::npos);
  EXPECT_NE(out.skipped[1].reason.find("expand"), std::string::npos);
  EXPECT_NE(out.skipped[2].reason.find("hour"), std::string::npos);
  EXPECT_NE(out.skipped[3].reason.find("nope"), std::string::npos);
}

TEST(SigmaRuleLoader, InvalidYamlAndMissingPaths) {
  LoadedRules out;
  LoadRuleText("bad.yml", "title: [unclosed", &out);
  ASSERT_EQ(out.skipped.size(), 1u);
  EXPECT_NE(out.skipped[0].reason.find("invalid YAML"), std::string::npos);
  Result<LoadedRules> missing = LoadRules({"/nonexistent/rules"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
}

TEST(SigmaRuleLoader, TextOnWhichYamlCppNeverEndsIsSkipped) {
  // sigma_rule_fuzzer's find: on these, yaml-cpp 0.7's LoadAll allocates null nodes without end (over
  // 1 GB in 5 s). Each is skipped with the reason; the rule beside them in the folder still loads.
  for (const char* text : {",\n", "\"a\",\n", "title: t\n---\n\n    ,,,,x\n"}) {
    LoadedRules out;
    LoadRuleText("loop.yml", text, &out);
    ASSERT_EQ(out.skipped.size(), 1u) << text;
    EXPECT_NE(out.skipped[0].reason.find("does not come to an end"), std::string::npos)
        << out.skipped[0].reason;
    EXPECT_TRUE(out.rules.empty());
  }
  LoadedRules real;
  LoadRuleText("real.yml",
               "title: t\nlogsource: {product: aws, service: cloudtrail}\n"
               "detection:\n  s: {eventName: StopLogging}\n  condition: s\n",
               &real);
  EXPECT_EQ(real.rules.size(), 1u);
  EXPECT_TRUE(real.skipped.empty());
}

TEST(SigmaRuleLoader, FifosAndDevicesAreNeverRead) {
  // Opening a FIFO for reading waits for a writer, and /dev/zero never ends: a rules folder with either
  // must not hang the hunt. In a folder such an entry is listed as skipped; given by name it is an error.
  const ::cordon::test::TempDir tmp;
  const std::filesystem::path& dir = tmp.path();
  ASSERT_EQ(mkfifo((dir / "pipe.yml").c_str(), 0600), 0);
  std::filesystem::create_symlink("/dev/zero", dir / "zero.yml");
  std::filesystem::copy_file(kSigma + "/rules/cloud/aws/cloudtrail/aws_cloudtrail_disable_logging.yml",
                             dir / "real.yml");
  Result<LoadedRules> loaded = LoadRules({dir.string()});
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->rules.size(), 1u);
  ASSERT_EQ(loaded->skipped.size(), 2u);
  EXPECT_EQ(loaded->skipped[0].file + " " + loaded->skipped[1].file,
            (dir / "pipe.yml").string() + " " + (dir / "zero.yml").string());
  EXPECT_NE(loaded->skipped[0].reason.find("not a regular file"), std::string::npos);
  Result<LoadedRules> named = LoadRules({(dir / "pipe.yml").string()});
  ASSERT_FALSE(named);
  EXPECT_NE(named.error().message.find("pipe.yml is not a regular file"), std::string::npos);
}

TEST(SigmaRuleLoader, QuotedAndPlainScalarsKeepTheirTypes) {
  LoadedRules out;
  LoadRuleText("t.yml", R"(title: Types
logsource: {product: aws, service: cloudtrail}
detection:
  a: {errorCode: null, quoted: 'null', present|exists: true}
  condition: a
)",
               &out);
  ASSERT_EQ(out.rules.size(), 1u) << (out.skipped.empty() ? "" : out.skipped[0].reason);
  const auto& items = out.rules[0].searches[0].alternatives[0];
  EXPECT_EQ(items[0].values[0].kind, ValueMatcher::Kind::kNull);
  EXPECT_EQ(items[1].values[0].kind, ValueMatcher::Kind::kPattern);
  EXPECT_EQ(items[2].values[0].kind, ValueMatcher::Kind::kExists);
}

}  // namespace
}  // namespace cordon::hunt::sigma

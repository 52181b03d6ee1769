// `cordon sigma lint`'s checks: over SigmaHQ's 57 CloudTrail rules (what they get wrong, and that the rest
// are clean), over hand-written rules for each kind of finding, and the claim behind the one known
// mismatch checked against the real Stratus Red Team detonation it comes from.
#include "hunt/sigma/lint.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "hunt/sigma/cloudtrail_fields.h"
#include "hunt/sigma/rule_set.h"
#include "testing/test_paths.h"

namespace cordon::hunt::sigma {
namespace {

std::string Stem(const std::string& file) {
  const size_t slash = file.rfind('/');
  std::string name = file.substr(slash == std::string::npos ? 0 : slash + 1);
  return name.substr(0, name.rfind('.'));
}

LintReport LintText(const std::string& yaml) {
  LoadedRules loaded;
  LoadRuleText("test.yml", yaml, &loaded);
  return LintRules(loaded);
}

std::string RuleText(const std::string& detection) {
  return "title: T\nid: 00000000-0000-0000-0000-000000000001\nlogsource: {product: aws, service: "
         "cloudtrail}\n"
         "detection:\n" +
         detection;
}

TEST(SigmaLint, WhatSigmaHqsCloudTrailRulesGetWrong) {
  Result<LoadedRules> loaded = LoadRules({std::string(::cordon::test::TestDataDir()) + "/sigma/rules"});
  ASSERT_TRUE(loaded);
  const LintReport report = LintRules(*loaded);
  EXPECT_EQ(report.rules, 57u);
  // rule -> "kind field value never"
  std::multimap<std::string, std::string> got;
  for (const LintFinding& f : report.findings) {
    got.emplace(Stem(f.file), std::string(LintKindName(f.kind)) + " " + f.field + " " + f.value + " " +
                                  (f.never_matches ? "never" : "part"));
  }
  const std::multimap<std::string, std::string> want = {
      // CloudTrail has no top-level `status`: the rule can never match.
      {"aws_delete_saml_provider", "unknown-field status  never"},
      // ModifyInstanceAttribute records requestParameters.userData, not requestParameters.attribute.
      {"aws_ec2_startup_script_change", "known-mismatch requestParameters.attribute  never"},
      // `errorCode: Success` never occurs, but each rule also accepts `errorCode: null`.
      {"aws_cloudtrail_bucket_deleted", "value-shape errorCode success part"},
      {"aws_cloudtrail_guardduty_detector_deleted_or_updated", "value-shape errorCode success part"},
      {"aws_cloudtrail_ssm_malicious_usage", "value-shape errorCode success part"},
      {"aws_cloudtrail_vpc_flow_logs_deleted", "value-shape errorCode success part"},
  };
  EXPECT_EQ(got, want);
}

TEST(SigmaLint, TheStartupScriptRuleMissesTheRealDetonation) {
  // The mismatch table's claim, on the record it comes from: ModifyInstanceAttribute with the new user
  // data under requestParameters.userData and no `attribute`, which the rule therefore does not match.
  std::ifstream in(std::string(::cordon::test::TestDataDir()) +
                   "/cloudtrail/stratus-red-team/docs/detonation-logs/aws.execution.ec2-user-data.json");
  const nlohmann::json records = nlohmann::json::parse(in);
  Result<LoadedRules> loaded =
      LoadRules({std::string(::cordon::test::TestDataDir()) +
                 "/sigma/rules/cloud/aws/cloudtrail/aws_ec2_startup_script_change.yml"});
  ASSERT_TRUE(loaded);
  RuleSet set(std::move(loaded->rules));
  RuleMatcher matcher(set);
  size_t modify = 0;
  for (const nlohmann::json& r : records) {
    if (r["eventName"] != "ModifyInstanceAttribute") continue;
    ++modify;
    EXPECT_TRUE(r["requestParameters"].contains("userData"));
    EXPECT_FALSE(r["requestParameters"].contains("attribute"));
    std::vector<size_t> matched;
    EXPECT_TRUE(matcher.Match(r.dump(), &matched));
    EXPECT_TRUE(matched.empty());
  }
  EXPECT_GT(modify, 0u);
}

TEST(SigmaLint, AFieldCloudTrailDoesNotHave) {
  const LintReport report =
      LintText(RuleText("  sel:\n    eventName: RunInstances\n    userIdentity.role: admin\n"
                        "  condition: sel\n"));
  ASSERT_EQ(report.findings.size(), 1u);
  const LintFinding& f = report.findings[0];
  EXPECT_EQ(f.kind, LintFinding::Kind::kUnknownField);
  EXPECT_EQ(f.field, "userIdentity.role");
  EXPECT_TRUE(f.never_matches);
  EXPECT_NE(f.message.find("no field 'userIdentity.role'"), std::string::npos) << f.message;
  EXPECT_NE(f.message.find("sessionContext"), std::string::npos)
      << "names the fields that exist: " << f.message;
}

TEST(SigmaLint, BelowAStringNothingExists) {
  const LintReport report = LintText(RuleText("  sel:\n    eventName.first: Run\n  condition: sel\n"));
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].kind, LintFinding::Kind::kUnknownField);
}

TEST(SigmaLint, OpenEndedFieldsAcceptAnyPath) {
  const LintReport report = LintText(RuleText(
      "  sel:\n    requestParameters.anything.at.all: x\n    responseElements.y: z\n"
      "    additionalEventData.MFAUsed: 'NO'\n    userIdentity.sessionContext.sessionIssuer.type: Role\n"
      "  condition: sel\n"));
  EXPECT_TRUE(report.findings.empty()) << report.findings[0].message;
}

TEST(SigmaLint, AnUnknownFieldThatOnlyHasToBeAbsentDoesNotBlock) {
  // `neq` and `null` hold on a missing field: the finding is reported, but the rule can still match.
  const LintReport report =
      LintText(RuleText("  sel:\n    eventName: RunInstances\n    bogus|neq: x\n"
                        "  nul:\n    alsoBogus: null\n  condition: sel and nul\n"));
  ASSERT_EQ(report.findings.size(), 2u);
  for (const LintFinding& f : report.findings) {
    EXPECT_EQ(f.kind, LintFinding::Kind::kUnknownField);
    EXPECT_FALSE(f.never_matches) << f.field;
  }
}

TEST(SigmaLint, AnEventSourceOfTheWrongShape) {
  const LintReport report =
      LintText(RuleText("  sel:\n    eventSource:\n      - ec2.amazon.com\n      - ec2\n"
                        "    eventName: RunInstances\n  condition: sel\n"));
  ASSERT_EQ(report.findings.size(), 2u);
  EXPECT_EQ(report.findings[0].kind, LintFinding::Kind::kValueShape);
  EXPECT_EQ(report.findings[0].value, "ec2.amazon.com");
  EXPECT_TRUE(report.findings[0].never_matches);  // neither value can occur
  const LintReport ending =
      LintText(RuleText("  sel:\n    eventSource|endswith: '.aws'\n  condition: sel\n"));
  ASSERT_EQ(ending.findings.size(), 1u);
  EXPECT_TRUE(ending.findings[0].never_matches);
  EXPECT_TRUE(LintText(RuleText("  sel:\n    eventSource|endswith: '.amazonaws.com'\n  condition: sel\n"))
                  .findings.empty());
  EXPECT_TRUE(
      LintText(RuleText("  sel:\n    eventSource|startswith: 'ec2'\n  condition: sel\n")).findings.empty());
}

TEST(SigmaLint, OneGoodValueKeepsTheItemPossible) {
  const LintReport report =
      LintText(RuleText("  sel:\n    eventSource:\n      - ec2.amazon.com\n"
                        "      - ec2.amazonaws.com\n  condition: sel\n"));
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_FALSE(report.findings[0].never_matches);
}

TEST(SigmaLint, AnotherSearchCanStillMatch) {
  const LintReport report = LintText(
      RuleText("  a:\n    status: success\n  b:\n    eventName: RunInstances\n  condition: a or b\n"));
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_FALSE(report.findings[0].never_matches);
  const LintReport both =
      LintText(RuleText("  a:\n    status: success\n  b:\n    eventName: RunInstances\n"
                        "  condition: a and b\n"));
  ASSERT_EQ(both.findings.size(), 1u);
  EXPECT_TRUE(both.findings[0].never_matches);
  const LintReport negated =
      LintText(RuleText("  a:\n    status: success\n  b:\n    eventName: RunInstances\n"
                        "  condition: b and not a\n"));
  ASSERT_EQ(negated.findings.size(), 1u);
  EXPECT_FALSE(negated.findings[0].never_matches);
}

TEST(SigmaLint, ARuleCordonCannotRun) {
  const LintReport report = LintText(RuleText("  sel:\n    eventName|frobnicate: x\n  condition: sel\n"));
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].kind, LintFinding::Kind::kCannotRun);
  EXPECT_TRUE(report.findings[0].never_matches);
  EXPECT_NE(report.findings[0].message.find("frobnicate"), std::string::npos);
}

TEST(SigmaLint, TheFieldTableKnowsEveryFieldOfTheSamples) {
  // Every key of the real records in the samples (two levels into userIdentity) is a known field, so the
  // table does not report a field real CloudTrail has. (The otrf set is left out: it went through
  // Logstash, which added `@timestamp` and `@version`.)
  std::vector<nlohmann::json> records;
  for (const char* folder : {"/cloudtrail/stratus-red-team", "/cloudtrail/invictus-aws-dataset"}) {
    for (const auto& e :
         std::filesystem::recursive_directory_iterator(std::string(::cordon::test::TestDataDir()) + folder)) {
      if (e.path().extension() != ".json") continue;
      std::ifstream in(e.path());
      nlohmann::json doc = nlohmann::json::parse(in);
      for (nlohmann::json& r : doc.is_array() ? doc : doc["Records"]) records.push_back(std::move(r));
    }
  }
  ASSERT_GT(records.size(), 1000u);
  for (const nlohmann::json& r : records) {
    for (const auto& [key, value] : r.items()) {
      EXPECT_NE(CheckCloudTrailField({key}).status, FieldCheck::Status::kUnknown) << key;
      if (key != "userIdentity" || !value.is_object()) continue;
      for (const auto& [sub, v] : value.items())
        EXPECT_NE(CheckCloudTrailField({key, sub}).status, FieldCheck::Status::kUnknown) << key << "." << sub;
    }
  }
}

}  // namespace
}  // namespace cordon::hunt::sigma

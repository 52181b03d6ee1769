#include "automation/policy.h"

#include <gtest/gtest.h>

namespace cordon::automation {
namespace {

// The example of issue 12.
constexpr std::string_view kExample = R"({"case_prefix": "AUTO", "exempt_tag": "cordon:exempt",
 "rules": [
   {"name": "high-ec2", "when": {"source": "guardduty", "min_severity": 7,
                                  "finding_types": ["UnauthorizedAccess:EC2/*", "Backdoor:EC2/*", "CryptoCurrency:EC2/*"]},
    "do": "contain"},
   {"name": "owner-tag", "when": {"tag": {"incident-response": "contain"}}, "do": "contain+capture-memory"}]})";

Event Finding(std::string type, double severity) {
  Event e;
  e.kind = EventKind::kGuardDutyFinding;
  e.finding_type = std::move(type);
  e.severity = severity;
  e.instance_id = "i-0abc123def4567890";
  return e;
}

Event TagChange(std::map<std::string, std::string> tags, std::vector<std::string> changed) {
  Event e;
  e.kind = EventKind::kTagChange;
  e.tags = std::move(tags);
  e.changed_tag_keys = std::move(changed);
  e.instance_id = "i-0abc123def4567890";
  return e;
}

TEST(Policy, TheIssueExampleDecides) {
  auto p = ParsePolicy(kExample, "policy.json");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->rules.size(), 2u);
  EXPECT_TRUE(p->CapturesMemory());
  Decision d = Decide(*p, Finding("Backdoor:EC2/C&CActivity.B", 8));
  EXPECT_EQ(d.action, Action::kContain);
  EXPECT_EQ(d.rule, "high-ec2");
  EXPECT_EQ(Decide(*p, Finding("Backdoor:EC2/C&CActivity.B", 5)).action, Action::kIgnore);  // too low
  d = Decide(*p, Finding("Recon:EC2/PortProbeUnprotectedPort", 8));
  EXPECT_EQ(d.action, Action::kIgnore);
  EXPECT_NE(d.why.find("Recon:EC2/PortProbeUnprotectedPort"), std::string::npos) << d.why;
  d = Decide(*p, TagChange({{"incident-response", "contain"}}, {"incident-response"}));
  EXPECT_EQ(d.action, Action::kContainCaptureMemory);
  EXPECT_EQ(d.rule, "owner-tag");
  // cordon's own quarantine tag, and another tag edited on a still-marked instance, do not trigger
  EXPECT_EQ(Decide(*p, TagChange({{"incident-response", "quarantine:AUTO-1"}}, {"incident-response"})).action,
            Action::kIgnore);
  EXPECT_EQ(Decide(*p, TagChange({{"incident-response", "contain"}, {"Owner", "x"}}, {"Owner"})).action,
            Action::kIgnore);
}

TEST(Policy, FirstMatchingRuleWins) {
  auto p = ParsePolicy(R"({"rules": [
      {"name": "canary", "when": {"finding_types": ["Canary:*"]}, "do": "triage"},
      {"name": "all", "when": {}, "do": "contain"}]})",
                       "p.json");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(Decide(*p, Finding("Canary:EC2/Stateless.IntegTest", 5)).rule, "canary");
  EXPECT_EQ(Decide(*p, Finding("Canary:EC2/Stateless.IntegTest", 5)).action, Action::kTriage);
  EXPECT_EQ(Decide(*p, Finding("Trojan:EC2/DropPoint!DNS", 2)).rule, "all");
  EXPECT_EQ(p->case_prefix, "AUTO");
  EXPECT_EQ(p->exempt_tag, "cordon:exempt");
}

TEST(Policy, BadFilesNameTheLineAndTheField) {
  struct Case {
    std::string text, want;
  } cases[] = {
      {"{\"rules\": [\n {\"name\": \"a\",\n  \"when\": {\"min_severity\": 11},\n  \"do\": \"contain\"}]}",
       "p.json line 3: rules[0].when.min_severity must be a number from 0 to 10"},
      {"{\"rules\": [{\"name\": \"a\", \"when\": {}, \"do\": \"isolate\"}]}", "rules[0].do must be one of"},
      {"{\"rules\": [{\"name\": \"a\", \"when\": {}, \"do\": \"notify\"}]}", "not supported yet"},
      {"{\"rules\": [{\"name\": \"a\", \"when\": {\"severity\": 7}, \"do\": \"contain\"}]}",
       "rules[0].when.severity is not a known field"},
      {"{\"rule\": []}", "p.json line 1: rule is not a known field"},
      {"{\"rules\": []}", "rules must be a non-empty list"},
      {"{\"rules\": [{\"name\": \"a\", \"when\": {}, \"do\": \"contain\"},\n"
       " {\"name\": \"a\", \"when\": {}, \"do\": \"triage\"}]}",
       "p.json line 2: rules[1].name repeats \"a\""},
      {"{\"rules\": [{\"name\": \"a\", \"when\": {\"tag\": {\"k\": \"v\"}, \"min_severity\": 3}, \"do\": "
       "\"contain\"}]}",
       "mixes a tag with finding fields"},
      {"{\"case_prefix\": \"../x\", \"rules\": [{\"name\": \"a\", \"when\": {}, \"do\": \"contain\"}]}",
       "case_prefix must be"},
      {"{\"rules\": [{\"name\": \"a\", \"when\": {\"source\": 3}, \"do\": \"contain\"}]}",
       "rules[0].when.source must be"},
      {"{\"rules\": [", "line 1"},
  };
  for (const Case& c : cases) {
    auto p = ParsePolicy(c.text, "p.json");
    ASSERT_FALSE(p) << c.text;
    EXPECT_EQ(p.error().kind, ErrorKind::kInvalidArgument);
    EXPECT_NE(p.error().message.find(c.want), std::string::npos)
        << p.error().message << "\nwanted: " << c.want;
  }
}

TEST(Policy, DefaultContainsFindingsAndTheTrigger) {
  Policy p = DefaultPolicy("incident-response", "contain");
  EXPECT_EQ(Decide(p, Finding("Anything:EC2/x", 0)).action, Action::kContain);
  EXPECT_EQ(Decide(p, TagChange({{"incident-response", "contain"}}, {"incident-response"})).action,
            Action::kContain);
  Event other;
  other.ignored = "an event of aws.ec2";
  EXPECT_EQ(Decide(p, other).why, "an event of aws.ec2");
}

TEST(Policy, SecurityHubRulesAreTheirOwnSource) {
  auto p = ParsePolicy(R"({"rules": [{"name": "sh", "when": {"source": "securityhub", "min_severity": 7,
      "finding_types": ["TTPs/*"]}, "do": "contain"}]})",
                       "p.json");
  ASSERT_TRUE(p) << p.error().message;
  Event e = Finding("TTPs/Command and Control/Backdoor", 7);
  e.kind = EventKind::kSecurityHubFinding;
  EXPECT_EQ(Decide(*p, e).rule, "sh");
  EXPECT_EQ(Decide(*p, Finding("TTPs/Command and Control/Backdoor", 9)).action,
            Action::kIgnore);  // GuardDuty
  // Without a policy, Security Hub findings are not contained: it reports many low-stakes checks.
  EXPECT_EQ(Decide(DefaultPolicy("incident-response", "contain"), e).action, Action::kIgnore);
}

TEST(GlobMatch, StarsAndLiterals) {
  EXPECT_TRUE(GlobMatch("Backdoor:EC2/*", "Backdoor:EC2/C&CActivity.B"));
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("*:EC2/*!DNS", "Trojan:EC2/DropPoint!DNS"));
  EXPECT_FALSE(GlobMatch("Backdoor:EC2/*", "Backdoor:IAMUser/x"));
  EXPECT_FALSE(GlobMatch("Backdoor:EC2/C", "Backdoor:EC2/C&C"));
  EXPECT_TRUE(GlobMatch("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(GlobMatch("a*b*c", "aXXbYY"));
}

}  // namespace
}  // namespace cordon::automation

#include "response/role_deny.h"

#include <gtest/gtest.h>

#include "response/role_quota.h"

namespace cordon::response {
namespace {

// An EC2 instance id as AWS makes them today: "i-" and 17 hex digits.
std::string Id(int n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "i-%017x", n);
  return buf;
}

TEST(RoleDeny, NamesAndEntries) {
  EXPECT_EQ(DenyPolicyName("IR-7"), "cordon-deny-IR-7");
  EXPECT_EQ(DenyEntry("i-0123456789abcdef0"), "*/i-0123456789abcdef0");
}

TEST(RoleDeny, MergeKeepsEveryEntryOnceAndSorted) {
  Json doc = MergeDeny(Json(), {"*/i-b", "*/i-a"}, "");
  doc = MergeDeny(doc, {"*/i-a", "*/i-c"}, "");
  EXPECT_EQ(DenyEntries(doc), (std::vector<std::string>{"*/i-a", "*/i-b", "*/i-c"}));
  ASSERT_EQ(doc["Statement"].size(), 1u);
  const Json& st = doc["Statement"][0];
  EXPECT_EQ(st["Effect"], "Deny");
  EXPECT_EQ(st["Action"], "*");
  EXPECT_EQ(st["Resource"], "*");
  EXPECT_EQ(st["Condition"]["StringLike"]["ec2:SourceInstanceARN"].size(), 3u);
  EXPECT_EQ(MergeDeny(doc, {"*/i-b"}, ""), doc);  // a rerun changes nothing
}

TEST(RoleDeny, RevokeTimeIsTheLaterAndGoesWithTheLastEntry) {
  Json doc = MergeDeny(Json(), {"*/i-a"}, "2026-12-07T07:00:00Z");
  doc = MergeDeny(doc, {"*/i-b"}, "2026-12-07T06:00:00Z");
  EXPECT_EQ(RevokedBefore(doc), "2026-12-07T07:00:00Z");
  doc = MergeDeny(doc, {"*/i-c"}, "2026-12-07T08:00:00Z");
  EXPECT_EQ(RevokedBefore(doc), "2026-12-07T08:00:00Z");
  doc = WithoutEntry(doc, "*/i-a");
  EXPECT_EQ(DenyEntries(doc), (std::vector<std::string>{"*/i-b", "*/i-c"}));
  EXPECT_EQ(RevokedBefore(doc), "2026-12-07T08:00:00Z");
  doc = WithoutEntry(WithoutEntry(doc, "*/i-b"), "*/i-c");
  EXPECT_TRUE(DenyEntries(doc).empty());
  EXPECT_EQ(RevokedBefore(doc), "");
}

TEST(RoleDeny, RemovingOneEntryKeepsTheOthers) {
  std::vector<std::string> entries;
  for (int i = 0; i < 200; ++i) entries.push_back(DenyEntry(Id(i)));
  Json doc = MergeDeny(Json(), entries, "");
  Json rest = WithoutEntry(doc, DenyEntry(Id(42)));
  std::vector<std::string> left = DenyEntries(rest);
  EXPECT_EQ(left.size(), 199u);
  EXPECT_EQ(std::find(left.begin(), left.end(), DenyEntry(Id(42))), left.end());
  EXPECT_EQ(WithoutEntry(rest, "*/i-notthere"), rest);
}

TEST(RoleDeny, ReadsAStatementThatIsAnObjectOrASingleString) {
  Json doc = Json::parse(R"({"Version":"2012-10-17","Statement":{"Sid":"CordonDenyContainedInstances",
      "Effect":"Deny","Action":"*","Resource":"*",
      "Condition":{"StringLike":{"ec2:SourceInstanceARN":"*/i-a"}}}})");
  EXPECT_EQ(DenyEntries(doc), (std::vector<std::string>{"*/i-a"}));
  EXPECT_TRUE(DenyEntries(Json()).empty());
  EXPECT_TRUE(DenyEntries(Json::parse(R"({"Statement":[{"Sid":"Other"}]})")).empty());
}

// IAM: "IAM doesn't count white space when calculating the size of a policy against these limits."
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
TEST(RoleDeny, SizeIsCountedWithoutWhitespace) {
  EXPECT_EQ(IamPolicySize(std::string_view("{\"a\": [1, 2]}\n\t")), 11u);
  EXPECT_EQ(IamPolicySize(std::string_view("")), 0u);
  Json doc = Json::parse(R"({"Version": "2012-10-17", "Statement": []})");
  EXPECT_EQ(IamDocumentSize(doc), doc.dump().size());  // dump() writes no whitespace
  EXPECT_EQ(IamPolicySize(std::string_view(doc.dump(4))), doc.dump().size());
}

// The numbers issue 13 is about: 200 instances of one role fit in one policy, well within the
// role's 10,240 characters (one policy per instance, about 220 characters each, stopped at ~40).
TEST(RoleDeny, TwoHundredInstancesFitTheRoleQuota) {
  EXPECT_EQ(kRoleInlinePolicyQuota, 10240u);
  std::vector<std::string> entries;
  for (int i = 0; i < 200; ++i) entries.push_back(DenyEntry(Id(i)));
  Json doc = MergeDeny(Json(), entries, "2026-12-07T07:00:00Z");
  size_t size = IamDocumentSize(doc);
  EXPECT_LT(size, 5200u);
  EXPECT_GT(size, 200u * 24u);  // each entry is 21 characters, two quotes and a comma
  Json one = MergeDeny(doc, {DenyEntry(Id(999))}, "");
  EXPECT_EQ(IamDocumentSize(one) - size, 24u);
}

TEST(RoleQuota, ErrorNamesTheRoleTheSizesTheQuotaAndWhatToDo) {
  RoleQuotaUse use;
  use.role = "web-role";
  use.instance_ids = {"i-a", "i-b"};
  use.other_policies = 10000;
  use.deny_after = 400;
  use.fits = 1;
  Error e = RoleQuotaError(use, "IR-Q");
  EXPECT_EQ(e.kind, ErrorKind::kConflict);
  for (const char* part :
       {"role web-role would hold 10400 characters", "10000 in its other inline policies",
        "400 in cordon-deny-IR-Q", "10240", "reference_iam-quotas.html", "nothing was changed",
        "Contain at most 1 of these instances under case IR-Q", "--quarantine-profile"})
    EXPECT_NE(e.message.find(part), std::string::npos) << part << "\n" << e.message;
}

}  // namespace
}  // namespace cordon::response

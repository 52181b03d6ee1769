#include "hunt/cloudtrail_reader.h"

#include <gtest/gtest.h>

#include <set>

#include "hunt/sessions.h"
#include "hunt/test_util.h"

namespace cordon::hunt {
namespace {

using testing::Hunt;
using testing::TestData;

const std::string kInvictus = TestData("cloudtrail/invictus-aws-dataset/CloudTrail");

size_t CountBy(const HuntResults& r, bool by) {
  return static_cast<size_t>(
      std::count_if(r.events.begin(), r.events.end(), [&](auto& e) { return e.by == by; }));
}

TEST(CloudTrailReader, InvictusInstanceRoleUsedOutsideIsExfiltration) {
  Selectors s;
  s.instances = {"i-0dbc91f429e48eeed"};
  s.ips = {"3.225.16.109"};  // the instance's public address: its SSM agent calls come from it
  HuntResults r = Hunt(s, {{LogKind::kCloudTrail, kInvictus}});
  EXPECT_TRUE(r.skipped.empty());
  // Counted independently with jq over the 55 files (userIdentity arn/principalId/accessKeyId holding the
  // instance id as a token: 13 SSM agent calls from 3.225.16.109 + 2 from 192.168.10.20; the id only in
  // requestParameters/responseElements/resources: 51 events such as RunInstances, SendCommand,
  // DescribeInstanceInformation, AssumeRole by ec2.amazonaws.com; plus 1 for the IP: AllocateAddress,
  // whose responseElements hand out 3.225.16.109).
  EXPECT_EQ(CountBy(r, true), 15u);
  EXPECT_EQ(CountBy(r, false), 52u);

  std::vector<SessionUse> sessions = InstanceSessions(r, s);
  ASSERT_EQ(sessions.size(), 2u);
  std::vector<SessionUse> exfil = Exfiltration(sessions, s);
  ASSERT_EQ(exfil.size(), 1u);
  EXPECT_EQ(exfil[0].source_ip, "192.168.10.20");
  EXPECT_EQ(exfil[0].instance, "i-0dbc91f429e48eeed");
  EXPECT_EQ(exfil[0].session_arn,
            "arn:aws:sts::123837392027:assumed-role/stratus-red-team-ec2-steal-credentials-role/"
            "i-0dbc91f429e48eeed");
  EXPECT_EQ(exfil[0].first, "2023-07-10T11:57:22Z");
  EXPECT_EQ(exfil[0].last, "2023-07-10T11:57:22Z");
  EXPECT_EQ(exfil[0].events, 2u);
  std::set<std::string> ids;
  for (const CloudTrailEvent& e : r.events) {
    if (e.source_ip == "192.168.10.20" && e.by) ids.insert(e.event_id);
  }
  EXPECT_EQ(ids, (std::set<std::string>{"d3d5fd99-faa9-4959-a464-56fba613cc2e",
                                        "bf68f8c0-590b-4740-ac89-aad0ed5dfe4f"}));
}

TEST(CloudTrailReader, ServiceCallsAreNotExfiltration) {
  Selectors s;
  s.instances = {"i-0dbc91f429e48eeed"};
  s.ips = {"3.225.16.109"};
  HuntResults r = Hunt(s, {{LogKind::kCloudTrail, kInvictus}});
  // EC2 issuing the role credentials (AssumeRole by ec2.amazonaws.com) is on the instance, not by it.
  size_t assume_role = 0;
  for (const CloudTrailEvent& e : r.events) {
    if (e.event_name == "AssumeRole") {
      ++assume_role;
      EXPECT_FALSE(e.by);
      EXPECT_EQ(e.source_ip, "ec2.amazonaws.com");
    }
  }
  EXPECT_EQ(assume_role, 2u);
}

TEST(CloudTrailReader, WithoutOwnIpsSessionsAreListedButNotFlagged) {
  Selectors s;
  s.instances = {"i-0dbc91f429e48eeed"};
  HuntResults r = Hunt(s, {{LogKind::kCloudTrail, kInvictus}});
  std::vector<SessionUse> sessions = InstanceSessions(r, s);
  EXPECT_EQ(sessions.size(), 2u);
  EXPECT_TRUE(Exfiltration(sessions, s).empty());
}

TEST(CloudTrailReader, StratusArrayShapeWithMixedCaseIds) {
  Selectors s;
  s.instances = {"i-786a3A8B5C0d92eF4"};
  HuntResults r = Hunt(
      s, {{LogKind::kCloudTrail, TestData("cloudtrail/stratus-red-team/docs/detonation-logs/"
                                            "aws.credential-access.ec2-steal-instance-credentials.json")}});
  EXPECT_TRUE(r.skipped.empty());
  std::set<std::string> by_names;
  for (const CloudTrailEvent& e : r.events) {
    if (e.by) by_names.insert(e.event_name);
  }
  // The stolen session calls GetCallerIdentity and DescribeInstances (PROVENANCE.md, section 2).
  EXPECT_EQ(by_names, (std::set<std::string>{"GetCallerIdentity", "DescribeInstances"}));
  bool send_command_on = false;
  for (const CloudTrailEvent& e : r.events) send_command_on |= (e.event_name == "SendCommand" && !e.by);
  EXPECT_TRUE(send_command_on);
}

TEST(CloudTrailReader, OtrfJsonLinesUseTimestampFallback) {
  Selectors s;
  s.instances = {"i-0317f6c6b66ae9c40"};
  HuntResults r = Hunt(s, {{LogKind::kCloudTrail, TestData("cloudtrail/otrf-security-datasets")}});
  EXPECT_TRUE(r.skipped.empty());
  // PROVENANCE.md: 11 records by the role session (ListBuckets 2, ListObjects 7, GetObject 2).
  EXPECT_EQ(CountBy(r, true), 11u);
  for (const CloudTrailEvent& e : r.events) {
    EXPECT_FALSE(e.event_time.empty());
    if (e.by) {
      EXPECT_EQ(e.source_ip, "1.2.3.4");
    }
  }
  // The zip and the LICENSE are not CloudTrail files: not listed, not skipped.
  EXPECT_EQ(r.objects, 1u);
}

TEST(CloudTrailReader, TimeWindowDropsEventsOutside) {
  Selectors s;
  s.instances = {"i-0dbc91f429e48eeed"};
  s.since = ParseTimestamp("2023-07-10T11:57:20Z");
  s.until = ParseTimestamp("2023-07-10T11:57:30Z");
  HuntResults r = Hunt(s, {{LogKind::kCloudTrail, kInvictus}});
  for (const CloudTrailEvent& e : r.events) {
    EXPECT_GE(e.time, *s.since);
    EXPECT_LE(e.time, *s.until);
  }
  EXPECT_EQ(CountBy(r, true), 2u);
}

TEST(CloudTrailReader, AccessKeyAndRoleSelectors) {
  Selectors s;
  s.roles = {"stratus-red-team-ec2-steal-credentials-role"};
  HuntResults r = Hunt(s, {{LogKind::kCloudTrail, kInvictus}});
  // The role's sessions: the 15 instance-session calls (CreateRole and the like name the role in
  // requestParameters and land in `on`).
  EXPECT_EQ(CountBy(r, true), 15u);
  ASSERT_FALSE(r.events.empty());
  std::string key;
  for (const CloudTrailEvent& e : r.events) {
    if (e.by && e.source_ip == "192.168.10.20") key = e.access_key_id;
  }
  ASSERT_FALSE(key.empty());
  Selectors by_key;
  by_key.access_keys = {key};
  HuntResults k = Hunt(by_key, {{LogKind::kCloudTrail, kInvictus}});
  ASSERT_GE(CountBy(k, true), 1u);
  for (const CloudTrailEvent& e : k.events) {
    if (e.by) {
      EXPECT_EQ(e.access_key_id, key);
    }
  }
}

}  // namespace
}  // namespace cordon::hunt

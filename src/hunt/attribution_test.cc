// Attribution of CloudTrail activity to an instance when the attacker shapes what the trail says: the
// three forged-log cases of issue 16. The records follow CloudTrail's record contents and userIdentity
// element reference (the fields of the Stratus Red Team ec2-steal-instance-credentials detonation in
// tests/data), with the ids changed to tell the actors apart.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "base/json.h"
#include "hunt/role_chains.h"
#include "hunt/sessions.h"
#include "hunt/test_util.h"

namespace cordon::hunt {
namespace {

using testing::TempDir;
using testing::WriteFile;

constexpr char kAccount[] = "111122223333";
constexpr char kInstance[] = "i-0a1b2c3d4e5f60718";
constexpr char kOwnIp[] = "10.0.1.25";
constexpr char kRoleArn[] = "arn:aws:iam::111122223333:role/app-role";

std::string SessionArn(const std::string& role, const std::string& session) {
  return std::string("arn:aws:sts::") + kAccount + ":assumed-role/" + role + "/" + session;
}

struct Call {
  std::string id;
  std::string time;
  std::string session_arn;
  std::string access_key;
  std::string source_ip;
  std::string event_source = "s3.amazonaws.com";
  std::string event_name = "ListBuckets";
  bool ec2_delivered = false;
  Json response = nullptr;
  Json extra = Json::object();  // top-level members such as vpcEndpointAccountId
};

Json Record(const Call& c) {
  const std::string_view marker = "assumed-role/";
  const size_t role_at = c.session_arn.find(marker) + marker.size();
  const std::string role = c.session_arn.substr(role_at, c.session_arn.find('/', role_at) - role_at);
  Json context{{"sessionIssuer",
                {{"type", "Role"},
                 {"principalId", "AROAEXAMPLEROLEID"},
                 {"arn", std::string("arn:aws:iam::") + kAccount + ":role/" + role},
                 {"accountId", kAccount},
                 {"userName", role}}},
               {"attributes", {{"creationDate", "2026-11-30T09:00:00Z"}, {"mfaAuthenticated", "false"}}}};
  if (c.ec2_delivered) context["ec2RoleDelivery"] = "2.0";
  Json record{{"eventVersion", "1.09"},
              {"userIdentity",
               {{"type", "AssumedRole"},
                {"principalId", "AROAEXAMPLEROLEID:" + c.session_arn.substr(c.session_arn.rfind('/') + 1)},
                {"arn", c.session_arn},
                {"accountId", kAccount},
                {"accessKeyId", c.access_key},
                {"sessionContext", context}}},
              {"eventTime", c.time},
              {"eventSource", c.event_source},
              {"eventName", c.event_name},
              {"awsRegion", "eu-west-1"},
              {"sourceIPAddress", c.source_ip},
              {"userAgent", "aws-cli/2.15.0"},
              {"requestParameters", nullptr},
              {"responseElements", c.response},
              {"eventID", c.id},
              {"readOnly", true},
              {"eventType", "AwsApiCall"},
              {"recipientAccountId", kAccount}};
  for (auto& [key, value] : c.extra.items()) record[key] = value;
  return record;
}

void WriteTrail(const std::filesystem::path& file, const std::vector<Call>& calls) {
  Json records = Json::array();
  for (const Call& c : calls) records.push_back(Record(c));
  WriteFile(file, Json{{"Records", records}}.dump());
}

const std::string kInstanceSession = SessionArn("app-role", kInstance);

Selectors InstanceSelectors() {
  Selectors s;
  s.instances = {kInstance};
  s.ips = {kOwnIp};
  return s;
}

HuntResults HuntFollowingChains(const Selectors& s, const std::string& folder) {
  std::vector<SourceSpec> sources;
  sources.push_back({LogKind::kCloudTrail, std::make_unique<LocalSource>(folder)});
  Result<HuntResults> r = RunHunt(s, sources, {});
  if (!r) throw std::runtime_error(r.error().message);
  if (Status chained = FollowRoleChains(s, sources, {}, &*r); !chained) throw std::runtime_error("chains");
  return std::move(*r);
}

// Case 1: the instance's credentials, from the instance's own private address, but through a VPC endpoint
// another account owns: a private address is the instance only inside the instance's network, so this is
// a use from elsewhere (CloudTrail record contents: vpcEndpointAccountId is the endpoint owner's account).
TEST(Attribution, OwnPrivateIpThroughAnotherAccountsEndpointIsExfiltration) {
  TempDir dir;
  Call own{"e-own", "2026-11-30T10:00:00Z", kInstanceSession, "ASIAINSTANCEKEY00001", kOwnIp};
  own.ec2_delivered = true;
  own.extra = {{"vpcEndpointId", "vpce-0own"}, {"vpcEndpointAccountId", kAccount}};
  Call foreign = own;
  foreign.id = "e-foreign";
  foreign.time = "2026-11-30T10:05:00Z";
  foreign.extra = {{"vpcEndpointId", "vpce-0attacker"}, {"vpcEndpointAccountId", "444455556666"}};
  WriteTrail(dir.path() / "trail.json", {own, foreign});

  const Selectors s = InstanceSelectors();
  HuntResults r = HuntFollowingChains(s, dir.path());
  const std::vector<SessionUse> sessions = InstanceSessions(r, s);
  ASSERT_EQ(sessions.size(), 2u);
  EXPECT_TRUE(sessions[0].own_ip);  // through the account's own endpoint
  const std::vector<SessionUse> exfil = Exfiltration(sessions, s);
  ASSERT_EQ(exfil.size(), 1u);
  EXPECT_EQ(exfil[0].source_ip, kOwnIp);
  EXPECT_EQ(exfil[0].vpc_endpoint_account, "444455556666");
  EXPECT_EQ(exfil[0].first, "2026-11-30T10:05:00Z");
}

// Case 2: the instance's session assumes another role; that role's records name neither the instance nor
// its role, and come from the attacker's address. They are found, tied to the instance's session, and
// the use from outside is flagged, two hops deep.
TEST(Attribution, RolesAssumedFromTheInstanceSessionAreFollowed) {
  TempDir dir;
  const std::string pivot = SessionArn("admin-role", "pivot");
  const std::string deeper = SessionArn("data-role", "deeper");
  Call assume{"e-assume", "2026-11-30T10:00:00Z", kInstanceSession, "ASIAINSTANCEKEY00001",
              kOwnIp,     "sts.amazonaws.com",    "AssumeRole"};
  assume.ec2_delivered = true;
  assume.response = {{"credentials", {{"accessKeyId", "ASIAPIVOTKEY00000002"}, {"expiration", "x"}}},
                     {"assumedRoleUser", {{"assumedRoleId", "AROAADMIN:pivot"}, {"arn", pivot}}}};
  Call pivot_use{"e-pivot", "2026-11-30T10:10:00Z", pivot, "ASIAPIVOTKEY00000002", "203.0.113.9"};
  Call pivot_assume{"e-pivot-assume", "2026-11-30T10:11:00Z", pivot,       "ASIAPIVOTKEY00000002",
                    "203.0.113.9",    "sts.amazonaws.com",    "AssumeRole"};
  pivot_assume.response = {{"credentials", {{"accessKeyId", "ASIADEEPERKEY0000003"}}},
                           {"assumedRoleUser", {{"arn", deeper}}}};
  Call deeper_use{"e-deeper",    "2026-11-30T10:12:00Z", deeper,     "ASIADEEPERKEY0000003",
                  "203.0.113.9", "s3.amazonaws.com",     "GetObject"};
  Call unrelated{"e-other", "2026-11-30T10:13:00Z", SessionArn("admin-role", "someone"),
                 "ASIAOTHERKEY00000004", "203.0.113.9"};
  WriteTrail(dir.path() / "a.json", {assume});
  WriteTrail(dir.path() / "b.json", {pivot_use, pivot_assume, deeper_use, unrelated});

  const Selectors s = InstanceSelectors();
  std::vector<SourceSpec> sources;
  sources.push_back({LogKind::kCloudTrail, std::make_unique<LocalSource>(dir.path())});
  Result<HuntResults> first_scan = RunHunt(s, sources, {});
  ASSERT_TRUE(first_scan);
  EXPECT_EQ(first_scan->events.size(), 1u);  // without following, only the AssumeRole itself

  HuntResults r = HuntFollowingChains(s, dir.path());
  std::map<std::string, std::string> assumed_from;
  for (const CloudTrailEvent& e : r.events) assumed_from[e.event_id] = e.assumed_from;
  EXPECT_EQ(assumed_from, (std::map<std::string, std::string>{{"e-assume", ""},
                                                              {"e-pivot", kInstanceSession},
                                                              {"e-pivot-assume", kInstanceSession},
                                                              {"e-deeper", pivot}}));
  const std::vector<SessionUse> exfil = Exfiltration(InstanceSessions(r, s), s);
  ASSERT_EQ(exfil.size(), 2u);
  EXPECT_EQ(exfil[0].session_arn, pivot);
  EXPECT_EQ(exfil[0].instance, kInstance);
  EXPECT_EQ(exfil[0].events, 2u);
  EXPECT_EQ(exfil[1].session_arn, deeper);
  EXPECT_EQ(exfil[1].instance, kInstance);
  EXPECT_EQ(exfil[1].assumed_from, pivot);
}

// Case 2b: an AssumeRole by a session only named after the instance is not followed: it is not proven
// to be the instance's, so what it led to is not the instance's either.
TEST(Attribution, AssumeRoleOfAnUnprovenSessionIsNotFollowed) {
  TempDir dir;
  Call assume{"e-assume",     "2026-11-30T10:00:00Z", kInstanceSession, "ASIAFORGEDKEY0000001",
              "198.51.100.7", "sts.amazonaws.com",    "AssumeRole"};
  assume.response = {{"credentials", {{"accessKeyId", "ASIAPIVOTKEY00000002"}}},
                     {"assumedRoleUser", {{"arn", SessionArn("admin-role", "pivot")}}}};
  Call pivot_use{"e-pivot", "2026-11-30T10:10:00Z", SessionArn("admin-role", "pivot"), "ASIAPIVOTKEY00000002",
                 "203.0.113.9"};
  WriteTrail(dir.path() / "a.json", {assume, pivot_use});
  HuntResults r = HuntFollowingChains(InstanceSelectors(), dir.path());
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].event_id, "e-assume");
}

// Case 3: someone allowed to assume the instance's role names the session after a sibling instance and
// uses it from outside. No record carries ec2RoleDelivery, which CloudTrail sets only on credentials EC2
// delivered to an instance: the sibling is not blamed, and the session is reported as unproven.
TEST(Attribution, SessionMerelyNamedAfterTheInstanceIsNotItsExfiltration) {
  TempDir dir;
  Call framed{"e-framed", "2026-11-30T10:00:00Z", kInstanceSession, "ASIAFORGEDKEY0000001", "198.51.100.7"};
  WriteTrail(dir.path() / "trail.json", {framed});
  const Selectors s = InstanceSelectors();
  HuntResults r = HuntFollowingChains(s, dir.path());
  const std::vector<SessionUse> sessions = InstanceSessions(r, s);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_FALSE(sessions[0].issued_by_ec2);
  EXPECT_TRUE(Exfiltration(sessions, s).empty());
  const std::vector<SessionUse> unproven = UnprovenSessions(sessions);
  ASSERT_EQ(unproven.size(), 1u);
  EXPECT_EQ(unproven[0].source_ip, "198.51.100.7");

  // The same use with the field EC2 sets: the instance's credentials, used from outside.
  Call delivered = framed;
  delivered.ec2_delivered = true;
  WriteTrail(dir.path() / "trail.json", {delivered});
  r = HuntFollowingChains(s, dir.path());
  EXPECT_EQ(Exfiltration(InstanceSessions(r, s), s).size(), 1u);
  EXPECT_TRUE(UnprovenSessions(InstanceSessions(r, s)).empty());
}

TEST(Attribution, ArnAccount) {
  EXPECT_EQ(ArnAccount(kInstanceSession), kAccount);
  EXPECT_EQ(ArnAccount(kRoleArn), kAccount);
  EXPECT_EQ(ArnAccount("arn:aws:s3:::bucket"), "");
  EXPECT_EQ(ArnAccount("not-an-arn"), "");
}

}  // namespace
}  // namespace cordon::hunt

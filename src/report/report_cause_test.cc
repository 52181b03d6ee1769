// "How it happened" from the documents `cordon posture --case` and `cordon hunt --case` store: only what
// they hold, in time order, each line with its source; and, with nothing stored, what would be needed.
#include <gtest/gtest.h>

#include "report/report_parts.h"

namespace cordon::report::detail {
namespace {

evidence::EvidenceItem Item(const std::string& location, const std::string& time) {
  evidence::EvidenceItem item;
  item.location = location;
  item.time = time;
  item.sha256 = "ab12";
  return item;
}

Json Posture() {
  Json open = {
      {"check", "sg.world_open"},
      {"severity", "critical"},
      {"region", "us-east-1"},
      {"title", "sg-1 (web) is open to 0.0.0.0/0 on tcp/22"},
      {"evidence", {"sg-1", "eni-1", "i-1"}},
      {"fix", "aws ec2 revoke-security-group-ingress --group-id sg-1"},
      {"details",
       {{"network_interfaces",
         {{{"network_interface_id", "eni-1"}, {"instance_id", "i-1"}, {"public_ip", "54.0.0.1"}},
          {{"network_interface_id", "eni-9"}, {"instance_id", "i-9"}, {"public_ip", "54.0.0.9"}}}}}}};
  Json imds = {{"check", "instance.imdsv1"},
               {"severity", "high"},
               {"region", "us-east-1"},
               {"title", "i-1 allows IMDSv1"},
               {"evidence", Json::array({"i-1"})},
               {"fix", "aws ec2 ..."}};
  Json volume = {{"check", "volume.unencrypted"},     {"severity", "medium"},         {"region", "us-east-1"},
                 {"title", "vol-1 is not encrypted"}, {"evidence", {"vol-1", "i-1"}}, {"fix", "aws ec2 ..."}};
  Json elsewhere = {{"check", "instance.imdsv1"},
                    {"severity", "high"},
                    {"region", "us-east-1"},
                    {"title", "i-9 allows IMDSv1"},
                    {"evidence", Json::array({"i-9"})},
                    {"fix", "aws ec2 ..."}};
  return {{"findings", {open, imds, volume, elsewhere}},
          {"not_assessed", Json::array()},
          {"case_share", {{"ids", {"i-1", "eni-1"}}, {"findings", {open, imds, volume}}}}};
}

Json Hunt() {
  Json by = {{"eventID", "ev-7"},
             {"eventTime", "2026-01-01T10:05:00Z"},
             {"eventName", "ListBuckets"},
             {"sourceIPAddress", "203.0.113.9"},
             {"identity", {{"arn", "arn:aws:sts::1:assumed-role/web/i-1"}}},
             {"file", "AWSLogs/ct.json.gz"}};
  Json exfil = {{"session", "arn:aws:sts::1:assumed-role/web/i-1"},
                {"instance", "i-1"},
                {"sourceIPAddress", "203.0.113.9"},
                {"first", "2026-01-01T10:05:00Z"},
                {"last", "2026-01-01T10:09:00Z"},
                {"events", 3}};
  Json flows = {{"matched_records", 3},
                {"aggregates",
                 {{{"peer", "203.0.113.9"},
                   {"port", 22},
                   {"protocol", 6},
                   {"direction", "ingress"},
                   {"action", "ACCEPT"},
                   {"bytes", 900},
                   {"packets", 9},
                   {"flows", 1},
                   {"first", "2026-01-01T10:01:00Z"},
                   {"last", "2026-01-01T10:02:00Z"}},
                  {{"peer", "203.0.113.9"},
                   {"port", 443},
                   {"protocol", 6},
                   {"direction", "egress"},
                   {"action", "ACCEPT"},
                   {"bytes", 90},
                   {"packets", 2},
                   {"flows", 1},
                   {"first", "2026-01-01T10:03:00Z"},
                   {"last", "2026-01-01T10:03:00Z"}},
                  {{"peer", "198.51.100.1"},
                   {"port", 80},
                   {"protocol", 6},
                   {"direction", "egress"},
                   {"action", "ACCEPT"},
                   {"bytes", 9000},
                   {"packets", 20},
                   {"flows", 1},
                   {"first", "2026-01-01T09:00:00Z"},
                   {"last", "2026-01-01T09:00:00Z"}}}}};
  Json match = {
      {"rule", {{"id", "r-1"}, {"title", "AWS List Buckets"}, {"level", "low"}, {"author", "A. B."}}},
      {"event", by}};
  return {{"cloudtrail",
           {{"by", Json::array({by})}, {"on", Json::array()}, {"exfiltration", Json::array({exfil})}}},
          {"flows", flows},
          {"findings", Json::array()},
          {"sigma", {{"matches", Json::array({match})}, {"correlations", Json::array()}}}};
}

TEST(ReportCause, NothingStoredSaysWhatWouldBeNeeded) {
  HowItHappened h = CauseCollector().Finish({"i-1"}, "IR-1");
  EXPECT_TRUE(h.exposure.empty());
  EXPECT_TRUE(h.events.empty());
  ASSERT_EQ(h.gaps.size(), 3u);
  EXPECT_NE(h.gaps[0].find("`cordon posture --case IR-1`"), std::string::npos);
  EXPECT_NE(h.gaps[1].find("cordon hunt --instance i-1"), std::string::npos);
  EXPECT_NE(h.gaps[1].find("--case IR-1"), std::string::npos);
  EXPECT_NE(h.gaps[2].find("--sigma"), std::string::npos);
}

TEST(ReportCause, ExposureIsTheSuspectsShareOnly) {
  CauseCollector c;
  c.AddPosture(Item("evidence/posture-1.json", "2026-01-02T08:00:00Z"), Posture());
  HowItHappened h = c.Finish({"i-1"}, "IR-1");
  ASSERT_EQ(h.exposure.size(), 3u);
  EXPECT_EQ(h.exposure[0].kind, "open group");
  EXPECT_EQ(h.exposure[1].kind, "public address");
  EXPECT_EQ(h.exposure[1].what.rfind("54.0.0.1 on eni-1 of i-1", 0), 0u);  // not i-9's 54.0.0.9
  EXPECT_EQ(h.exposure[2].kind, "IMDSv1");
  for (const CauseLine& l : h.exposure) {
    EXPECT_EQ(l.time, "2026-01-02T08:00:00Z");
    EXPECT_NE(l.source.find("evidence/posture-1.json"), std::string::npos) << l.source;
  }
  EXPECT_NE(h.exposure[0].source.find("finding sg.world_open (sg-1 eni-1 i-1)"), std::string::npos);
}

TEST(ReportCause, PreStateNamesThePublicAddressOnce) {
  CauseCollector c;
  evidence::PreStateRecord pre{
      "i-1",
      Json{{"instance", {{"PublicIpAddress", "54.0.0.1"}}},
           {"network_interfaces",
            {{{"NetworkInterfaceId", "eni-1"}, {"Association", {{"PublicIp", "54.0.0.1"}}}}}},
           {"addresses", Json::array()}},
      "2026-01-02T07:00:00Z", 5, "cafe"};
  c.AddPreState(pre);
  c.AddPosture(Item("evidence/posture-1.json", "2026-01-02T08:00:00Z"), Posture());
  HowItHappened h = c.Finish({"i-1"}, "IR-1");
  size_t public_lines = 0;
  for (const CauseLine& l : h.exposure)
    if (l.kind == "public address") {
      ++public_lines;
      EXPECT_NE(l.source.find("pre-state of i-1 recorded 2026-01-02T07:00:00Z (journal seq 5"),
                std::string::npos);
    }
  EXPECT_EQ(public_lines, 1u);
}

TEST(ReportCause, EventsInTimeOrderWithTheirSources) {
  CauseCollector c;
  c.AddHunt(Item("evidence/hunt-1.json", "2026-01-02T09:00:00Z"), Hunt());
  HowItHappened h = c.Finish({"i-1"}, "IR-1");
  ASSERT_EQ(h.events.size(), 3u);
  EXPECT_EQ(h.events[0].kind, "first contact");  // the attacker's earliest flow, not 198.51.100.1's
  EXPECT_EQ(h.events[0].time, "2026-01-01T10:01:00Z");
  EXPECT_NE(h.events[0].what.find("first flow with 203.0.113.9"), std::string::npos);
  EXPECT_NE(h.events[0].what.find("ingress, port 22"), std::string::npos);
  EXPECT_NE(h.events[0].source.find("evidence/hunt-1.json: flows.aggregates (peer 203.0.113.9, port 22)"),
            std::string::npos);
  EXPECT_EQ(h.events[1].kind, "credential use");
  EXPECT_EQ(h.events[1].time, "2026-01-01T10:05:00Z");
  EXPECT_NE(h.events[1].source.find("CloudTrail event ev-7 (ListBuckets) in AWSLogs/ct.json.gz"),
            std::string::npos);
  EXPECT_EQ(h.events[2].kind, "sigma");
  EXPECT_NE(h.events[2].what.find("\"AWS List Buckets\" (low; r-1; by A. B.)"), std::string::npos);
  EXPECT_NE(h.events[2].source.find("sigma.matches"), std::string::npos);
  // The exposure is unknown without a posture, and says so; the hunt's parts are known.
  ASSERT_EQ(h.gaps.size(), 1u);
  EXPECT_NE(h.gaps[0].find("cordon posture --case IR-1"), std::string::npos);
}

TEST(ReportCause, NoCredentialUseMeansNoAttackerAddress) {
  Json hunt = Hunt();
  hunt["cloudtrail"]["exfiltration"] = Json::array();
  hunt.erase("sigma");
  CauseCollector c;
  c.AddHunt(Item("evidence/hunt-1.json", "2026-01-02T09:00:00Z"), hunt);
  HowItHappened h = c.Finish({"i-1"}, "IR-1");
  EXPECT_TRUE(h.events.empty());  // 198.51.100.1's flow is not called the attacker's
  bool said = false, sigma = false;
  for (const std::string& g : h.gaps) {
    said = said || g.find("no attacker address is known") != std::string::npos;
    sigma = sigma || g.find("no stored hunt ran Sigma rules") != std::string::npos;
  }
  EXPECT_TRUE(said);
  EXPECT_TRUE(sigma);
}

TEST(ReportPosture, ShareFirstThenTheRest) {
  PostureReport p = PostureSection(Item("evidence/posture-1.json", "2026-01-02T08:00:00Z"), Posture());
  EXPECT_EQ(p.share.size(), 3u);
  ASSERT_EQ(p.elsewhere.size(), 1u);
  EXPECT_EQ(p.elsewhere[0].evidence, std::vector<std::string>{"i-9"});
  EXPECT_EQ(p.share_ids, (std::vector<std::string>{"i-1", "eni-1"}));
  EXPECT_EQ(p.share[0].fix, "aws ec2 revoke-security-group-ingress --group-id sg-1");
}

}  // namespace
}  // namespace cordon::report::detail

#include "hunt/flow_log_reader.h"

#include <gtest/gtest.h>

#include "hunt/test_util.h"

namespace cordon::hunt {
namespace {

using testing::Hunt;
using testing::TestData;

const std::string kDocs = TestData("vpcflow/aws-vpc-user-guide/derived/");

FlowAggregate Get(const HuntResults& r, const std::string& peer, int port, int protocol,
                  const std::string& direction, const std::string& action) {
  auto it = r.flows.find(FlowKey{peer, port, protocol, direction, action});
  EXPECT_NE(it, r.flows.end()) << peer << " " << port << " " << direction << " " << action;
  return it == r.flows.end() ? FlowAggregate{} : it->second;
}

uint64_t SumFlows(const HuntResults& r) {
  uint64_t n = 0;
  for (auto& [k, a] : r.flows) n += a.flows;
  return n;
}

TEST(FlowLogReader, DefaultFormatExamplesAggregateByHand) {
  Selectors s;
  s.ips = {"172.31.16.139"};
  HuntResults r = Hunt(s, {{LogKind::kFlowLogs, kDocs + "default-v2-examples.log"}});
  // By hand (and a one-off awk): 172.31.16.139 is in records 1 (src, SSH to .21), 5 (dst of an ICMP ping
  // from 203.0.113.12, ACCEPT) and 6 (src of the ICMP reply, REJECT by the NACL). The 172.31.16.139 in the
  // IPv6 record's neighbours and 172.31.16.21/.12 are not hits.
  EXPECT_EQ(r.flow_matched_records, 3u);
  ASSERT_EQ(r.flows.size(), 3u);
  FlowAggregate ssh = Get(r, "172.31.16.21", 22, 6, "egress", "ACCEPT");
  EXPECT_EQ(ssh.bytes, 4249u);
  EXPECT_EQ(ssh.packets, 20u);
  EXPECT_EQ(ssh.flows, 1u);
  EXPECT_EQ(ssh.first, 1418530010);
  EXPECT_EQ(ssh.last, 1418530070);
  FlowAggregate ping = Get(r, "203.0.113.12", 0, 1, "ingress", "ACCEPT");
  EXPECT_EQ(ping.bytes, 336u);
  EXPECT_EQ(ping.packets, 4u);
  FlowAggregate reply = Get(r, "203.0.113.12", 0, 1, "egress", "REJECT");
  EXPECT_EQ(reply.bytes, 336u);
  EXPECT_EQ(reply.first, 1432917094);
  EXPECT_EQ(reply.last, 1432917142);
  EXPECT_TRUE(r.skipped.empty());
}

TEST(FlowLogReader, EniSelectorCountsNoDataApart) {
  Selectors s;
  s.enis = {"eni-1235b8ca123456789"};
  HuntResults r = Hunt(s, {{LogKind::kFlowLogs, kDocs + "default-v2-examples.log"}});
  // Records 1, 2, 5, 6, 7 carry traffic on this ENI; record 3 is its NODATA record; record 4 (SKIPDATA)
  // belongs to another ENI. Without --ip or flow-direction the direction is unknown.
  EXPECT_EQ(r.flow_matched_records, 5u);
  EXPECT_EQ(r.flow_nodata_records, 1u);
  EXPECT_EQ(SumFlows(r), 5u);
  FlowAggregate rdp = Get(r, "172.31.9.69->172.31.9.12", 3389, 6, "unknown", "REJECT");
  EXPECT_EQ(rdp.bytes, 4249u);
}

TEST(FlowLogReader, CustomV3TcpFlagsSequenceWithDoubledSpace) {
  Selectors s;
  s.ips = {"10.0.0.62"};
  HuntResults r = Hunt(s, {{LogKind::kFlowLogs, kDocs + "custom-v3-tcp-flags-sequence.log"}});
  // awk over the 8 records (the last has a doubled space, verbatim from the docs):
  //   ingress 52.213.180.42 -> :5001   4 flows, 568+100701+23294588+1260 = 23397117 bytes, 15869 packets
  //   egress  -> 52.213.180.42:43416   1 flow, 376 bytes, 7 packets
  //   egress  -> 52.213.180.42:43418   2 flows, 632+63388 = 64020 bytes, 12+1219 = 1231 packets
  //   egress  -> 52.213.180.42:43638   1 flow, 967 bytes, 14 packets
  EXPECT_EQ(r.flow_matched_records, 8u);
  EXPECT_TRUE(r.skipped.empty());
  ASSERT_EQ(r.flows.size(), 4u);
  FlowAggregate in = Get(r, "52.213.180.42", 5001, 6, "ingress", "ACCEPT");
  EXPECT_EQ(in.bytes, 23397117u);
  EXPECT_EQ(in.packets, 15869u);
  EXPECT_EQ(in.flows, 4u);
  EXPECT_EQ(in.first, 1566848875);
  EXPECT_EQ(in.last, 1566933193);
  EXPECT_EQ(Get(r, "52.213.180.42", 43416, 6, "egress", "ACCEPT").bytes, 376u);
  FlowAggregate out43418 = Get(r, "52.213.180.42", 43418, 6, "egress", "ACCEPT");
  EXPECT_EQ(out43418.bytes, 64020u);
  EXPECT_EQ(out43418.packets, 1231u);
  EXPECT_EQ(out43418.flows, 2u);
  EXPECT_EQ(out43418.last, 1566849113);
  EXPECT_EQ(Get(r, "52.213.180.42", 43638, 6, "egress", "ACCEPT").packets, 14u);
}

TEST(FlowLogReader, NatGatewayPeerIsThePacketAddress) {
  Selectors s;
  s.ips = {"10.0.1.5"};
  HuntResults r = Hunt(s, {{LogKind::kFlowLogs, kDocs}});
  // custom-nat-gateway-eni.log records 1 and 4, custom-nat-private-instance-eni.log records 1 and 2:
  // the remote behind the NAT gateway is 203.0.113.5 (pkt-dstaddr / pkt-srcaddr). These formats have no
  // ports, protocol, bytes or action. Other files do not mention 10.0.1.5.
  EXPECT_EQ(r.flow_matched_records, 4u);
  ASSERT_EQ(r.flows.size(), 2u);
  EXPECT_EQ(Get(r, "203.0.113.5", -1, -1, "egress", "-").flows, 2u);
  EXPECT_EQ(Get(r, "203.0.113.5", -1, -1, "ingress", "-").flows, 2u);
}

TEST(FlowLogReader, V5FlowDirectionGivesDirectionForInstanceSelector) {
  Selectors s;
  s.instances = {"i-0c50d5961bcb2d47b"};
  HuntResults r = Hunt(s, {{LogKind::kFlowLogs, kDocs + "custom-v5-traffic-path-flow-direction.log"}});
  EXPECT_EQ(r.flow_matched_records, 2u);
  FlowAggregate in = Get(r, "52.95.128.179", 34210, 6, "ingress", "ACCEPT");
  EXPECT_EQ(in.bytes, 15044u);
  EXPECT_EQ(in.packets, 14u);
  FlowAggregate out = Get(r, "52.95.128.179", 80, 6, "egress", "ACCEPT");
  EXPECT_EQ(out.bytes, 471u);
  EXPECT_EQ(out.packets, 7u);
}

// The prefilter looks only for selectors the file's format can hold: a record is never parsed for an
// instance id when the format has no instance-id field (the default one has none), nor for a role or an
// access key, which no flow field holds. The instance id below sits in the account-id field of the first
// record: the exact rule would reject it anyway, but only after parsing the line.
TEST(FlowLogReader, SelectorsTheFormatCannotHoldAreNotSearched) {
  Selectors s;
  s.instances = {"i-0c50d5961bcb2d47b"};
  s.roles = {"web-node"};
  s.access_keys = {"ASIAEXAMPLEEXAMPLE01"};
  s.ips = {"10.0.0.5"};
  const std::string v2 =
      "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
      "action "
      "log-status\n"
      "2 i-0c50d5961bcb2d47b eni-1 10.0.0.9 10.0.0.7 1 2 6 1 40 100 160 ACCEPT OK\n"
      "2 web-node eni-1 10.0.0.9 10.0.0.7 1 2 6 1 40 100 160 ACCEPT OK\n"
      "2 ASIAEXAMPLEEXAMPLE01 eni-1 10.0.0.5 10.0.0.7 1 443 6 3 120 100 160 ACCEPT OK\n";
  HuntResults r;
  FlowLogReader reader(s);
  reader.Scan("v2.log", v2, &r);
  EXPECT_EQ(r.flow_lines_parsed, 1u);  // only the line with the IP
  EXPECT_EQ(r.flow_matched_records, 1u);
  EXPECT_EQ(Get(r, "10.0.0.7", 443, 6, "egress", "ACCEPT").bytes, 120u);

  // With an instance-id field, the instance id is searched and matches.
  HuntResults v5;
  reader.Scan("v5.log",
              "instance-id srcaddr dstaddr srcport dstport protocol packets bytes start end action\n"
              "i-0c50d5961bcb2d47b 10.0.0.9 10.0.0.7 1 22 6 2 80 100 160 REJECT\n",
              &v5);
  EXPECT_EQ(v5.flow_lines_parsed, 1u);
  EXPECT_EQ(v5.flow_matched_records, 1u);
}

TEST(FlowLogReader, OtelFilesWithV6AndV7FieldsHaveNoWarnings) {
  Selectors s;
  s.ips = {"10.0.1.100", "10.0.0.1"};
  HuntResults r =
      Hunt(s, {{LogKind::kFlowLogs,
                TestData("vpcflow/opentelemetry-collector-contrib/extension/encoding/"
                         "awslogsencodingextension/internal/unmarshaler/vpc-flow-log/testdata")}});
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_TRUE(r.skipped.empty());
  // The ECS record (10.0.1.100 -> 10.0.2.200:22) and the TGW record (10.0.0.1 -> 10.0.1.1:443; TGW logs
  // have no action field).
  EXPECT_EQ(r.flow_matched_records, 2u);
  EXPECT_EQ(Get(r, "10.0.2.200", 22, 6, "egress", "ACCEPT").bytes, 3500u);
  EXPECT_EQ(Get(r, "10.0.1.1", 443, 6, "egress", "-").bytes, 1000u);
}

TEST(FlowLogReader, StreamedPiecesGiveTheSameAggregates) {
  Selectors s;
  s.ips = {"10.0.0.62"};
  const std::string text = testing::ReadFile(kDocs + "custom-v3-tcp-flags-sequence.log");
  HuntResults whole;
  FlowLogReader reader(s);
  reader.Scan("f", text, &whole);
  for (size_t piece : {1, 7, 64, 333}) {
    HuntResults streamed;
    reader.Begin("f", &streamed);
    for (size_t i = 0; i < text.size(); i += piece) reader.Feed(std::string_view(text).substr(i, piece));
    reader.Finish();
    EXPECT_EQ(streamed.flow_matched_records, whole.flow_matched_records) << piece;
    ASSERT_EQ(streamed.flows.size(), whole.flows.size()) << piece;
    for (auto& [key, agg] : whole.flows) {
      EXPECT_EQ(streamed.flows[key].bytes, agg.bytes) << piece;
    }
  }
}

// Issue 16: a line longer than the cap (here 200 bytes; the hunt's is 64 KiB) is skipped and reported with
// where it began, in whole scans and in streamed pieces of any size, and the lines around it still count.
// Streamed, the reader never holds the long line: an endless one costs the cap, not its length.
TEST(FlowLogReader, OverlongLineIsSkippedAndTheRestIsRead) {
  Selectors s;
  s.ips = {"10.0.3.8"};
  const std::string good = "2 1 eni-1 10.0.3.8 10.0.0.9 1 22 6 1 100 1700000000 1700000060 ACCEPT OK\n";
  const std::string header = std::string(kDefaultFlowHeader) + "\n";
  const std::string text = header + good + "2 1 eni-1 10.0.3.8 " + std::string(5000, '7') + "\n" + good;
  const uint64_t long_at = header.size() + good.size();
  auto check = [&](const HuntResults& r, const std::string& how) {
    EXPECT_EQ(r.flow_matched_records, 2u) << how;
    ASSERT_EQ(r.skipped.size(), 1u) << how;
    EXPECT_EQ(r.skipped[0].unit, "line") << how;
    EXPECT_EQ(r.skipped[0].reason, "line over 200 bytes (first at byte " + std::to_string(long_at) + ")")
        << how;
  };
  FlowLogReader reader(s, 200);
  HuntResults whole;
  reader.Scan("f", text, &whole);
  check(whole, "whole");
  for (size_t piece : {1, 7, 199, 200, 201, 4096}) {
    HuntResults streamed;
    reader.Begin("f", &streamed);
    for (size_t i = 0; i < text.size(); i += piece) reader.Feed(std::string_view(text).substr(i, piece));
    reader.Finish();
    check(streamed, "piece " + std::to_string(piece));
  }
}

// An overlong first line is not taken for the header: the header is the next line.
TEST(FlowLogReader, OverlongFirstLineIsNotTheHeader) {
  Selectors s;
  s.ips = {"10.0.3.8"};
  const std::string text = std::string(500, 'x') + "\n" + std::string(kDefaultFlowHeader) +
                           "\n2 1 eni-1 10.0.3.8 10.0.0.9 1 22 6 1 100 1700000000 1700000060 ACCEPT OK\n";
  FlowLogReader reader(s, 200);
  HuntResults r;
  reader.Scan("f", text, &r);
  EXPECT_EQ(r.flow_matched_records, 1u);
  EXPECT_TRUE(r.warnings.empty());
  ASSERT_EQ(r.skipped.size(), 1u);
  EXPECT_EQ(r.skipped[0].reason, "line over 200 bytes (first at byte 0)");
}

}  // namespace
}  // namespace cordon::hunt

#include "hunt/output.h"

#include <gtest/gtest.h>

#include <sstream>

#include "hunt/test_util.h"

namespace cordon::hunt {
namespace {

using testing::Hunt;
using testing::SharedData;

HuntResults InvictusAndFlows(Selectors* s) {
  s->instances = {"i-0dbc91f429e48eeed"};
  s->ips = {"3.225.16.109", "172.31.16.139"};
  return Hunt(
      *s, {{LogKind::kCloudTrail, SharedData("cloudtrail/invictus-aws-dataset/CloudTrail")},
           {LogKind::kFlowLogs, SharedData("vpcflow/aws-vpc-user-guide/derived/default-v2-examples.log")}});
}

TEST(Output, JsonHasTheDocumentedShape) {
  Selectors s;
  HuntResults r = InvictusAndFlows(&s);
  Json j = ResultsToJson(r, s);
  ASSERT_TRUE(j["cloudtrail"]["by"].is_array());
  ASSERT_TRUE(j["cloudtrail"]["on"].is_array());
  EXPECT_EQ(j["cloudtrail"]["by"].size(), 15u);
  for (const Json& e : j["cloudtrail"]["by"]) EXPECT_TRUE(e["eventID"].is_string());
  EXPECT_EQ(j["cloudtrail"]["exfiltration"].size(), 1u);
  EXPECT_EQ(j["cloudtrail"]["exfiltration"][0]["sourceIPAddress"], "192.168.10.20");
  EXPECT_EQ(j["flows"]["matched_records"], 3);
  ASSERT_EQ(j["flows"]["aggregates"].size(), 3u);
  const Json& top = j["flows"]["aggregates"][0];  // sorted by bytes
  for (const char* key :
       {"peer", "port", "protocol", "direction", "action", "bytes", "packets", "flows", "first", "last"}) {
    EXPECT_TRUE(top.contains(key)) << key;
  }
  EXPECT_EQ(top["peer"], "172.31.16.21");
  EXPECT_EQ(top["first"], "2014-12-14T04:06:50Z");
  EXPECT_EQ(j["flows"]["rejected"].size(), 1u);
  EXPECT_TRUE(j["findings"].is_array());
  EXPECT_TRUE(j["skipped"].is_array());
  EXPECT_EQ(j["summary"]["complete"], true);
  EXPECT_EQ(j["summary"]["events_by"], 15);
  EXPECT_EQ(j["summary"]["flow_records"], 3);
}

// --output json writes the aggregates directly for speed; it must stay byte for byte what the
// document's dump(2) is, with the real samples and with the edge cases (no port/protocol, no times,
// a peer needing escaping, REJECT and ACCEPT, no aggregates at all).
TEST(Output, JsonTextIsTheDocumentsDumpByteForByte) {
  Selectors s;
  HuntResults r = InvictusAndFlows(&s);
  EXPECT_EQ(ResultsToJsonText(r, s), ResultsToJson(r, s).dump(2));

  HuntResults edge;
  FlowAggregate a;
  a.bytes = 10;
  a.packets = 2;
  a.flows = 1;
  edge.flows[FlowKey{"10.0.0.1", -1, -1, "in", "REJECT"}] = a;  // first/last never seen: null
  a.first = 1714564800;
  a.last = 1714564860;
  a.bytes = 99;
  edge.flows[FlowKey{"we\"ird\\peer", 443, 6, "out", "ACCEPT"}] = a;
  edge.Finalize();
  EXPECT_EQ(ResultsToJsonText(edge, s), ResultsToJson(edge, s).dump(2));

  HuntResults empty;
  empty.Finalize();
  EXPECT_EQ(ResultsToJsonText(empty, Selectors()), ResultsToJson(empty, Selectors()).dump(2));
}

TEST(Output, JsonLinesEndWithTheSummary) {
  Selectors s;
  HuntResults r = InvictusAndFlows(&s);
  std::ostringstream out;
  WriteResults(r, s, OutputFormat::kJsonl, out);
  std::istringstream in(out.str());
  std::string line, last;
  size_t events = 0, flows = 0;
  while (std::getline(in, line)) {
    Json j = Json::parse(line);
    events += j["type"] == "event";
    flows += j["type"] == "flow";
    last = j["type"];
  }
  EXPECT_EQ(events, r.events.size());
  EXPECT_EQ(flows, 3u);
  EXPECT_EQ(last, "summary");
}

TEST(Output, CsvHasOneRowPerItem) {
  Selectors s;
  HuntResults r = InvictusAndFlows(&s);
  std::ostringstream out;
  WriteResults(r, s, OutputFormat::kCsv, out);
  const std::string csv = out.str();
  EXPECT_EQ(csv.rfind("kind,time,last,relation,", 0), 0u);
  const size_t rows = static_cast<size_t>(std::count(csv.begin(), csv.end(), '\n'));
  EXPECT_EQ(rows, 1 + r.events.size() + 1 /*exfiltration*/ + 3 /*flows*/);
}

TEST(Output, TextLeadsWithExfiltration) {
  Selectors s;
  HuntResults r = InvictusAndFlows(&s);
  std::ostringstream out;
  WriteResults(r, s, OutputFormat::kText, out);
  EXPECT_EQ(out.str().rfind("!! CREDENTIAL EXFILTRATION: ", 0), 0u);
  EXPECT_NE(out.str().find("used from 192.168.10.20"), std::string::npos);
}

TEST(Output, FormatNames) {
  EXPECT_EQ(*ParseOutputFormat("jsonl"), OutputFormat::kJsonl);
  EXPECT_FALSE(ParseOutputFormat("xml"));
}

}  // namespace
}  // namespace cordon::hunt

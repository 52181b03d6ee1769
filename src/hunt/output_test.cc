#include "hunt/output.h"

#include <gtest/gtest.h>

#include <sstream>

#include "hunt/test_util.h"

namespace cordon::hunt {
namespace {

using testing::Hunt;
using testing::TestData;

HuntResults InvictusAndFlows(Selectors* s) {
  s->instances = {"i-0dbc91f429e48eeed"};
  s->ips = {"3.225.16.109", "172.31.16.139"};
  return Hunt(*s,
              {{LogKind::kCloudTrail, TestData("cloudtrail/invictus-aws-dataset/CloudTrail")},
               {LogKind::kFlowLogs, TestData("vpcflow/aws-vpc-user-guide/derived/default-v2-examples.log")}});
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

// --output json writes the events and aggregates directly for speed; it must stay byte for byte what
// the document's dump(2) is, with the real samples and with the edge cases (no port/protocol, no times,
// a peer needing escaping, REJECT and ACCEPT, empty and escaped event fields, no lists at all).
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
  // Events: one by, with every optional field empty (nulls) and no resources; one on, with an error code,
  // text needing escaping and UTF-8, two resources and two hits.
  CloudTrailEvent by;
  by.by = true;
  by.event_id = "e-1";
  by.hits = {{"i-0abc", "userIdentity.arn"}};
  edge.events.push_back(by);
  CloudTrailEvent on;
  on.event_id = "e-2";
  on.event_time = "2024-05-01T12:00:00Z";
  on.error_code = "Client.UnauthorizedOperation";
  on.user_agent = "aws-cli/2 \"quoted\" \\ tab\t caf\xc3\xa9";
  on.identity_type = "AssumedRole";
  on.identity_arn = "arn:aws:sts::1:assumed-role/r/i-0abc";
  on.principal_id = "AROA:i-0abc";
  on.access_key_id = "ASIAEXAMPLE";
  on.resources = {"arn:aws:ec2:us-east-1:1:instance/i-0abc", "arn:aws:iam::1:role/r"};
  on.hits = {{"i-0abc", "requestParameters"}, {"10.0.0.1", "resources"}};
  on.file = "AWSLogs/1/CloudTrail/us-east-1/2024/05/01/x.json.gz";
  edge.events.push_back(on);
  CloudTrailEvent chained = by;  // found by following a role chain (role_chains.h)
  chained.event_id = "e-3";
  chained.assumed_from = "arn:aws:sts::1:assumed-role/r/i-0abc";
  edge.events.push_back(chained);
  edge.Finalize();
  EXPECT_EQ(ResultsToJsonText(edge, s), ResultsToJson(edge, s).dump(2));

  HuntResults empty;
  empty.Finalize();
  EXPECT_EQ(ResultsToJsonText(empty, Selectors()), ResultsToJson(empty, Selectors()).dump(2));

  // Sigma matches, written directly too: none, then two of one rule with text needing escaping, a
  // rule without false positives, and events with hits, resources and a role chain.
  HuntResults sigma;
  sigma.sigma.enabled = true;
  sigma.sigma.rules_loaded = 2;
  sigma.sigma.skipped.push_back({"x.yml", "", "unknown modifier"});
  sigma.Finalize();
  EXPECT_EQ(ResultsToJsonText(sigma, Selectors()), ResultsToJson(sigma, Selectors()).dump(2));
  auto rule = std::make_shared<SigmaRuleInfo>();
  rule->id = "905d389b";
  rule->title = "A \"quoted\" title\twith caf\xc3\xa9";
  rule->level = "low";
  rule->author = "Someone \\ else";
  rule->file = "rules/a.yml";
  rule->falsepositives = {"admins", "line\nbreak"};
  auto bare = std::make_shared<SigmaRuleInfo>();
  bare->id = "b";
  for (const CloudTrailEvent& e : edge.events)
    sigma.sigma_matches.push_back(SigmaMatch{rule, SigmaEvent(e), {}});
  sigma.sigma_matches.push_back(SigmaMatch{bare, SigmaEvent(on), {}});
  EXPECT_EQ(ResultsToJsonText(sigma, Selectors()), ResultsToJson(sigma, Selectors()).dump(2));
}

// The lists are spliced into the dumped document where placeholder members stand. Text that looks like a
// placeholder, in a selector, a session or a flow peer (a tampered log), must not move them.
TEST(Output, JsonTextIsNotMisledByPlaceholderLookalikes) {
  Selectors s;
  s.roles = {"@cordon:list@", "@cordon:by@", "@cordon:aggregates@", "\"by\": \"@cordon:list@\""};
  HuntResults r;
  FlowAggregate a;
  a.bytes = 5;
  r.flows[FlowKey{"@cordon:rejected@", 1, 6, "in", "REJECT"}] = a;
  r.flows[FlowKey{"\"rejected\": \"@cordon:list@\"", 2, 6, "in", "REJECT"}] = a;
  CloudTrailEvent e;
  e.by = true;
  e.event_id = "@cordon:on@";
  e.user_agent = "\"on\": \"@cordon:list@\"";
  r.events.push_back(e);
  r.Finalize();
  const std::string text = ResultsToJsonText(r, s);
  EXPECT_EQ(text, ResultsToJson(r, s).dump(2));
  Json parsed;
  EXPECT_NO_THROW(parsed = Json::parse(text));
  EXPECT_TRUE(parsed.is_object());
}

// Flow logs and file names may hold any bytes; the output replaces invalid UTF-8 (U+FFFD) in every JSON
// format instead of aborting after the scan.
TEST(Output, InvalidUtf8InALogOrFileNameIsReplacedNotFatal) {
  testing::TempDir dir;
  const std::string header =
      "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
      "action log-status\n";
  testing::WriteFile(dir.path() / "fl\xffows.log",
                     header +
                         "2 123456789012 eni-1 10.0.3.8 \xff\xfe.1 443 49152 6 10 840 1418530010 "
                         "1418530070 ACCEPT OK\n"
                         // Fields missing: the line is skipped, and the skip names the file.
                         "2 123456789012 eni-1 10.0.3.8\n");
  Selectors s;
  s.ips = {"10.0.3.8"};
  HuntResults r = Hunt(s, {{LogKind::kFlowLogs, dir.path().string()}});
  ASSERT_EQ(r.flow_matched_records, 1u);
  const std::string replaced = "\xef\xbf\xbd";

  std::string text;
  ASSERT_NO_THROW(text = ResultsToJsonText(r, s));
  EXPECT_EQ(text, ResultsToJson(r, s).dump(2, ' ', false, Json::error_handler_t::replace));
  const Json parsed = Json::parse(text);
  EXPECT_EQ(parsed["flows"]["aggregates"][0]["peer"], replaced + replaced + ".1");
  EXPECT_EQ(parsed["flows"]["top_talkers"][0]["peer"], replaced + replaced + ".1");
  ASSERT_EQ(parsed["skipped"].size(), 1u);
  EXPECT_NE(parsed["skipped"][0]["file"].get<std::string>().find("fl" + replaced + "ows.log"),
            std::string::npos);

  std::ostringstream lines;
  ASSERT_NO_THROW(WriteResults(r, s, OutputFormat::kJsonl, lines));
  EXPECT_NE(lines.str().find("\"peer\":\"" + replaced + replaced + ".1\""), std::string::npos);
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

TEST(Output, CsvCellsAreNeverFormulas) {
  Selectors s;
  HuntResults r = InvictusAndFlows(&s);
  ASSERT_GE(r.events.size(), 3u);
  r.events[0].event_name = "=HYPERLINK(\"http://evil.example/\",\"click\")";
  r.events[1].source_ip = "@SUM(A1)";
  r.events[2].event_source = "-2+3";
  std::ostringstream out;
  WriteResults(r, s, OutputFormat::kCsv, out);
  const std::string csv = out.str();
  EXPECT_NE(csv.find(",\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"click\"\")\","), std::string::npos)
      << csv;
  EXPECT_NE(csv.find(",\"'@SUM(A1)\","), std::string::npos);
  EXPECT_NE(csv.find(",\"'-2+3\","), std::string::npos);
  EXPECT_EQ(csv.find(",=HYPERLINK"), std::string::npos);
  EXPECT_EQ(csv.find(",@SUM"), std::string::npos);
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

// ---- Issue 16: escape sequences from the logs never reach a terminal raw ----

// What an attacker puts in a field: an OSC 8 hyperlink, "erase line", a carriage return and U+009B (the
// 8-bit CSI, UTF-8 C2 9B).
const std::string kHostile =
    "a\x1b]8;;http://evil\x07link\x1b]8;;\x07\x1b[2K\rb\xc2\x9b"
    "31m";

// Every code point of `text` (UTF-8; invalid bytes count as themselves).
bool HasControls(const std::string& text, std::string* which) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
      *which = "byte " + std::to_string(c) + " at " + std::to_string(i);
      return true;
    }
    if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      *which = "C1 code point at " + std::to_string(i);
      return true;
    }
    if (c >= 0x80 && c <= 0x9f && (i == 0 || static_cast<unsigned char>(text[i - 1]) < 0xc0)) {
      // a continuation byte is fine only inside a multi-byte sequence; a lone one is an 8-bit C1
      bool inside = false;
      for (size_t back = 1; back <= 3 && back <= i; ++back) {
        const auto p = static_cast<unsigned char>(text[i - back]);
        if (p >= 0xc0) {
          inside = true;
          break;
        }
        if (p < 0x80) break;
      }
      if (!inside) {
        *which = "8-bit C1 byte at " + std::to_string(i);
        return true;
      }
    }
  }
  return false;
}

HuntResults HostileResults() {
  HuntResults r;
  CloudTrailEvent e;
  e.by = true;
  e.event_id = "ev-" + kHostile;
  e.event_time = "2024-01-01T00:00:00Z";
  e.event_source = "ec2.amazonaws.com";
  e.event_name = "Describe" + kHostile;
  e.source_ip = "10.0.3.8";
  e.user_agent = kHostile;
  e.error_code = kHostile;
  e.identity_arn = "arn:aws:sts::1:assumed-role/r/" + kHostile;
  e.hits = {{"10.0.3.8", "sourceIPAddress"}};
  e.file = "/logs/" + kHostile + ".json";
  r.events.push_back(e);
  Finding f;
  f.kind = "guardduty";
  f.id = "f-1";
  f.type = "UnauthorizedAccess:EC2/" + kHostile;
  f.title = "Title " + kHostile;
  f.time = "2024-01-01T00:00:00Z";
  f.resource = "i-0abc";
  f.selectors = {"i-0abc"};
  f.file = "/logs/" + kHostile + "-gd.json";
  r.findings.push_back(f);
  r.skipped.push_back({"/logs/" + kHostile + ".log", "object", 1, "reason " + kHostile});
  r.warnings.push_back({"/logs/" + kHostile + "-w.log", "warning " + kHostile});
  r.Finalize();
  return r;
}

TEST(Output, TextNeutralizesControlCharactersFromTheLogs) {
  Selectors s;
  s.ips = {"10.0.3.8"};
  std::ostringstream out;
  WriteResults(HostileResults(), s, OutputFormat::kText, out);
  const std::string text = out.str();
  std::string which;
  EXPECT_FALSE(HasControls(text, &which)) << which << "\n" << text;
  EXPECT_EQ(text.find("\x1b]8;;"), std::string::npos);
  // The text is still there, made visible, for each kind of field: an event field, a finding title, a
  // file name (of a skipped object).
  EXPECT_NE(text.find("Describea\\x1b]8;;http://evil\\x07link"), std::string::npos) << text;
  EXPECT_NE(text.find("Title a\\x1b]8;;http://evil\\x07"), std::string::npos) << text;
  EXPECT_NE(text.find("/logs/a\\x1b]8;;http://evil\\x07link\\x1b]8;;\\x07\\x1b[2K\\x0db\\u009b31m.log"),
            std::string::npos)
      << text;
}

// JSON stays exact: its escaping already keeps ESC, BEL and CR out of the bytes, and the values read
// back are the very strings of the logs.
TEST(Output, JsonEscapesControlCharactersAndKeepsTheValues) {
  Selectors s;
  s.ips = {"10.0.3.8"};
  const HuntResults r = HostileResults();
  for (OutputFormat format : {OutputFormat::kJson, OutputFormat::kJsonl}) {
    std::ostringstream out;
    WriteResults(r, s, format, out);
    const std::string text = out.str();
    for (char c : {'\x1b', '\x07', '\r'}) EXPECT_EQ(text.find(c), std::string::npos) << static_cast<int>(c);
  }
  Json j = ResultsToJson(r, s);
  EXPECT_EQ(j["cloudtrail"]["by"][0]["userAgent"], kHostile);
  EXPECT_EQ(j["findings"][0]["title"], "Title " + kHostile);
  EXPECT_EQ(j["skipped"][0]["file"], "/logs/" + kHostile + ".log");
}

}  // namespace
}  // namespace cordon::hunt

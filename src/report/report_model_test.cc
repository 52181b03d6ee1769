// The report model is gathered from the case alone: these tests build a case with the evidence store's
// own API (a fake clock placing each record in time) and check what every format relies on: the
// timeline's order with a hunt's events between cordon's actions, the runs with their AWS identity, the
// one-sentence state, the pre-state beside the latest metadata, and hostile values escaped in HTML.
#include "report/report_model.h"

#include <gtest/gtest.h>

#include "evidence/audit_kinds.h"
#include "evidence/test_util.h"
#include "report/case_report.h"

namespace cordon::report {
namespace {

using evidence::test::ScratchDir;
using evidence::test::TestEpoch;
namespace kind = evidence::kind;

Json State(const std::string& group, const std::string& name_tag) {
  return Json{
      {"region", "us-east-1"},
      {"instance", {{"State", {{"Name", "running"}}}, {"Tags", {{{"Key", "Name"}, {"Value", name_tag}}}}}},
      {"network_interfaces", {{{"NetworkInterfaceId", "eni-1"}, {"Groups", {{{"GroupId", group}}}}}}},
      {"addresses", Json::array()},
      {"attributes", {{"DisableApiTermination", false}}}};
}

// 12:00:00 case.open; :01 run.identity; :02 run.start; :05 pre-state; :10 isolate-network done;
// :20 and :50 the hunt's CloudTrail events (stored at :90); :60 snapshot done; :70 metadata.
class ReportModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = evidence::CaseStore::Open(dir_.path() / "IR-9", evidence::CaseInfo{"alice", "miner on web-1"},
                                       &clock_);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    auto& j = store_->journal();
    At(1);
    ASSERT_TRUE(j.Append(kind::kRunIdentity, "", "",
                         Json{{"command", "contain"},
                              {"command_line", "contain i-0abc --case IR-9"},
                              {"version", "0.1.0"},
                              {"host", "laptop-7"},
                              {"responder", "alice"},
                              {"account", "123456789012"},
                              {"caller_arn", "arn:aws:sts::123456789012:assumed-role/ir/alice"}}));
    At(2);
    auto run = j.Append(kind::kRunStart, "", "", Json{{"command", "contain"}});
    ASSERT_TRUE(run);
    At(5);
    ASSERT_TRUE(store_->pre_state().RecordPreState("i-0abc", State("sg-web", "web-1")));
    At(9);
    ASSERT_TRUE(j.Append(kind::kStepIntent, "i-0abc", "isolate-network", Json::object()));
    At(10);
    ASSERT_TRUE(j.Append(kind::kStepDone, "i-0abc", "isolate-network", Json{{"detail", "2 ENIs isolated"}}));
    At(60);
    ASSERT_TRUE(j.Append(kind::kStepDone, "i-0abc", "snapshot", Json{{"detail", "3 snapshots"}}));
    At(70);
    Store("metadata-i-0abc-1.json", State("sg-isolation", "web-1").dump(), evidence::EvidenceKind::kMetadata,
          Json::object());
    At(80);
    ASSERT_TRUE(j.Append(kind::kRunEnd, "", "", Json{{"run_seq", *run}, {"result", "ok"}}));
    At(90);
    Json hunt = {{"cloudtrail",
                  {{"by",
                    {Event("2024-05-01T12:00:20Z", "GetCallerIdentity"),
                     Event("2024-05-01T12:00:50.123Z", "<script>alert(1)</script>")}},
                   {"on", Json::array()}}},
                 {"flows",
                  {{"aggregates",
                    {{{"peer", "203.0.113.9"},
                      {"port", 443},
                      {"bytes", 9000},
                      {"packets", 9},
                      {"flows", 1},
                      {"direction", "egress"},
                      {"action", "ACCEPT"},
                      {"first", "2024-05-01T12:00:30Z"},
                      {"last", "2024-05-01T12:00:31Z"}}}}}},
                 {"findings", Json::array()}};
    Store("hunt-1.json", hunt.dump(2), evidence::EvidenceKind::kFile,
          Json{{"hunt", "cordon hunt --output json"}});
  }

  static Json Event(const std::string& time, const std::string& name) {
    return Json{{"eventTime", time},
                {"eventSource", "sts.amazonaws.com"},
                {"eventName", name},
                {"sourceIPAddress", "198.51.100.7"},
                {"identity",
                 {{"type", "AssumedRole"}, {"arn", "arn:aws:sts::123456789012:assumed-role/web/i-0abc"}}}};
  }

  void At(int seconds) {
    clock_.SleepFor(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::seconds(seconds) -
                                                                          (clock_.Now() - TestEpoch())));
  }

  void Store(const std::string& name, const std::string& bytes, evidence::EvidenceKind kind, Json details) {
    evidence::EvidenceItem item;
    item.target = "i-0abc";
    item.kind = kind;
    item.source = "test";
    item.collector = "alice";
    item.details = std::move(details);
    auto stored = store_->evidence().StoreFile(name, bytes, item);
    ASSERT_TRUE(stored) << stored.error().message;
  }

  FakeClock clock_{TestEpoch()};
  ScratchDir dir_;
  std::unique_ptr<evidence::CaseStore> store_;
};

TEST_F(ReportModelTest, TimelinePutsTheHuntsEventsBetweenCordonsActions) {
  auto m = GatherReport(*store_);
  ASSERT_TRUE(m) << m.error().message;
  std::vector<std::string> order;
  for (const TimelineEntry& e : m->timeline)
    if (e.what.starts_with("step.done") || e.source != "cordon") order.push_back(e.time + " " + e.what);
  EXPECT_EQ(order, (std::vector<std::string>{
                       "2024-05-01T12:00:10Z step.done isolate-network",
                       "2024-05-01T12:00:20Z sts:GetCallerIdentity",
                       "2024-05-01T12:00:30Z flow peak 203.0.113.9:443",
                       "2024-05-01T12:00:50Z sts:<script>alert(1)</script>",
                       "2024-05-01T12:01:00Z step.done snapshot",
                   }));
  for (size_t i = 1; i < m->timeline.size(); ++i) EXPECT_LE(m->timeline[i - 1].time, m->timeline[i].time);
  EXPECT_EQ(m->hunts, (std::vector<std::string>{"evidence/hunt-1.json"}));
}

TEST_F(ReportModelTest, RunsNameTheirAwsIdentityHostVersionAndResult) {
  auto m = GatherReport(*store_);
  ASSERT_TRUE(m) << m.error().message;
  ASSERT_EQ(m->runs.size(), 1u);
  const RunRow& r = m->runs[0];
  EXPECT_EQ(r.account, "123456789012");
  EXPECT_EQ(r.caller_arn, "arn:aws:sts::123456789012:assumed-role/ir/alice");
  EXPECT_EQ(r.host, "laptop-7");
  EXPECT_EQ(r.version, "0.1.0");
  EXPECT_EQ(r.command_line, "contain i-0abc --case IR-9");
  EXPECT_EQ(r.result, "ok");
  EXPECT_EQ(r.ended, "2024-05-01T12:01:20Z");
  // Who did what: the run's responder and caller are on every record of the run.
  for (const TimelineEntry& e : m->timeline)
    if (e.what == "step.done snapshot") {
      EXPECT_EQ(e.who, "alice (arn:aws:sts::123456789012:assumed-role/ir/alice)");
    }
}

TEST_F(ReportModelTest, CurrentStateIsOneSentence) {
  auto m = GatherReport(*store_);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->current_state, "i-0abc isolated since 2024-05-01T12:00:10Z (case open).");
  ASSERT_TRUE(store_->SetStatus("released"));
  m = GatherReport(*store_);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->current_state.rfind("Released at 2024-05-01T12:01:30Z", 0), 0u) << m->current_state;
}

TEST_F(ReportModelTest, PreStateIsComparedWithTheLatestMetadata) {
  auto m = GatherReport(*store_);
  ASSERT_TRUE(m) << m.error().message;
  ASSERT_EQ(m->states.size(), 1u);
  const TargetState& s = m->states[0];
  EXPECT_EQ(s.now_source, "evidence/metadata-i-0abc-1.json");
  bool saw_groups = false;
  for (const StateFact& f : s.facts) {
    if (f.what == "security groups of eni-1") {
      saw_groups = true;
      EXPECT_EQ(f.before, "sg-web");
      EXPECT_EQ(f.now, "sg-isolation");
    }
    if (f.what == "tags") {
      EXPECT_FALSE(f.changed());
    }
  }
  EXPECT_TRUE(saw_groups);
  for (const EvidenceRow& e : m->evidence) EXPECT_EQ(e.lives, "case folder");
}

TEST_F(ReportModelTest, HtmlEscapesHostileValuesAndLoadsNothing) {
  ASSERT_TRUE(
      store_->journal().Append(kind::kNote, "i-0abc", "", Json{{"text", "<img src=http://evil.example/x>"}}));
  auto html = RenderCaseReport(*store_, ReportFormat::kHtml);
  ASSERT_TRUE(html) << html.error().message;
  EXPECT_EQ(html->find("<script"), std::string::npos);
  EXPECT_EQ(html->find("<img"), std::string::npos);
  EXPECT_NE(html->find("sts:&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html->find("&lt;img src=http://evil.example/x&gt;"), std::string::npos);
  EXPECT_NE(html->find("default-src 'none'"), std::string::npos);
  EXPECT_NE(html->find("@media print"), std::string::npos);
  EXPECT_EQ(html->find("src=\"http"), std::string::npos);
  EXPECT_EQ(html->find("href=\"http"), std::string::npos);
}

TEST_F(ReportModelTest, JsonCarriesTheSameTimelineAndRuns) {
  auto m = GatherReport(*store_);
  ASSERT_TRUE(m) << m.error().message;
  Json j = ReportToJson(*m);
  ASSERT_EQ(j["timeline"].size(), m->timeline.size());
  for (size_t i = 0; i < m->timeline.size(); ++i) EXPECT_EQ(j["timeline"][i]["what"], m->timeline[i].what);
  EXPECT_EQ(j["runs"][0]["caller_arn"], "arn:aws:sts::123456789012:assumed-role/ir/alice");
  EXPECT_EQ(j["current_state"], m->current_state);
  EXPECT_TRUE(j["journal"]["ok"].get<bool>());
}

}  // namespace
}  // namespace cordon::report

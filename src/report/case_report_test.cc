// The case report is rendered from the case database alone: these tests build a case with the
// evidence store's own API and check what a reader of the report must be able to rely on.
#include "report/case_report.h"

#include <gtest/gtest.h>

#include "evidence/test_util.h"

namespace cordon::report {
namespace {

using evidence::test::kDropTriggers;
using evidence::test::RawSql;
using evidence::test::ScratchDir;

class CaseReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = evidence::CaseStore::Open(dir_.path() / "IR-7", evidence::CaseInfo{"alice", "test"});
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    auto& j = store_->journal();
    ASSERT_TRUE(j.Append(evidence::kind::kStepIntent, "i-0abc", "tag", Json::object()));
    ASSERT_TRUE(j.Append(evidence::kind::kStepDone, "i-0abc", "tag", Json{{"detail", "3 tags"}}));
    ASSERT_TRUE(j.Append(evidence::kind::kStepIntent, "i-0abc", "credentials", Json::object()));
    ASSERT_TRUE(j.Append(evidence::kind::kStepFailed, "i-0abc", "credentials",
                         Json{{"error", {{"code", "AccessDenied"}, {"message", "not authorized | really"}}},
                              {"missing_permission", "iam:PutRolePolicy"}}));
    ASSERT_TRUE(j.Append(evidence::kind::kStepIntent, "i-0abc", "snapshot", Json::object()));
    ASSERT_TRUE(
        j.Append(evidence::kind::kNote, "i-0abc", "isolate-network", Json{{"text", "kept 443 to ssm"}}));
    ASSERT_TRUE(store_->pre_state().RecordPreState("i-0abc", Json{{"groups", {"sg-1"}}}));
    evidence::EvidenceItem item;
    item.target = "i-0abc";
    item.kind = evidence::EvidenceKind::kConsoleOutput;
    item.source = "ec2:GetConsoleOutput i-0abc";
    item.collector = "alice";
    auto stored = store_->evidence().StoreFile("console-i-0abc.txt", "boot log", item);
    ASSERT_TRUE(stored) << stored.error().message;
    console_sha_ = stored->sha256;
  }

  ScratchDir dir_;
  std::unique_ptr<evidence::CaseStore> store_;
  std::string console_sha_;
};

TEST_F(CaseReportTest, SaysWhereEveryStepEndedAndListsEvidenceWithHashes) {
  auto md = RenderCaseReport(*store_);
  ASSERT_TRUE(md) << md.error().message;
  EXPECT_NE(md->find("# Case IR-7"), std::string::npos);
  EXPECT_NE(md->find("by alice"), std::string::npos);
  EXPECT_NE(md->find("| tag | done |"), std::string::npos) << *md;
  EXPECT_NE(md->find("| credentials | failed |"), std::string::npos);
  EXPECT_NE(md->find("(missing permission: iam:PutRolePolicy)"), std::string::npos);
  // A '|' inside a message must not break the table row: escaped, as GFM tables read it.
  EXPECT_NE(md->find("not authorized \\| really"), std::string::npos) << *md;
  // An intent without an outcome is what a crash leaves: the report says so.
  EXPECT_NE(md->find("| snapshot | interrupted (no outcome recorded) |"), std::string::npos);
  EXPECT_NE(md->find("`" + console_sha_ + "`"), std::string::npos);
  EXPECT_NE(md->find("evidence/console-i-0abc.txt"), std::string::npos);
  EXPECT_NE(md->find("(isolate-network) kept 443 to ssm"), std::string::npos);
  EXPECT_NE(md->find("hash chain intact"), std::string::npos);
  EXPECT_EQ(md->find("TAMPERED"), std::string::npos);
}

TEST_F(CaseReportTest, ATamperedJournalIsReportedAsSuch) {
  store_.reset();  // close the case's connection before editing the file behind its back
  const auto db = dir_.path() / "IR-7" / "case.db";
  ASSERT_EQ(RawSql(db, kDropTriggers), "");  // as someone with a sqlite3 shell would
  ASSERT_EQ(RawSql(db, "UPDATE journal SET payload = '{}' WHERE seq = 3"), "");
  auto reopened = evidence::CaseStore::OpenExisting(dir_.path() / "IR-7");
  ASSERT_TRUE(reopened) << reopened.error().message;
  auto md = RenderCaseReport(**reopened);
  ASSERT_TRUE(md) << md.error().message;
  EXPECT_NE(md->find("**TAMPERED OR DAMAGED** at record 3"), std::string::npos) << *md;
}

// Issue 16: whoever sets the instance's tags (or writes a log, an error message) writes into the
// report. A newline must not start a Markdown line of its own (a fake heading, row or list item) and a
// '|' must not split a table cell; judged on the raw bytes a Markdown renderer would read.
TEST(CaseReportMarkdownTest, AHostileTagCannotStartALineOrSplitACell) {
  ScratchDir dir;
  auto store = evidence::CaseStore::Open(dir.path() / "IR-16", evidence::CaseInfo{"alice", "test"});
  ASSERT_TRUE(store) << store.error().message;
  const Json tags = Json::array({{{"Key", "Name"}, {"Value", "web\n# Fake heading"}},
                                 {{"Key", "team"}, {"Value", "a|b"}},
                                 {{"Key", "x"}, {"Value", "ok\r\n| fake | row |\n1. item"}}});
  ASSERT_TRUE((*store)->pre_state().RecordPreState("i-0abc", Json{{"instance", {{"Tags", tags}}}}));
  ASSERT_TRUE((*store)->journal().Append(evidence::kind::kNote, "i-0abc", "",
                                         Json{{"text", "seen\n## Fake section | x"}}));
  auto md = RenderCaseReport(**store);
  ASSERT_TRUE(md) << md.error().message;
  size_t start = 0;
  for (size_t end; start < md->size(); start = end + 1) {
    end = md->find('\n', start);
    if (end == std::string::npos) end = md->size();
    const std::string line = md->substr(start, end - start);
    EXPECT_FALSE(line.starts_with("# Fake") || line.starts_with("## Fake") || line.starts_with("| fake") ||
                 line.starts_with("1. item"))
        << "a value started a line: " << line;
    EXPECT_EQ(line.find('\r'), std::string::npos) << line;
  }
  EXPECT_NE(md->find("Name=web\\\\x0a# Fake heading, team=a\\|b"), std::string::npos) << *md;
  EXPECT_EQ(md->find("a|b"), std::string::npos) << "a raw pipe in a cell splits it";
  EXPECT_NE(md->find("seen\\\\x0a## Fake section \\| x"), std::string::npos) << *md;
}

}  // namespace
}  // namespace cordon::report

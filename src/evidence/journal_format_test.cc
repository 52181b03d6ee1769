#include "evidence/journal_format.h"

#include <gtest/gtest.h>

namespace cordon::evidence {
namespace {

// The two records of the worked example in docs/case-format.md; the expected hashes were computed
// with printf | sha256sum, not with cordon.
JournalRecord FirstRecord() {
  JournalRecord r;
  r.seq = 1;
  r.time = "2024-05-01T12:00:00Z";
  r.kind = "case.open";
  r.payload = R"({"case_id":"IR-1"})";
  r.prev_hash = std::string(kGenesisHash);
  return r;
}

TEST(JournalFormatTest, CanonicalFormIsOneFieldPerLine) {
  EXPECT_EQ(CanonicalRecord(FirstRecord()),
            "cordon-journal-v1\n1\n2024-05-01T12:00:00Z\ncase.open\n\n\n{\"case_id\":\"IR-1\"}\n" +
                std::string(kGenesisHash) + "\n");
}

TEST(JournalFormatTest, HashMatchesSha256sumOfTheCanonicalForm) {
  JournalRecord first = FirstRecord();
  EXPECT_EQ(RecordHash(first), "a2b1bb68c691df550e1df4924a4c2a27240c896c61d0b5bd2cb81592c17b47c0");

  JournalRecord second;
  second.seq = 2;
  second.time = "2024-05-01T12:00:05Z";
  second.kind = "step.intent";
  second.target = "i-0abc";
  second.step = "tag";
  second.payload = CompactJson(Json{{"tags", {{"cordon:case", "IR-1"}}}});
  second.prev_hash = RecordHash(first);
  EXPECT_EQ(second.payload, R"({"tags":{"cordon:case":"IR-1"}})");
  EXPECT_EQ(RecordHash(second), "b191eba793a7c3fd267ea85737ac6db592f31c91ef6580be6fa504535f78c7f6");
}

TEST(JournalFormatTest, EveryFieldChangesTheHash) {
  const std::string base = RecordHash(FirstRecord());
  auto changed = [](auto edit) {
    JournalRecord r = FirstRecord();
    edit(r);
    return RecordHash(r);
  };
  EXPECT_NE(base, changed([](JournalRecord& r) { r.seq = 2; }));
  EXPECT_NE(base, changed([](JournalRecord& r) { r.time = "2024-05-01T12:00:01Z"; }));
  EXPECT_NE(base, changed([](JournalRecord& r) { r.kind = "note"; }));
  EXPECT_NE(base, changed([](JournalRecord& r) { r.target = "i-1"; }));
  EXPECT_NE(base, changed([](JournalRecord& r) { r.step = "tag"; }));
  EXPECT_NE(base, changed([](JournalRecord& r) { r.payload = R"({"case_id":"IR-2"})"; }));
  EXPECT_NE(base, changed([](JournalRecord& r) { r.prev_hash[0] = '1'; }));
  // The stored hash is not part of what is hashed.
  EXPECT_EQ(base, changed([](JournalRecord& r) { r.hash = "anything"; }));
}

TEST(JournalFormatTest, CompactJsonHasNoNewlinesAndSurvivesBadUtf8) {
  Json value = {{"text", "line one\nline two\ttab"}, {"bytes", std::string("\xff\xfe ok")}};
  std::string text = CompactJson(value);
  EXPECT_EQ(text.find('\n'), std::string::npos);
  EXPECT_NE(text.find("\\n"), std::string::npos);
  EXPECT_NE(text.find("ok"), std::string::npos);
}

TEST(JournalFormatTest, ValidatesFields) {
  EXPECT_TRUE(ValidateRecordFields("step.done", "i-0123456789abcdef0", "isolate_network"));
  EXPECT_TRUE(ValidateRecordFields("note", "", ""));
  EXPECT_FALSE(ValidateRecordFields("", "", ""));
  EXPECT_FALSE(ValidateRecordFields("Step.Done", "", ""));
  EXPECT_FALSE(ValidateRecordFields(std::string(65, 'a'), "", ""));
  auto newline = ValidateRecordFields("note", "i-1\nforged", "");
  ASSERT_FALSE(newline);
  EXPECT_NE(newline.error().message.find("target"), std::string::npos);
  EXPECT_FALSE(ValidateRecordFields("note", "", std::string(257, 's')));
  EXPECT_FALSE(ValidateRecordFields("note", "", "a\x7f"));
}

}  // namespace
}  // namespace cordon::evidence

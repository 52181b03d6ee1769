// LocateRecords against simdjson's on-demand walk of the same objects (how the CloudTrail reader found
// records before): the same spans for every offset, around escapes, brackets in strings, nesting, block
// boundaries and whitespace; and the shapes it leaves to the parser.
#include "hunt/record_locator.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <random>
#include <string>

namespace cordon::hunt {
namespace {

// The spans of the Records array's elements, by the parser.
std::vector<RecordSpan> ParserSpans(const std::string& text) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(text);
  std::vector<RecordSpan> spans;
  simdjson::ondemand::document doc;
  simdjson::ondemand::array records;
  EXPECT_EQ(parser.iterate(padded).get(doc), simdjson::SUCCESS);
  EXPECT_EQ(doc["Records"].get_array().get(records), simdjson::SUCCESS) << text;
  for (auto element : records) {
    simdjson::ondemand::object record;
    std::string_view raw;
    EXPECT_EQ(element.get_object().get(record), simdjson::SUCCESS) << text;
    EXPECT_EQ(record.raw_json().get(raw), simdjson::SUCCESS) << text;
    while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n')) raw.remove_suffix(1);
    const size_t begin = static_cast<size_t>(raw.data() - padded.data());
    spans.emplace_back(begin, begin + raw.size());
  }
  return spans;
}

const std::vector<std::string> kRecords = {
    R"({"eventName":"A","x":"a \"quoted\" {brace} [bracket]"})",
    R"({"a":"ends in a backslash \\","b":{"c":[1,2,{"d":"}"}]}})",
    R"({"p":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\"}]}","q":"\\\\\""})",
    R"({ "pretty" : [ { } , [ ] ] ,
      "s" : "]}" })",
    R"({"u":"caf\u00e9 \u005c"})",
    R"({})",
};

// Objects of the records in many orders and paddings, so that every byte falls at every place of a
// 64-byte block.
std::vector<std::string> Objects() {
  std::vector<std::string> objects;
  std::mt19937 rng(7);
  for (int n = 0; n < 200; ++n) {
    std::string text = n % 2 ? "{\"Records\":[" : " {\n  \"Records\" : [\n";
    const int count = 1 + n % 9;
    for (int i = 0; i < count; ++i) {
      if (i > 0) text += n % 3 ? "," : " ,\n ";
      text += std::string(rng() % 70, ' ') + kRecords[rng() % kRecords.size()];
    }
    text += n % 4 ? "]}" : "],\"after\":[{\"eventName\":\"B\"}]}";
    objects.push_back(text);
  }
  return objects;
}

TEST(RecordLocator, SameSpansAsTheParserForEveryOffsetInARecord) {
  for (const std::string& text : Objects()) {
    const std::vector<RecordSpan> expected = ParserSpans(text);
    // Every offset of every record, alone; and one offset in each of every other record.
    for (const RecordSpan& span : expected) {
      for (size_t at = span.first; at < span.second; ++at) {
        std::vector<RecordSpan> spans;
        ASSERT_TRUE(LocateRecords(text, {at}, &spans)) << text << " @" << at;
        ASSERT_EQ(spans, std::vector<RecordSpan>{span}) << text << " @" << at;
        ASSERT_TRUE(detail::LocateRecordsBaseline(text, {at}, &spans));
        ASSERT_EQ(spans, std::vector<RecordSpan>{span}) << "baseline: " << text << " @" << at;
        ASSERT_TRUE(detail::LocateRecordsAvx2(text, {at}, &spans));
        ASSERT_EQ(spans, std::vector<RecordSpan>{span}) << "AVX2: " << text << " @" << at;
      }
    }
    std::vector<size_t> offsets;
    std::vector<RecordSpan> every_other;
    for (size_t i = 0; i < expected.size(); i += 2) {
      offsets.push_back(expected[i].first + 1);
      offsets.push_back(expected[i].second - 1);
      every_other.push_back(expected[i]);
    }
    std::vector<RecordSpan> spans;
    ASSERT_TRUE(LocateRecords(text, offsets, &spans)) << text;
    EXPECT_EQ(spans, every_other) << text;
  }
}

TEST(RecordLocator, OffsetsAfterTheArrayAreNotInARecord) {
  const std::string text = R"({"Records":[{"a":1}],"after":[{"eventName":"B"}]})";
  std::vector<RecordSpan> spans;
  ASSERT_TRUE(LocateRecords(text, {text.find("eventName")}, &spans));
  EXPECT_TRUE(spans.empty());
  ASSERT_TRUE(LocateRecords(text, {13, text.find("eventName")}, &spans));
  EXPECT_EQ(spans, (std::vector<RecordSpan>{{12, 19}}));
  ASSERT_TRUE(LocateRecords(text, {}, &spans));
  EXPECT_TRUE(spans.empty());
}

TEST(RecordLocator, WhatItCannotFollowIsLeftToTheParser) {
  std::vector<RecordSpan> spans;
  // Not a delivery object.
  EXPECT_FALSE(LocateRecords(R"([{"a":"b"}])", {3}, &spans));
  EXPECT_FALSE(LocateRecords(R"({"x":1,"Records":[{"a":"b"}]})", {22}, &spans));
  EXPECT_FALSE(LocateRecords(R"({"Records":{"a":"b"}})", {14}, &spans));
  // An offset in an element that is not an object, or between elements.
  EXPECT_FALSE(LocateRecords(R"({"Records":[["a"],{"b":1}]})", {14}, &spans));
  EXPECT_FALSE(LocateRecords(R"({"Records":["\u0041",{"b":1}]})", {14}, &spans));
  // Unterminated: a string, a record, the array.
  EXPECT_FALSE(LocateRecords(R"({"Records":[{"a":"b}]})", {14}, &spans));
  EXPECT_FALSE(LocateRecords(R"({"Records":[{"a":{"b":1})", {14}, &spans));
  // The array's end need not be seen when the last record holding an offset is complete.
  EXPECT_TRUE(LocateRecords(R"({"Records":[{"a":1},{"b":1})", {21}, &spans));
  EXPECT_EQ(spans, (std::vector<RecordSpan>{{20, 27}}));
  // A `}` where the array's `]` belongs.
  EXPECT_FALSE(LocateRecords(R"({"Records":[{"a":1}}, {"b":1}]})", {25}, &spans));
}

}  // namespace
}  // namespace cordon::hunt

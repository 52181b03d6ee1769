#include "hunt/sigma/detection_item.h"

#include <gtest/gtest.h>

#include "hunt/sigma/encodings.h"

namespace cordon::hunt::sigma {
namespace {

RawValue S(std::string text) { return {RawValue::Type::kString, std::move(text)}; }
RawValue N(std::string text) { return {RawValue::Type::kNumber, std::move(text)}; }
RawValue B(bool b) { return {RawValue::Type::kBool, b ? "true" : "false"}; }
RawValue Null() { return {RawValue::Type::kNull, ""}; }

// Whether item `key: values` matches the JSON `event`.
bool Match(std::string_view key, const std::vector<RawValue>& values, const std::string& event) {
  Result<DetectionItem> item = CompileItem(key, values);
  EXPECT_TRUE(item) << key << ": " << (item ? "" : item.error().message);
  if (!item) return false;
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(event);
  return item->Matches(Event(root));
}

const std::string kEvent = R"({
  "eventName": "PutBucketVersioning", "errorCode": null, "count": 42, "flag": true, "port": "8080",
  "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::1:assumed-role/web/i-0abc",
                   "sessionContext": {"sessionIssuer": {"type": "Role", "userName": "web"}}},
  "requestParameters": {"VersioningConfiguration": {"Status": "Suspended"}, "userName": "web",
                        "policy": "{\"Effect\":\"Allow\"}",
                        "containerDefinitions": [{"command": ["sh", "-c", "curl $AWS_X"]}, {"command": ["ls"]}]},
  "additionalEventData.MFAUsed": "NO", "sourceIPAddress": "10.1.2.3", "ipv6": "2001:db8::5",
  "cmd": "net user /add", "b64": "aGVsbG8gd29ybGQ=", "wide": "aABpAA==", "empty": ""
})";

TEST(SigmaDetectionItem, FieldPathsReachNestedObjectsArraysAndDottedKeys) {
  EXPECT_TRUE(Match("userIdentity.sessionContext.sessionIssuer.type", {S("role")}, kEvent));
  EXPECT_TRUE(Match("requestParameters.containerDefinitions.command|contains", {S("$AWS_")}, kEvent));
  EXPECT_TRUE(Match("requestParameters.containerDefinitions.command", {S("ls")}, kEvent));
  EXPECT_TRUE(Match("additionalEventData.MFAUsed", {S("no")}, kEvent));
  EXPECT_FALSE(Match("userIdentity.nosuch", {S("*")}, kEvent));
}

TEST(SigmaDetectionItem, ListsAreOrAndAllMakesThemAnd) {
  EXPECT_TRUE(Match("eventName", {S("x"), S("putbucketversioning")}, kEvent));
  EXPECT_FALSE(Match("eventName|contains|all", {S("Bucket"), S("nothere")}, kEvent));
  EXPECT_TRUE(Match("eventName|contains|all", {S("Bucket"), S("Put")}, kEvent));
}

TEST(SigmaDetectionItem, ObjectsAreSearchedAsTextAndByTheirStrings) {
  EXPECT_TRUE(Match("requestParameters|contains", {S("Suspended")}, kEvent));
  // A JSON document kept as a string is searched unescaped: the quotes of "Allow" are found.
  EXPECT_TRUE(Match("requestParameters|contains", {S("\"Allow\"")}, kEvent));
}

TEST(SigmaDetectionItem, NullMatchesMissingOrNullAndEmptyIsNotNull) {
  EXPECT_TRUE(Match("errorCode", {Null()}, kEvent));
  EXPECT_TRUE(Match("missingField", {Null()}, kEvent));
  EXPECT_FALSE(Match("eventName", {Null()}, kEvent));
  EXPECT_TRUE(Match("empty", {S("")}, kEvent));
  EXPECT_FALSE(Match("empty", {Null()}, kEvent));
  EXPECT_FALSE(Match("errorCode|contains", {S("*")}, kEvent));  // a null has no text
}

TEST(SigmaDetectionItem, StringModifiers) {
  EXPECT_TRUE(Match("eventName|startswith", {S("putbucket")}, kEvent));
  EXPECT_FALSE(Match("eventName|startswith", {S("bucket")}, kEvent));
  EXPECT_TRUE(Match("eventName|endswith", {S("VERSIONING")}, kEvent));
  EXPECT_FALSE(Match("eventName|cased", {S("putbucketversioning")}, kEvent));
  EXPECT_TRUE(Match("eventName|cased", {S("PutBucketVersioning")}, kEvent));
  EXPECT_TRUE(Match("userIdentity.arn|contains", {S(":assumed-role/")}, kEvent));
}

TEST(SigmaDetectionItem, RegularExpressionsAndTheirFlags) {
  EXPECT_TRUE(Match("userIdentity.arn|re", {S(".+:assumed-role/web/.+")}, kEvent));
  EXPECT_FALSE(Match("userIdentity.arn|re", {S("ASSUMED-ROLE")}, kEvent));  // cased by default
  EXPECT_TRUE(Match("userIdentity.arn|re|i", {S("ASSUMED-ROLE")}, kEvent));
  EXPECT_FALSE(Match("eventName|re", {S("^Bucket")}, kEvent));
  Result<DetectionItem> bad = CompileItem("eventName|re", {S("(")});
  EXPECT_FALSE(bad);
}

TEST(SigmaDetectionItem, RegexMultiLineAndDotAll) {
  const std::string e = R"({"text": "first\nsecond"})";
  EXPECT_FALSE(Match("text|re", {S("^second")}, e));
  EXPECT_TRUE(Match("text|re|m", {S("^second")}, e));
  EXPECT_FALSE(Match("text|re", {S("first.second")}, e));
  EXPECT_TRUE(Match("text|re|s", {S("first.second")}, e));
  EXPECT_FALSE(CompileItem("text|i", {S("x")}));  // a flag without re
}

TEST(SigmaDetectionItem, CidrExistsNeqAndNumbers) {
  EXPECT_TRUE(Match("sourceIPAddress|cidr", {S("10.0.0.0/8")}, kEvent));
  EXPECT_FALSE(Match("sourceIPAddress|cidr", {S("10.1.3.0/24")}, kEvent));
  EXPECT_TRUE(Match("ipv6|cidr", {S("2001:db8::/32")}, kEvent));
  EXPECT_FALSE(Match("ipv6|cidr", {S("10.0.0.0/8")}, kEvent));
  EXPECT_FALSE(CompileItem("x|cidr", {S("10.0.0.0/33")}));
  EXPECT_TRUE(Match("errorCode|exists", {B(true)}, kEvent));  // present, even though null
  EXPECT_TRUE(Match("nosuch|exists", {B(false)}, kEvent));
  EXPECT_FALSE(CompileItem("x|exists", {S("yes")}));
  EXPECT_TRUE(Match("eventName|neq", {S("CreateBucket"), S("DeleteBucket")}, kEvent));
  EXPECT_FALSE(Match("eventName|neq", {S("PutBucketVersioning")}, kEvent));
  EXPECT_TRUE(Match("count|gt", {N("41")}, kEvent));
  EXPECT_FALSE(Match("count|gt", {N("42")}, kEvent));
  EXPECT_TRUE(Match("count|gte", {N("42")}, kEvent));
  EXPECT_TRUE(Match("port|lt", {N("9000")}, kEvent));  // a number kept as a string
  EXPECT_TRUE(Match("port|lte", {N("8080")}, kEvent));
  EXPECT_FALSE(Match("eventName|lt", {N("1")}, kEvent));
  EXPECT_TRUE(Match("count", {N("42")}, kEvent));
  EXPECT_TRUE(Match("flag", {S("true")}, kEvent));
}

TEST(SigmaDetectionItem, FieldReferences) {
  EXPECT_TRUE(Match("userIdentity.sessionContext.sessionIssuer.userName|fieldref",
                    {S("requestParameters.userName")}, kEvent));
  EXPECT_FALSE(Match("eventName|fieldref", {S("requestParameters.userName")}, kEvent));
  EXPECT_TRUE(Match("userIdentity.arn|fieldref|endswith", {S("requestParameters.userName")}, kEvent) ==
              false);  // the arn ends with the instance id, not the user name
  EXPECT_TRUE(Match("userIdentity.arn|fieldref|contains", {S("requestParameters.userName")}, kEvent));
  EXPECT_TRUE(Match("eventName|fieldref|neq", {S("requestParameters.userName")}, kEvent));
}

TEST(SigmaDetectionItem, Encodings) {
  EXPECT_TRUE(Match("b64|base64", {S("hello world")}, kEvent));
  EXPECT_TRUE(Match("b64|base64offset|contains", {S("world")}, kEvent));
  EXPECT_TRUE(Match("wide|wide|base64", {S("hi")}, kEvent));
  EXPECT_TRUE(Match("wide|utf16le|base64", {S("hi")}, kEvent));
  EXPECT_EQ(*EncodeUtf16("cmd", true, false), std::string("\0c\0m\0d", 6));
  EXPECT_EQ(*EncodeUtf16("cmd", false, true), std::string("\xFF\xFE"
                                                          "c\0m\0d\0",
                                                          8));
  EXPECT_FALSE(CompileItem("x|base64", {S("a*")}));  // a wildcard cannot be encoded
  EXPECT_TRUE(Match("cmd|windash|contains", {S(" -add")}, kEvent));
  EXPECT_EQ(WindashVariants("-a-", 100)->size(), 25u);
}

TEST(SigmaDetectionItem, KeywordsSearchTheWholeEvent) {
  EXPECT_TRUE(Match("", {S("suspended")}, kEvent));
  EXPECT_FALSE(Match("", {S("nowhere")}, kEvent));
  EXPECT_TRUE(Match("|all", {S("suspended"), S("i-0abc")}, kEvent));
}

TEST(SigmaDetectionItem, UnknownModifiersAndExpandAreRefusedWithAReason) {
  Result<DetectionItem> unknown = CompileItem("eventName|sounds_like", {S("x")});
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("sounds_like"), std::string::npos);
  Result<DetectionItem> expand = CompileItem("sourceIPAddress|expand", {S("%Servers%")});
  ASSERT_FALSE(expand);
  EXPECT_NE(expand.error().message.find("expand"), std::string::npos);
}

}  // namespace
}  // namespace cordon::hunt::sigma

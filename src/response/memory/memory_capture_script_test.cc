#include "response/memory/memory_capture_script.h"

#include <gtest/gtest.h>

namespace cordon::response {
namespace {

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

CaptureScriptParams Params() {
  return {"eu-west-1", "evidence-bucket", "ir/IR-7/i-0abc", "/opt/ir/avml",
          "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"};
}

TEST(MemoryCaptureScriptTest, ShellQuoteKeepsEveryCharacterLiteral) {
  EXPECT_EQ(ShellQuote("plain"), "'plain'");
  EXPECT_EQ(ShellQuote("it's $HOME `x`"), "'it'\\''s $HOME `x`'");
  EXPECT_EQ(ShellQuote(""), "''");
}

TEST(MemoryCaptureScriptTest, VariablesAreQuoted) {
  std::string s = Joined(MemoryCaptureScript(Params()));
  EXPECT_NE(s.find("REGION='eu-west-1'\n"), std::string::npos);
  EXPECT_NE(s.find("DEST='s3://evidence-bucket/ir/IR-7/i-0abc'\n"), std::string::npos);
  EXPECT_NE(s.find("TOOL='/opt/ir/avml'\n"), std::string::npos);
  CaptureScriptParams odd = Params();
  odd.tool = "/opt/it's here";
  EXPECT_NE(Joined(MemoryCaptureScript(odd)).find("TOOL='/opt/it'\\''s here'\n"), std::string::npos);
}

// Rule 7: the tool is pinned (checked before it runs, abort on mismatch) and never downloaded from
// the internet.
TEST(MemoryCaptureScriptTest, PinIsCheckedBeforeTheToolRuns) {
  std::string s = Joined(MemoryCaptureScript(Params()));
  size_t pin = s.find("TOOL_SHA256='0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'");
  size_t check = s.find("[ \"$ACTUAL\" = \"$TOOL_SHA256\" ] || abort \"tool-sha256-mismatch");
  size_t run = s.find("\"$WORK/tool\" /dev/stdout");
  ASSERT_NE(pin, std::string::npos);
  ASSERT_NE(check, std::string::npos);
  ASSERT_NE(run, std::string::npos);
  EXPECT_LT(pin, check);
  EXPECT_LT(check, run);
  for (const char* banned : {"curl", "wget", "http://", "https://"})
    EXPECT_EQ(s.find(banned), std::string::npos);
}

TEST(MemoryCaptureScriptTest, UploadsTheNamedObjectsWithHostHashes) {
  std::string s = Joined(MemoryCaptureScript(Params()));
  EXPECT_NE(s.find("upload volatile " + std::string(kVolatileObject)), std::string::npos);
  EXPECT_NE(s.find("upload memory " + std::string(kMemoryObject)), std::string::npos);
  EXPECT_NE(s.find("echo \"CORDON-EVIDENCE $1 sha256="), std::string::npos);
  EXPECT_NE(s.find("/dev/shm/"), std::string::npos);  // work in RAM, not on the suspect's disks
  EXPECT_EQ(MemoryCaptureScript(Params()).front(), "#!/bin/sh");
}

TEST(MemoryCaptureScriptTest, ParsesTheHostOutput) {
  std::string sha(64, 'a');
  auto out = ParseHostOutput("noise\nCORDON-EVIDENCE memory sha256=" + sha +
                             " size=42 uri=s3://b/k/memory.lime\r\nCORDON-DONE\n");
  ASSERT_TRUE(out);
  EXPECT_TRUE(out->done);
  EXPECT_TRUE(out->abort.empty());
  ASSERT_EQ(out->evidence.count("memory"), 1u);
  EXPECT_EQ(out->evidence["memory"].sha256, sha);
  EXPECT_EQ(out->evidence["memory"].size, 42);
  EXPECT_EQ(out->evidence["memory"].uri, "s3://b/k/memory.lime");

  auto aborted = ParseHostOutput("CORDON-ABORT reason=tool-sha256-mismatch expected=x actual=y\n");
  ASSERT_TRUE(aborted);
  EXPECT_FALSE(aborted->done);
  EXPECT_EQ(aborted->abort, "tool-sha256-mismatch expected=x actual=y");
}

TEST(MemoryCaptureScriptTest, MalformedEvidenceLineIsAnError) {
  EXPECT_FALSE(ParseHostOutput("CORDON-EVIDENCE memory sha256=abc size=1 uri=s3://b/k\n"));
  EXPECT_FALSE(
      ParseHostOutput("CORDON-EVIDENCE memory sha256=" + std::string(64, 'a') + " size=-1 uri=s3://b/k\n"));
  EXPECT_FALSE(ParseHostOutput("CORDON-EVIDENCE memory sha256=" + std::string(64, 'a') + " size=1\n"));
}

}  // namespace
}  // namespace cordon::response

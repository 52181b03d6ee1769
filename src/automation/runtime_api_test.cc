// The Runtime API client against scripted answers: the paths, headers and bodies it sends, and the
// invocations it refuses (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html).
#include "automation/runtime_api.h"

#include <gtest/gtest.h>

#include "aws/http/fake_transport.h"
#include "base/json_parse.h"

namespace cordon::automation {
namespace {

aws::HttpResponse NextAnswer(const std::string& id, const std::string& deadline, const std::string& body) {
  aws::HttpResponse r;
  r.status = 200;
  if (!id.empty()) r.headers.Set("Lambda-Runtime-Aws-Request-Id", id);
  if (!deadline.empty()) r.headers.Set("Lambda-Runtime-Deadline-Ms", deadline);
  r.headers.Set("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793");
  r.body = body;
  return r;
}

TEST(RuntimeApi, NextReadsTheRequestIdDeadlineAndEvent) {
  aws::FakeTransport fake;
  fake.Enqueue(NextAnswer("8476a536-e9f4-11e8-9739-2dfe598c3fcd", "1542409706888", "{\"detail\":{}}"));
  RuntimeApi api(&fake, "127.0.0.1:9001");
  auto inv = api.Next();
  ASSERT_TRUE(inv) << inv.error().ToString();
  EXPECT_EQ(inv->request_id, "8476a536-e9f4-11e8-9739-2dfe598c3fcd");
  EXPECT_EQ(inv->deadline_ms, 1542409706888);
  EXPECT_EQ(inv->body, "{\"detail\":{}}");
  EXPECT_EQ(inv->trace_id, "Root=1-5759e988-bd862e3fe1be46a994272793");
  EXPECT_EQ(fake.last_request().method, "GET");
  EXPECT_EQ(fake.last_request().url, "http://127.0.0.1:9001/2018-06-01/runtime/invocation/next");
}

TEST(RuntimeApi, NextRefusesAnIdUnsafeInAPathAndAMissingDeadline) {
  aws::FakeTransport fake;
  fake.Enqueue(NextAnswer("../../init/error", "1542409706888", "{}"));
  fake.Enqueue(NextAnswer("abc", "", "{}"));
  fake.Enqueue(NextAnswer("abc", "12x", "{}"));
  fake.Enqueue(500, "");
  RuntimeApi api(&fake, "127.0.0.1:9001");
  for (int i = 0; i < 3; ++i) {
    auto inv = api.Next();
    ASSERT_FALSE(inv);
    EXPECT_EQ(inv.error().kind, ErrorKind::kInvalidArgument) << i;
  }
  auto inv = api.Next();
  ASSERT_FALSE(inv);
  EXPECT_EQ(inv.error().kind, ErrorKind::kNetwork);
}

TEST(RuntimeApi, ResponseAndErrorsArePostedWhereTheApiSays) {
  aws::FakeTransport fake;
  for (int i = 0; i < 3; ++i) fake.Enqueue(202, "{\"status\":\"OK\"}");
  fake.Enqueue(400, "{\"errorMessage\":\"unknown request\"}");
  RuntimeApi api(&fake, "localhost:9001");
  ASSERT_TRUE(api.Respond("id-1", "{\"results\":[]}"));
  EXPECT_EQ(fake.last_request().url, "http://localhost:9001/2018-06-01/runtime/invocation/id-1/response");
  EXPECT_EQ(fake.last_request().body, "{\"results\":[]}");

  ASSERT_TRUE(api.Fail("id-2", {"Cordon.InvalidEvent", "not an EventBridge event"}));
  aws::HttpRequest error = fake.last_request();
  EXPECT_EQ(error.url, "http://localhost:9001/2018-06-01/runtime/invocation/id-2/error");
  ASSERT_NE(error.headers.Find("Lambda-Runtime-Function-Error-Type"), nullptr);
  EXPECT_EQ(*error.headers.Find("Lambda-Runtime-Function-Error-Type"), "Cordon.InvalidEvent");
  auto body = ParseJsonInput(error.body, "error body");
  ASSERT_TRUE(body);
  EXPECT_EQ((*body)["errorType"], "Cordon.InvalidEvent");
  EXPECT_EQ((*body)["errorMessage"], "not an EventBridge event");
  EXPECT_TRUE((*body)["stackTrace"].is_array());

  ASSERT_TRUE(api.InitError({"Cordon.InitError", "CORDON_POLICY line 1: ..."}));
  EXPECT_EQ(fake.last_request().url, "http://localhost:9001/2018-06-01/runtime/init/error");

  auto refused = api.Respond("id-3", "{}");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().http_status, 400);
}

}  // namespace
}  // namespace cordon::automation

#include "aws/http/fake_transport.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace cordon::aws {
namespace {

HttpRequest Get(std::string url) {
  HttpRequest request;
  request.url = std::move(url);
  return request;
}

TEST(FakeTransportTest, AnswersScriptedRepliesInOrderAndRecordsRequests) {
  FakeTransport fake;
  fake.Enqueue(503, "<Error><Code>SlowDown</Code></Error>");
  fake.EnqueueError(
      Error{ErrorKind::kNetwork, "cannot connect to example.com:443: Connection refused", "", 0, ""});
  HttpResponse ok;
  ok.status = 200;
  ok.headers.Add("x-amz-request-id", "r1");
  ok.body = "done";
  fake.Enqueue(ok);
  EXPECT_EQ(fake.pending(), 3u);

  Result<HttpResponse> first = fake.Send(Get("https://a/1"));
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->status, 503);
  Result<HttpResponse> second = fake.Send(Get("https://a/2"));
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().kind, ErrorKind::kNetwork);
  Result<HttpResponse> third = fake.Send(Get("https://a/3"));
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(*third->headers.Find("X-Amz-Request-Id"), "r1");
  EXPECT_EQ(third->body, "done");

  EXPECT_EQ(fake.pending(), 0u);
  ASSERT_EQ(fake.request_count(), 3u);
  EXPECT_EQ(fake.requests()[1].url, "https://a/2");
  EXPECT_EQ(fake.last_request().url, "https://a/3");
}

TEST(FakeTransportTest, UnscriptedRequestIsAnInternalError) {
  FakeTransport fake;
  HttpRequest request = Get("https://ec2.us-east-1.amazonaws.com/");
  request.method = "POST";
  Result<HttpResponse> r = fake.Send(request);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::kInternal);
  EXPECT_NE(r.error().message.find("POST https://ec2.us-east-1.amazonaws.com/"), std::string::npos);
  EXPECT_EQ(fake.request_count(), 1u);
}

TEST(FakeTransportTest, HandlerAnswersOnceTheScriptIsUsedUp) {
  FakeTransport fake([](const HttpRequest& r) -> Result<HttpResponse> {
    HttpResponse response;
    response.status = 200;
    response.body = "handled " + r.url;
    return response;
  });
  fake.Enqueue(500, "scripted");
  EXPECT_EQ(fake.Send(Get("u1"))->body, "scripted");
  EXPECT_EQ(fake.Send(Get("u2"))->body, "handled u2");
  fake.SetHandler(nullptr);
  EXPECT_FALSE(fake.Send(Get("u3")).has_value());
}

TEST(FakeTransportTest, StreamsSuccessfulBodiesToTheSinkLikeCurl) {
  FakeTransport fake;
  std::string big(200 * 1024, 'x');
  fake.Enqueue(200, big);
  fake.Enqueue(404, "<Error/>");
  fake.Enqueue(200, "abc");

  std::string streamed;
  int chunks = 0;
  HttpRequest request = Get("s3://x");
  request.body_sink = [&](std::string_view chunk) {
    streamed.append(chunk);
    ++chunks;
    return true;
  };
  Result<HttpResponse> r = fake.Send(request);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->body.empty());
  EXPECT_EQ(streamed, big);
  EXPECT_EQ(chunks, 4);

  r = fake.Send(request);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->body, "<Error/>");

  request.body_sink = [](std::string_view) { return false; };
  r = fake.Send(request);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::kCancelled);
}

TEST(FakeTransportTest, SafeUnderConcurrentSends) {
  FakeTransport fake([](const HttpRequest&) -> Result<HttpResponse> {
    HttpResponse response;
    response.status = 200;
    return response;
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) ASSERT_TRUE(fake.Send(Get("u")).has_value());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(fake.request_count(), 800u);
}

}  // namespace
}  // namespace cordon::aws

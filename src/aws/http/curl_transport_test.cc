#include "aws/http/curl_transport.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "base/strings.h"

namespace cordon::aws {
namespace {

using std::chrono::milliseconds;

// What the test server received.
struct ServerRequest {
  int connection = 0;  // 1 for the first connection accepted, 2 for the next, ...
  std::string method;
  std::string target;  // path and query, as sent
  HttpHeaders headers;
  std::string body;
};

struct ServerReply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  milliseconds delay{0};  // wait this long (or until the server stops) before answering
  bool hang_up = false;   // close the connection without answering
};

// A minimal HTTP/1.1 server on 127.0.0.1 for these tests: keep-alive, Content-Length bodies only, one
// thread per connection. Stops (cutting every connection) when destroyed.
class TestServer {
 public:
  using Handler = std::function<ServerReply(const ServerRequest&)>;

  explicit TestServer(Handler handler) : handler_(std::move(handler)) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    EXPECT_EQ(listen(listen_fd_, 64), 0);
    socklen_t len = sizeof(addr);
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }

  ~TestServer() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
      for (int fd : connection_fds_) shutdown(fd, SHUT_RDWR);
    }
    stop_cv_.notify_all();
    shutdown(listen_fd_, SHUT_RDWR);
    acceptor_.join();
    for (std::thread& t : connection_threads_) t.join();
    for (int fd : connection_fds_) close(fd);
    close(listen_fd_);
  }

  std::string Url(const std::string& path_and_query) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path_and_query;
  }
  int port() const { return port_; }
  int connections() const { return accepted_.load(); }
  std::vector<ServerRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  void AcceptLoop() {
    for (;;) {
      int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;  // shut down
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) {
        close(fd);
        return;
      }
      int id = ++accepted_;
      connection_fds_.push_back(fd);
      connection_threads_.emplace_back([this, fd, id] { Serve(fd, id); });
    }
  }

  // Reads one request from `fd` into `out`, keeping extra bytes in `buffer`. False at end of stream.
  static bool ReadRequest(int fd, std::string& buffer, ServerRequest& out) {
    size_t head_end;
    while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      if (!ReadMore(fd, buffer)) return false;
    }
    std::vector<std::string> lines = Split(std::string_view(buffer).substr(0, head_end), '\n');
    std::vector<std::string> request_line = Split(Trim(lines[0]), ' ');
    out.method = request_line.at(0);
    out.target = request_line.at(1);
    size_t content_length = 0;
    for (size_t i = 1; i < lines.size(); ++i) {
      std::string_view line = Trim(lines[i]);
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      std::string name(line.substr(0, colon));
      std::string value(Trim(line.substr(colon + 1)));
      if (EqualsIgnoreCase(name, "Content-Length")) content_length = std::stoul(value);
      out.headers.Add(name, value);
    }
    buffer.erase(0, head_end + 4);
    while (buffer.size() < content_length) {
      if (!ReadMore(fd, buffer)) return false;
    }
    out.body = buffer.substr(0, content_length);
    buffer.erase(0, content_length);
    return true;
  }

  static bool ReadMore(int fd, std::string& buffer) {
    char chunk[64 * 1024];
    ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
    return true;
  }

  static bool WriteAll(int fd, std::string_view data) {
    while (!data.empty()) {
      ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  void Serve(int fd, int id) {
    std::string buffer;
    for (;;) {
      ServerRequest request;
      request.connection = id;
      if (!ReadRequest(fd, buffer, request)) return;
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back(request);
      }
      ServerReply reply = handler_(request);
      if (reply.delay.count() > 0) {
        std::unique_lock<std::mutex> lock(mu_);
        if (stop_cv_.wait_for(lock, reply.delay, [&] { return stopping_; })) return;
      }
      if (reply.hang_up) {
        shutdown(fd, SHUT_RDWR);
        return;
      }
      std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " Whatever\r\n";
      for (const auto& [name, value] : reply.headers) out += name + ": " + value + "\r\n";
      out += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n\r\n";
      if (request.method != "HEAD") out += reply.body;
      if (!WriteAll(fd, out)) return;
    }
  }

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  mutable std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;                        // guarded by mu_
  std::vector<int> connection_fds_;              // guarded by mu_
  std::vector<std::thread> connection_threads_;  // guarded by mu_ until the acceptor has stopped
  std::vector<ServerRequest> requests_;          // guarded by mu_
};

ServerReply Echo(const ServerRequest& r) {
  ServerReply reply;
  reply.headers = {{"X-Amz-Request-Id", "req-" + r.method}, {"x-lower-case", "yes"}, {"ETag", "\"abc\""}};
  reply.body = r.body;
  return reply;
}

std::string RandomBytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string out(n, '\0');
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<char>(rng() & 0xff);
  return out;
}

class CurlTransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The tests talk to 127.0.0.1; a proxy in the environment must not get in between.
    for (const char* name :
         {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"})
      unsetenv(name);
  }
};

TEST_F(CurlTransportTest, RoundTripsMethodHeadersAndBody) {
  TestServer server(Echo);
  CurlTransport transport;
  for (const char* method : {"GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"}) {
    HttpRequest request;
    request.method = method;
    request.url = server.Url("/bucket/key%20name?versionId=3&x-id=GetObject");
    request.headers.Add("X-Amz-Date", "20150830T123600Z");
    request.headers.Add("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD");
    request.headers.Add("X-Empty", "");
    bool sends_body = std::string(method) == "POST" || std::string(method) == "PUT";
    if (sends_body) {
      request.headers.Add("Content-Type", "application/x-amz-json-1.1");
      request.body = std::string("{\"Action\":\"") + method + "\"}";
    }
    Result<HttpResponse> response = transport.Send(request);
    ASSERT_TRUE(response.has_value()) << method << ": " << response.error().message;
    EXPECT_EQ(response->status, 200);
    ASSERT_EQ(response->headers.entries.size(), 4u);                    // our three and Content-Length
    EXPECT_EQ(response->headers.entries[0].first, "X-Amz-Request-Id");  // case as sent
    EXPECT_EQ(response->headers.entries[0].second, "req-" + std::string(method));
    EXPECT_EQ(response->headers.entries[1].first, "x-lower-case");
    EXPECT_EQ(*response->headers.Find("etag"), "\"abc\"");
    EXPECT_EQ(response->body, std::string(method) == "HEAD" ? "" : request.body);

    ServerRequest seen = server.requests().back();
    EXPECT_EQ(seen.method, method);
    EXPECT_EQ(seen.target, "/bucket/key%20name?versionId=3&x-id=GetObject");
    EXPECT_EQ(*seen.headers.Find("X-Amz-Date"), "20150830T123600Z");
    EXPECT_EQ(*seen.headers.Find("X-Amz-Content-Sha256"), "UNSIGNED-PAYLOAD");
    ASSERT_NE(seen.headers.Find("X-Empty"), nullptr);
    EXPECT_EQ(*seen.headers.Find("X-Empty"), "");
    EXPECT_EQ(*seen.headers.Find("Host"), "127.0.0.1:" + std::to_string(server.port()));
    EXPECT_EQ(seen.body, request.body);
    // Nothing but what was asked for.
    EXPECT_EQ(seen.headers.Find("Expect"), nullptr);
    EXPECT_EQ(seen.headers.Find("Accept"), nullptr);
    EXPECT_EQ(seen.headers.Find("User-Agent"), nullptr);
    if (sends_body) {
      EXPECT_EQ(*seen.headers.Find("Content-Type"), "application/x-amz-json-1.1");
      EXPECT_EQ(*seen.headers.Find("Content-Length"), std::to_string(request.body.size()));
    } else {
      EXPECT_EQ(seen.headers.Find("Content-Type"), nullptr) << method;
    }
  }
}

TEST_F(CurlTransportTest, EmptyPutSendsContentLengthZeroAndNoContentType) {
  TestServer server(Echo);
  CurlTransport transport;
  HttpRequest request;
  request.method = "PUT";
  request.url = server.Url("/bucket/empty");
  ASSERT_TRUE(transport.Send(request).has_value());
  ServerRequest seen = server.requests().back();
  EXPECT_EQ(seen.method, "PUT");
  ASSERT_NE(seen.headers.Find("Content-Length"), nullptr);
  EXPECT_EQ(*seen.headers.Find("Content-Length"), "0");
  EXPECT_EQ(seen.headers.Find("Content-Type"), nullptr);
}

TEST_F(CurlTransportTest, ErrorStatusesAreResponsesNotErrors) {
  TestServer server([](const ServerRequest&) {
    return ServerReply{503, {{"Content-Type", "text/xml"}}, "<Error><Code>SlowDown</Code></Error>"};
  });
  CurlTransport transport;
  HttpRequest request;
  request.url = server.Url("/");
  Result<HttpResponse> response = transport.Send(request);
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(response->body, "<Error><Code>SlowDown</Code></Error>");
}

TEST_F(CurlTransportTest, TwentyMegabyteBinaryBodyBothWays) {
  TestServer server(Echo);
  CurlTransport transport;
  HttpRequest request;
  request.method = "PUT";
  request.url = server.Url("/bucket/big");
  request.body = RandomBytes(20 * 1024 * 1024 + 7, 1);
  request.body[0] = '\0';  // binary safe from the first byte
  auto start = std::chrono::steady_clock::now();
  Result<HttpResponse> response = transport.Send(request);
  ASSERT_TRUE(response.has_value()) << response.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));  // no Expect stall
  ServerRequest seen = server.requests().back();
  EXPECT_EQ(seen.headers.Find("Expect"), nullptr);
  EXPECT_EQ(seen.body.size(), request.body.size());
  EXPECT_TRUE(seen.body == request.body);
  EXPECT_EQ(response->body.size(), request.body.size());
  EXPECT_TRUE(response->body == request.body);
}

// A body past the cap stops the transfer (an endpoint sending without end cannot exhaust memory); the
// same size under the cap, or streamed to a sink, goes through.
TEST_F(CurlTransportTest, BodyOverTheCapIsRefusedNotKept) {
  TestServer server([](const ServerRequest&) {
    ServerReply reply;
    reply.body = std::string(size_t{3} * 1024 * 1024, 'x');
    return reply;
  });
  HttpOptions options;
  options.max_response_body = size_t{2} * 1024 * 1024;
  CurlTransport capped(options);
  HttpRequest request;
  request.method = "GET";
  request.url = server.Url("/flood");
  Result<HttpResponse> refused = capped.Send(request);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, "ResponseTooLarge");
  EXPECT_NE(refused.error().message.find("over 2 MiB"), std::string::npos) << refused.error().message;

  size_t streamed = 0;
  request.body_sink = [&](std::string_view chunk) {
    streamed += chunk.size();
    return true;
  };
  ASSERT_TRUE(capped.Send(request).has_value());
  EXPECT_EQ(streamed, 3u * 1024 * 1024);

  CurlTransport roomy;
  request.body_sink = nullptr;
  Result<HttpResponse> kept = roomy.Send(request);
  ASSERT_TRUE(kept.has_value()) << kept.error().message;
  EXPECT_EQ(kept->body.size(), 3u * 1024 * 1024);
}

TEST_F(CurlTransportTest, StreamsSuccessfulBodiesToTheSink) {
  std::string payload = RandomBytes(size_t{5} * 1024 * 1024, 2);
  TestServer server([&](const ServerRequest& r) {
    if (r.target == "/missing") return ServerReply{404, {}, "<Error><Code>NoSuchKey</Code></Error>"};
    return ServerReply{200, {}, payload};
  });
  CurlTransport transport;

  std::string streamed;
  int chunks = 0;
  HttpRequest request;
  request.url = server.Url("/object");
  request.body_sink = [&](std::string_view chunk) {
    streamed.append(chunk);
    ++chunks;
    return true;
  };
  Result<HttpResponse> response = transport.Send(request);
  ASSERT_TRUE(response.has_value()) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(response->body.empty());
  EXPECT_TRUE(streamed == payload);
  EXPECT_GT(chunks, 1);

  // An error response is kept for the caller to parse; the sink sees none of it.
  streamed.clear();
  request.url = server.Url("/missing");
  response = transport.Send(request);
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(response->body, "<Error><Code>NoSuchKey</Code></Error>");
  EXPECT_TRUE(streamed.empty());

  // A sink that gives up stops the transfer.
  request.url = server.Url("/object");
  request.body_sink = [](std::string_view) { return false; };
  response = transport.Send(request);
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().kind, ErrorKind::kCancelled);
  EXPECT_NE(response.error().message.find("sink"), std::string::npos);
}

TEST_F(CurlTransportTest, SequentialRequestsReuseOneConnection) {
  TestServer server(Echo);
  CurlTransport transport;
  for (int i = 0; i < 6; ++i) {
    HttpRequest request;
    request.method = i % 2 ? "POST" : "GET";
    request.url = server.Url("/?n=" + std::to_string(i));
    request.body = i % 2 ? "body" : "";
    Result<HttpResponse> response = transport.Send(request);
    ASSERT_TRUE(response.has_value()) << response.error().message;
  }
  EXPECT_EQ(server.connections(), 1);
  for (const ServerRequest& r : server.requests()) EXPECT_EQ(r.connection, 1);
}

// A request that must go out once (fresh_connection) takes a connection of its own and leaves none
// behind: libcurl re-sends a request unseen only on a reused connection.
TEST_F(CurlTransportTest, AFreshConnectionRequestNeitherReusesNorIsReused) {
  TestServer server(Echo);
  CurlTransport transport;
  for (bool fresh : {false, true, false, true}) {
    HttpRequest request;
    request.method = "POST";
    request.url = server.Url("/");
    request.body = "body";
    request.fresh_connection = fresh;
    Result<HttpResponse> response = transport.Send(request);
    ASSERT_TRUE(response.has_value()) << response.error().message;
  }
  // The second and fourth on new connections; the third on the first's (the second's was closed).
  std::vector<int> connections;
  for (const ServerRequest& r : server.requests()) connections.push_back(r.connection);
  EXPECT_EQ(connections, (std::vector<int>{1, 2, 1, 3}));
}

TEST_F(CurlTransportTest, ConcurrentSendsFromEightThreads) {
  TestServer server(Echo);
  CurlTransport transport;
  constexpr int kThreads = 8, kEach = 25;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        HttpRequest request;
        request.method = "POST";
        request.url = server.Url("/t" + std::to_string(t));
        request.body = RandomBytes(1000 + t * 100 + i, t * 1000 + i);
        Result<HttpResponse> response = transport.Send(request);
        if (response && response->status == 200 && response->body == request.body) ++ok;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), kThreads * kEach);
  EXPECT_EQ(server.requests().size(), size_t{kThreads} * kEach);
  // One connection per concurrent caller at most: handles and their connections are reused.
  EXPECT_LE(server.connections(), kThreads);
}

TEST_F(CurlTransportTest, ConnectionRefusedIsANetworkErrorNamingTheHost) {
  CurlTransport transport;
  HttpRequest request;
  request.url = "http://127.0.0.1:1/";
  Result<HttpResponse> response = transport.Send(request);
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().kind, ErrorKind::kNetwork);
  EXPECT_EQ(response.error().message, "cannot connect to 127.0.0.1:1: Connection refused");
  EXPECT_TRUE(response.error().IsRetryable());
}

TEST_F(CurlTransportTest, RequestTimeoutIsHonoured) {
  TestServer server([](const ServerRequest&) {
    ServerReply reply;
    reply.delay = milliseconds(5000);
    return reply;
  });
  HttpOptions options;
  options.request_timeout = milliseconds(300);
  CurlTransport transport(options);
  HttpRequest request;
  request.url = server.Url("/slow");
  auto start = std::chrono::steady_clock::now();
  Result<HttpResponse> response = transport.Send(request);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().kind, ErrorKind::kNetwork);
  EXPECT_NE(response.error().message.find("timed out"), std::string::npos) << response.error().message;
  EXPECT_NE(response.error().message.find("127.0.0.1:" + std::to_string(server.port())), std::string::npos);
  EXPECT_GE(elapsed, milliseconds(250));
  EXPECT_LT(elapsed, milliseconds(3000));
}

TEST_F(CurlTransportTest, HangUpWithoutAnswerIsANetworkError) {
  TestServer server([](const ServerRequest&) {
    ServerReply reply;
    reply.hang_up = true;
    return reply;
  });
  CurlTransport transport;
  HttpRequest request;
  request.url = server.Url("/");
  Result<HttpResponse> response = transport.Send(request);
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().kind, ErrorKind::kNetwork);
  EXPECT_NE(response.error().message.find("127.0.0.1:" + std::to_string(server.port())), std::string::npos);
}

TEST_F(CurlTransportTest, UnsupportedSchemeIsInvalidArgument) {
  CurlTransport transport;
  HttpRequest request;
  request.url = "ftp://127.0.0.1/file";
  Result<HttpResponse> response = transport.Send(request);
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().kind, ErrorKind::kInvalidArgument);
}

TEST_F(CurlTransportTest, ErrorsNeverEchoHeaderValues) {
  CurlTransport transport;
  HttpRequest request;
  request.url = "http://127.0.0.1:1/";
  request.headers.Add("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/secret");
  request.headers.Add("X-Amz-Security-Token", "session-token-value");
  Result<HttpResponse> response = transport.Send(request);
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().message.find("AKIDEXAMPLE"), std::string::npos);
  EXPECT_EQ(response.error().message.find("session-token-value"), std::string::npos);
}

}  // namespace
}  // namespace cordon::aws

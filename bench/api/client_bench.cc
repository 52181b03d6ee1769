// Per-call latency and concurrent throughput of one aws::Client against an endpoint (moto), with a
// plain wall-clock timer. Prints one JSON object on stdout; bench/api/run.sh compares it with boto3.
//
//   api_client_bench --endpoint http://127.0.0.1:PORT [--calls N] [--threads T] [--op sts.GetCallerIdentity]
//
// The client's own rate limiter (20 calls/s per service by default, there to keep a fleet response
// from throttling itself) is lifted here: this measures the wire layer, not the politeness policy.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "aws/client.h"
#include "aws/http/curl_transport.h"

namespace {

using Clock = std::chrono::steady_clock;

class StaticCredentials : public cordon::aws::CredentialsProvider {
 public:
  cordon::Result<cordon::aws::Credentials> Get() override {
    cordon::aws::Credentials c;
    c.access_key_id = "testing";
    c.secret_access_key = "testing";
    c.source = "bench";
    return c;
  }
  std::string Name() const override { return "static"; }
};

struct Stats {
  double seconds = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0;
  int errors = 0;
};

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  std::string endpoint, op = "sts.GetCallerIdentity";
  int calls = 200, threads = 8;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--endpoint")
      endpoint = value;
    else if (flag == "--calls")
      calls = std::atoi(value.c_str());
    else if (flag == "--threads")
      threads = std::atoi(value.c_str());
    else if (flag == "--op")
      op = value;
    else {
      std::fprintf(stderr, "api_client_bench: unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  size_t dot = op.find('.');
  if (endpoint.empty() || dot == std::string::npos || calls < 1 || threads < 1) {
    std::fprintf(
        stderr,
        "usage: api_client_bench --endpoint URL [--calls N] [--threads T] [--op service.Operation]\n");
    return 2;
  }
  const std::string service = op.substr(0, dot), operation = op.substr(dot + 1);

  cordon::aws::ClientOptions options;
  options.region = "us-east-1";
  options.endpoint_for = [endpoint](const cordon::aws::ServiceModel&) -> cordon::Result<std::string> {
    return endpoint;
  };
  options.rate_limit = cordon::aws::RateLimit::Unlimited();  // no client-side pacing at all
  options.credentials = std::make_shared<StaticCredentials>();
  options.transport = std::make_shared<cordon::aws::CurlTransport>();
  cordon::aws::Client client(options);

  // Warm up: the first call loads the model and opens the connection, as boto3's first call does.
  if (auto warm = client.Call(service, operation, cordon::Json::object()); !warm) {
    std::fprintf(stderr, "api_client_bench: %s\n", warm.error().ToString().c_str());
    return 1;
  }

  Stats sequential;
  {
    std::vector<double> latencies;
    auto start = Clock::now();
    for (int i = 0; i < calls; ++i) {
      auto t0 = Clock::now();
      if (!client.Call(service, operation, cordon::Json::object())) ++sequential.errors;
      latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    sequential.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    sequential.p50_ms = Percentile(latencies, 0.5);
    sequential.p90_ms = Percentile(latencies, 0.9);
    sequential.p99_ms = Percentile(latencies, 0.99);
  }

  Stats concurrent;
  {
    std::vector<std::thread> pool;
    std::vector<int> errors(static_cast<size_t>(threads), 0);
    auto start = Clock::now();
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        for (int i = t; i < calls; i += threads)
          if (!client.Call(service, operation, cordon::Json::object())) ++errors[static_cast<size_t>(t)];
      });
    }
    for (auto& th : pool) th.join();
    concurrent.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    for (int e : errors) concurrent.errors += e;
  }

  std::printf(
      "{\"client\": \"cordon\", \"op\": \"%s\", \"calls\": %d, \"threads\": %d, "
      "\"sequential\": {\"seconds\": %.4f, \"per_call_ms\": %.3f, \"p50_ms\": %.3f, \"p90_ms\": %.3f, "
      "\"p99_ms\": %.3f, \"errors\": %d}, "
      "\"concurrent\": {\"seconds\": %.4f, \"calls_per_second\": %.1f, \"errors\": %d}}\n",
      op.c_str(), calls, threads, sequential.seconds, 1000.0 * sequential.seconds / calls, sequential.p50_ms,
      sequential.p90_ms, sequential.p99_ms, sequential.errors, concurrent.seconds, calls / concurrent.seconds,
      concurrent.errors);
  return sequential.errors + concurrent.errors == 0 ? 0 : 1;
}

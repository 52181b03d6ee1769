// Test helpers for the credentials tests: a temporary directory and a scripted fake Transport.
// Included only by *_test.cc files.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include "aws/http/http.h"
#include "base/error.h"
#include "testing/temp_dir.h"

namespace cordon::aws::testing {

using cordon::test::TempDir;

// Returns scripted answers in order and records every request. With no answer left, Send fails as a
// connection failure would (kNetwork).
class ScriptedTransport : public Transport {
 public:
  void Reply(int status, std::string body = "") {
    std::lock_guard<std::mutex> lock(mu_);
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    answers_.emplace_back(std::move(response));
  }
  void FailConnection() {
    std::lock_guard<std::mutex> lock(mu_);
    answers_.emplace_back(tl::unexpected(Error{ErrorKind::kNetwork, "connection refused", "", 0, ""}));
  }

  Result<HttpResponse> Send(const HttpRequest& request) override {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(request);
    if (answers_.empty()) return MakeError(ErrorKind::kNetwork, "connection refused (no scripted answer)");
    Result<HttpResponse> answer = std::move(answers_.front());
    answers_.pop_front();
    return answer;
  }

  std::vector<HttpRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  mutable std::mutex mu_;
  std::deque<Result<HttpResponse>> answers_;
  std::vector<HttpRequest> requests_;
};

// The header's value, or "<absent>".
inline std::string HeaderOf(const HttpRequest& request, const std::string& name) {
  const std::string* value = request.headers.Find(name);
  return value == nullptr ? "<absent>" : *value;
}

}  // namespace cordon::aws::testing

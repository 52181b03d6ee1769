// Support for unit tests (included only by *_test.cc files): one role's inline policies as IAM's Query
// API keeps and serves them (GetRolePolicy, PutRolePolicy, DeleteRolePolicy), for an aws::FakeTransport
// handler. The deny tests of the credentials step and of a run's RunDenies both stand on it.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aws/http/http.h"
#include "base/encoding.h"
#include "base/error.h"
#include "testing/form_params.h"

namespace cordon::test {

class FakeRolePolicies {
 public:
  // IAM's answer to `r`. Thread-safe: FakeTransport calls handlers from every sending thread.
  Result<aws::HttpResponse> Answer(const aws::HttpRequest& r) {
    std::lock_guard<std::mutex> lock(mu);
    auto p = FormParams(r.body);
    const std::string action = p["Action"], name = p["PolicyName"];
    actions.push_back(action + " " + name);
    ++calls[action];
    const std::string meta = "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>";
    if (action == "GetRolePolicy") {
      const std::map<std::string, std::string>& read = stale ? *stale : policies;
      auto it = read.find(name);
      if (it == read.end())
        return Xml(404,
                   "<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The role "
                   "policy with name " +
                       name + " cannot be found.</Message></Error><RequestId>r</RequestId></ErrorResponse>");
      return Xml(200, "<GetRolePolicyResponse><GetRolePolicyResult><RoleName>" + p["RoleName"] +
                          "</RoleName><PolicyName>" + name + "</PolicyName><PolicyDocument>" +
                          UriEncode(it->second) + "</PolicyDocument></GetRolePolicyResult>" + meta +
                          "</GetRolePolicyResponse>");
    }
    if (action == "PutRolePolicy") {
      policies[name] = p["PolicyDocument"];
      return Xml(200, "<PutRolePolicyResponse>" + meta + "</PutRolePolicyResponse>");
    }
    if (action == "DeleteRolePolicy") {
      policies.erase(name);
      return Xml(200, "<DeleteRolePolicyResponse>" + meta + "</DeleteRolePolicyResponse>");
    }
    return MakeError(ErrorKind::kInternal, "unexpected " + action);
  }

  int Calls(const std::string& action) {
    std::lock_guard<std::mutex> lock(mu);
    return calls[action];
  }

  // Guarded by `mu` while calls run; a test reads and sets them freely between calls.
  std::mutex mu;
  std::map<std::string, std::string> policies;  // name -> document
  std::vector<std::string> actions;             // "Action PolicyName", in order
  std::map<std::string, int> calls;             // by action
  // When set, what GetRolePolicy answers: the documents as they were, as an eventually consistent
  // read right after a write may still show them ("Changes that I make are not always immediately
  // visible", IAM User Guide, troubleshooting).
  std::optional<std::map<std::string, std::string>> stale;

 private:
  static aws::HttpResponse Xml(int status, std::string body) {
    aws::HttpResponse out;
    out.status = status;
    out.body = std::move(body);
    return out;
  }
};

}  // namespace cordon::test

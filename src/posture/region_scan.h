// The state one region's checks share: the client pinned to the region, the account, and the posture
// being filled (thread-safe appends, as the regions are assessed concurrently).
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "aws/client.h"
#include "aws/filters.h"
#include "base/error.h"
#include "base/json_fields.h"
#include "posture/finding.h"

namespace cordon::posture {

class RegionScan {
 public:
  RegionScan(aws::Client& client, std::string region, std::string account, Posture* out, std::mutex* mu)
      : client_(client), region_(std::move(region)), account_(std::move(account)), out_(out), mu_(mu) {}

  const std::string& region() const { return region_; }
  const std::string& account() const { return account_; }
  aws::Client& client() { return client_; }

  Result<Json> Call(const char* service, const char* op, Json input = Json::object());
  Result<Json> CallAll(const char* service, const char* op, Json input = Json::object());

  // Adds a finding in this region (unless the finding names its own region, as IAM's "global").
  void Add(Finding finding);
  // Records that `check` could not be assessed here, and why.
  void NotAssessed(const std::string& check, const Error& error);
  void NotAssessed(const std::string& check, const std::string& reason);
  void AddSuspect(SuspectView view);

  // "aws ... --region R": every fix names the region it applies to.
  std::string Cli(const std::string& command) const;

 private:
  aws::Client& client_;
  std::string region_, account_;
  Posture* out_;
  std::mutex* mu_;
};

// The text quoted for a POSIX shell: 'it'\''s'.
std::string ShellQuote(const std::string& text);

}  // namespace cordon::posture

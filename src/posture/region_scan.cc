#include "posture/region_scan.h"

namespace cordon::posture {

Result<Json> RegionScan::Call(const char* service, const char* op, Json input) {
  return client_.Call(service, op, std::move(input), aws::CallOptions{region_, {}, false, nullptr});
}

Result<Json> RegionScan::CallAll(const char* service, const char* op, Json input) {
  return client_.CallAll(service, op, std::move(input), aws::CallOptions{region_, {}, false, nullptr});
}

void RegionScan::Add(Finding finding) {
  if (finding.region.empty()) finding.region = region_;
  std::lock_guard<std::mutex> lock(*mu_);
  out_->findings.push_back(std::move(finding));
}

void RegionScan::NotAssessed(const std::string& check, const Error& error) {
  NotAssessed(check, error.ToString());
}

void RegionScan::NotAssessed(const std::string& check, const std::string& reason) {
  std::lock_guard<std::mutex> lock(*mu_);
  out_->not_assessed.push_back({check, region_, reason});
}

void RegionScan::AddSuspect(SuspectView view) {
  std::lock_guard<std::mutex> lock(*mu_);
  out_->suspect.push_back(std::move(view));
}

std::string RegionScan::Cli(const std::string& command) const {
  return "aws " + command + " --region " + region_;
}

std::string ShellQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

}  // namespace cordon::posture

// What a responder asked for: the flags of `contain`, `release` and `preserve` that steps read.
#pragma once

#include <string>
#include <vector>

namespace cordon::response {

enum class AsgMode { kDetach, kStandby };

struct ResponseOptions {
  std::string case_id;
  std::string responder;
  AsgMode asg_mode = AsgMode::kDetach;
  // --allow-from: CIDRs ("10.0.0.0/24") or security group ids ("sg-...") that may reach an isolated
  // instance (all protocols) for forensic access.
  std::vector<std::string> allow_from;
  bool revoke_role_sessions = false;
  std::string quarantine_profile;  // an instance profile name or ARN; empty: disassociate
  bool force = false;              // release: undo even where live state drifted
  std::string series;              // preserve: the snapshot set's index in the time series ("" for contain)
};

}  // namespace cordon::response

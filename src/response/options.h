// What a responder asked for: the flags of `contain`, `release` and `preserve` that steps read.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace cordon::response {

enum class AsgMode { kDetach, kStandby };

// --capture-memory (DESIGN.md §3 rule 7): memory and volatile data captured through SSM Run Command.
struct MemoryCaptureOptions {
  bool enabled = false;
  // Run before isolate-network instead of after it (then no SSM egress exception is needed).
  bool before_isolation = false;
  std::string bucket;  // the evidence bucket; objects go under <prefix>/<case>/<instance>/
  std::string prefix;  // without leading or trailing '/'; may be empty
  // The staged acquisition tool: an absolute path on the host, or s3://bucket/key (fetched by the
  // host from S3 only, never from the internet). It writes the image to the path it is given.
  std::string tool;
  std::string tool_sha256;  // the pin: lowercase hex; the host refuses to run a tool that differs
  std::chrono::seconds timeout{3600};
};

// --lock-snapshots (issue 15): EC2 LockSnapshot on each of the case's snapshots as soon as it exists,
// so nobody (the intruder with the account's keys included) can delete it before the lock expires.
// https://docs.aws.amazon.com/ebs/latest/userguide/snapshot-lock-concepts.html
struct SnapshotLockOptions {
  int days = 0;             // LockDuration, 1 to 36500; 0: no lock
  bool compliance = true;   // compliance (nobody can unlock after the cooling-off period) or governance
  int cool_off_hours = 24;  // compliance only, 1 to 72: the window in which a mistaken lock can be undone

  bool enabled() const { return days > 0; }
};

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
  MemoryCaptureOptions memory;     // contain --capture-memory
  SnapshotLockOptions lock;        // contain/preserve --lock-snapshots
};

}  // namespace cordon::response

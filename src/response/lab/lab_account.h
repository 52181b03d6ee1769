// Where the lab lives: in the suspect's account, or in a forensic account (`lab up
// --forensic-account-role ARN`), as AWS's incident response guide recommends: an account of its
// own, so the attacker's foothold cannot reach the workstation. The lab's own resources (stack,
// workstation, group, lab volumes) are read and changed there; the suspect's (its interfaces, the
// case's snapshots, the copies made to share them, the case's KMS key) stay in the suspect's account.
// lab up records the role in lab-stack's journaled "before"; every later lab command, lab down and
// cleanup read it back from there.
#pragma once

#include <string>

#include "aws/client.h"
#include "base/error.h"
#include "response/lab/lab.h"
#include "response/step.h"

namespace cordon::response::lab {

// The role the case's latest lab up was given, "" for a lab in the suspect's account.
Result<std::string> RecordedForensicRole(const StepContext& ctx);

// The 12-digit account id of a role ARN (arn:aws:iam::<account>:role/...), or "".
std::string AccountOfRole(const std::string& role_arn);

// The suspect's account's client behind `client` (itself unless it is a lab account's client).
aws::Client* SuspectClientOf(aws::Client* client);

// While alive, ctx's calls go to the lab's account; as they went before when it goes. Nests: a
// helper that enters again, inside a step that did, acts in the same accounts.
class LabAccount {
 public:
  explicit LabAccount(StepContext& ctx)
      : ctx_(ctx), saved_(ctx.client), suspect_(SuspectClientOf(ctx.client)) {}
  ~LabAccount() { ctx_.client = saved_; }
  LabAccount(const LabAccount&) = delete;
  LabAccount& operator=(const LabAccount&) = delete;

  // Switches to the account of `role` ("" stays in the suspect's). The client is made once per
  // process and role; its calls are journaled under the running step like the suspect's.
  Status Enter(const std::string& role);
  // Switches to the account lab up recorded.
  Status EnterRecorded();

  // EnterRecorded, then the case's running lab (RequireLab): what most lab steps start with.
  Result<Lab> EnterRecordedLab();

  bool cross_account() const { return !role_.empty(); }
  const std::string& role() const { return role_; }
  std::string account() const { return AccountOfRole(role_); }
  aws::Client* suspect_client() const { return suspect_; }

  // Runs f() with ctx's calls in the suspect's account.
  template <class F>
  auto InSuspectAccount(F f) {
    aws::Client* lab = ctx_.client;
    ctx_.client = suspect_;
    auto result = f();
    ctx_.client = lab;
    return result;
  }

 private:
  StepContext& ctx_;
  aws::Client* saved_;    // ctx's client when this was made
  aws::Client* suspect_;  // the suspect's account's
  std::string role_;
};

}  // namespace cordon::response::lab

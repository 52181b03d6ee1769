#include "response/lab/lab_account.h"

#include <cctype>
#include <map>
#include <memory>
#include <mutex>
#include <regex>

#include "aws/client_factory.h"
#include "response/audit_capture.h"
#include "response/isolation_groups.h"
#include "response/lab/lab_steps.h"

namespace cordon::response::lab {
namespace {

// One client per (base client, role) for the process: its cached credentials are reused by every
// step, and its audit hook routes its calls to the step running them.
struct Registry {
  std::mutex mu;
  std::map<std::pair<aws::Client*, std::string>, std::shared_ptr<aws::Client>> clients;
  std::map<aws::Client*, aws::Client*> base_of;  // lab client -> the suspect's
};
Registry& Clients() {
  static Registry* registry = new Registry;  // never destroyed: steps may run until exit
  return *registry;
}

aws::Client* ClientFor(aws::Client* base, const std::string& role, const std::string& case_id) {
  Registry& r = Clients();
  std::lock_guard<std::mutex> lock(r.mu);
  auto& client = r.clients[{base, role}];
  if (!client) {
    // A session name CloudTrail shows in the forensic account: cordon and the case ([\w+=,.@-]{2,64}).
    std::string session = "cordon-" + case_id;
    for (char& c : session)
      if (!std::isalnum(static_cast<unsigned char>(c)) &&
          std::string_view("+=,.@-_").find(c) == std::string_view::npos)
        c = '-';
    client = aws::MakeAssumedRoleClient(*base, role, session.substr(0, 64));
    InstallAuditHook(*client);
    r.base_of[client.get()] = base;
  }
  return client.get();
}

}  // namespace

aws::Client* SuspectClientOf(aws::Client* client) {
  Registry& r = Clients();
  std::lock_guard<std::mutex> lock(r.mu);
  auto it = r.base_of.find(client);
  return it == r.base_of.end() ? client : it->second;
}

Result<std::string> RecordedForensicRole(const StepContext& ctx) {
  auto last = ctx.store->journal().LastOutcome(ctx.target.instance_id, "lab-stack");
  if (!last) return MakeError(last.error());
  const Json& payload = last->payload;
  if (!payload.is_object() || !payload.contains("before") || !payload["before"].is_object())
    return std::string();
  return payload["before"].value("forensic_account_role", "");
}

std::string AccountOfRole(const std::string& role_arn) {
  static const std::regex kRole(R"(^arn:aws[a-z-]*:iam::(\d{12}):role/.+$)");
  std::smatch m;
  return std::regex_match(role_arn, m, kRole) ? m[1].str() : "";
}

Status LabAccount::Enter(const std::string& role) {
  role_ = role;
  if (role.empty()) {
    ctx_.client = suspect_;
    return Ok();
  }
  if (AccountOfRole(role).empty())
    return MakeError(
        ErrorKind::kInvalidArgument,
        "--forensic-account-role must be a role ARN (arn:aws:iam::<12-digit account>:role/NAME), not '" +
            role + "'");
  ctx_.client = ClientFor(suspect_, role, CaseIdOf(ctx_));
  return Ok();
}

Result<Lab> LabAccount::EnterRecordedLab() {
  if (Status s = EnterRecorded(); !s) return MakeError(s.error());
  return RequireLab(ctx_);
}

Status LabAccount::EnterRecorded() {
  auto role = RecordedForensicRole(ctx_);
  if (!role) return MakeError(role.error());
  return Enter(*role);
}

}  // namespace cordon::response::lab

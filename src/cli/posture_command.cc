#include "cli/posture_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "base/terminal_print.h"
#include "cli/cases_root.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/posture_case.h"
#include "cli/result_or_text.h"
#include "cloud/target.h"
#include "posture/posture.h"

namespace cordon::cli {
namespace {

struct PostureFlags {
  bool all_regions = false;
  std::string instance;
  ResultFlags result;  // --output, --query
  CaseFlags store_in;  // --case: store the posture there
};

void PrintText(const posture::Posture& p) {
  SafePrintf(stdout, "Posture of account %s in %zu region(s): %zu finding(s), %zu check(s) not assessed\n",
             p.account.empty() ? "(unknown)" : p.account.c_str(), p.regions.size(), p.findings.size(),
             p.not_assessed.size());
  for (const posture::SuspectView& s : p.suspect)
    SafePrintf(stdout, "\nSuspect %s (%s, %s): VPC flow logs %s, Inspector %s\n", s.instance_id.c_str(),
               s.region.c_str(), s.vpc_id.c_str(), s.vpc_flow_logs.c_str(), s.inspector.c_str());
  if (!p.findings.empty()) SafePrintf(stdout, "\nFindings\n");
  for (const posture::Finding& f : p.findings) {
    SafePrintf(stdout, "  [%s] %s  %s\n", posture::SeverityName(f.severity), f.region.c_str(),
               f.title.c_str());
    std::string ids;
    for (const std::string& e : f.evidence) ids += (ids.empty() ? "" : " ") + e;
    SafePrintf(stdout, "      check:    %s\n      evidence: %s\n      fix:      %s\n", f.check.c_str(),
               ids.c_str(), f.fix.c_str());
  }
  if (!p.not_assessed.empty()) SafePrintf(stdout, "\nNot assessed (unknown, not clean)\n");
  for (const posture::NotAssessed& n : p.not_assessed)
    SafePrintf(stdout, "  %s  %s: %s\n", n.region.c_str(), n.check.c_str(), n.reason.c_str());
  if (p.findings.empty() && p.not_assessed.empty()) SafePrintf(stdout, "\nNothing found.\n");
}

int RunPosture(const CommandContext& ctx, const PostureFlags& flags) {
  std::optional<PostureCase> in_case;
  if (!flags.store_in.id.empty()) {
    auto opened = OpenPostureCase(flags.store_in);
    if (!opened) return ReportError(opened.error());
    in_case = std::move(*opened);
  }
  auto client = ctx.Client();
  if (!client) return ReportError(client.error());
  posture::PostureOptions options;
  options.instance_id = flags.instance;
  // In a case, the case's instance is the suspect unless another is named.
  if (options.instance_id.empty() && in_case) options.instance_id = in_case->instance;
  if (flags.all_regions) {
    auto regions = cloud::ListRegions(**client);
    if (!regions) return ReportError(regions.error());
    options.regions = *regions;
  }
  auto result = posture::AssessPosture(**client, options);
  if (!result) return ReportError(result.error());
  if (int status = PrintResultOrText(posture::ToJson(*result), flags.result, [&] { PrintText(*result); });
      status != kExitOk)
    return status;
  std::fflush(stdout);
  if (in_case)
    if (auto failed = StorePostureInCase(*in_case, *client, ctx.command_line, *result)) return *failed;
  return result->not_assessed.empty() ? kExitOk : kExitPartial;
}

}  // namespace

CommandBody SetupPosture(CLI::App& app) {
  app.description(
      "Reassess the account after an incident: security groups open to the internet (admin ports\n"
      "flagged) and who uses them, unused groups, IMDSv1, unencrypted volumes, instances without SSM,\n"
      "administrator-like instance roles; and per region CloudTrail, VPC flow logs, GuardDuty (runtime\n"
      "monitoring, malware protection), Config, Security Hub, Macie and Inspector. Each finding names its\n"
      "evidence and the AWS CLI command that fixes it; a check whose API fails is 'not assessed'.");
  auto f = std::make_shared<PostureFlags>();
  app.add_flag("--all-regions", f->all_regions, "assess every enabled region (concurrently)");
  app.add_option(
      "--instance", f->instance,
      "the suspect: whether its VPC had flow logs, and its Inspector findings when Inspector is on");
  AddResultFlags(app, &f->result, "the findings");
  app.add_option(
      "--case", f->store_in.id,
      "store the posture (as --output json has it) with the suspect's share in this existing case, "
      "for its report; the case's instance is the suspect unless --instance names another");
  app.add_option("--cases-dir", f->store_in.cases_dir, kCasesDirHelp);
  app.add_option("--responder", f->store_in.responder, "who runs the assessment (default $USER)");
  return {[f](const CommandContext& ctx) { return RunPosture(ctx, *f); },
          [f] { return CheckResultFlags(f->result); }};
}

}  // namespace cordon::cli

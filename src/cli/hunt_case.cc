#include "cli/hunt_case.h"

#include "base/hash.h"
#include "base/time.h"
#include "cli/case_flags.h"
#include "cli/cases_root.h"
#include "cli/output.h"
#include "evidence/case_store.h"
#include "hunt/output.h"
#include "response/run_identity.h"

namespace cordon::cli {

void AddOptionalCaseFlags(CLI::App& app, CaseFlags* flags) {
  app.add_option("--case", flags->id,
                 "store the results (as --output json has them) in this existing case, for its report");
  app.add_option("--cases-dir", flags->cases_dir, kCasesDirHelp);
  app.add_option("--responder", flags->responder, "who is hunting (default $USER)");
}

std::optional<int> StoreHuntInCase(CaseFlags flags, aws::Client* client, const std::string& command_line,
                                   const hunt::HuntResults& results, const hunt::Selectors& selectors) {
  if (flags.id.empty()) return std::nullopt;
  // FinishCaseFlags resolves cases_dir (CliCasesRoot), as for every command's case.
  if (auto s = FinishCaseFlags(&flags); !s) return ReportError(s.error());
  auto store = evidence::CaseStore::OpenExisting(std::filesystem::path(flags.cases_dir) / flags.id);
  if (!store) return ReportError(store.error());
  if (auto s = response::RecordRunIdentity(**store, client, {"hunt", command_line, flags.responder}); !s)
    return ReportError(s.error());
  const std::string json = hunt::ResultsToJsonText(results, selectors);
  evidence::EvidenceItem item;
  item.target = selectors.instances.empty() ? "" : selectors.instances.front();
  item.kind = evidence::EvidenceKind::kFile;
  item.source = "cordon hunt (CloudTrail, flow logs, findings)";
  item.collector = flags.responder;
  item.details = Json{{"hunt", "cordon hunt --output json"},
                      {"instances", selectors.instances},
                      {"ips", selectors.ips},
                      {"enis", selectors.enis},
                      {"roles", selectors.roles},
                      {"cloudtrail_events", results.events.size()},
                      {"flow_aggregates", results.flows.size()},
                      {"findings", results.findings.size()}};
  std::string stamp = FormatAmzDate(SystemClock::Default()->Now());
  auto stored = (*store)->evidence().StoreFile(
      "hunt-" + stamp + "-" + Sha256Hex(json).substr(0, 12) + ".json", json, item);
  if (!stored) return ReportError(stored.error());
  PrintInfo("hunt results stored in case " + flags.id + " as " + stored->location + " (SHA-256 " +
            stored->sha256 + ")");
  return std::nullopt;
}

}  // namespace cordon::cli

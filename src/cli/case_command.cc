#include "cli/case_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "base/terminal_print.h"
#include "base/terminal_text.h"
#include "cli/case_report_command.h"
#include "cli/case_verify_command.h"
#include "cli/cases_root.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/result_or_text.h"
#include "cli/target_location.h"
#include "evidence/case_store.h"
#include "evidence/snapshot_states.h"

namespace cordon::cli {
namespace {

Json SummaryJson(const evidence::CaseSummary& s) {
  Json j = {{"id", s.id},
            {"dir", s.dir.string()},
            {"created", s.created},
            {"status", s.status},
            {"responder", s.responder},
            {"targets", s.targets},
            {"last_activity", s.last_activity},
            {"records", s.records}};
  if (!s.error.empty()) j["error"] = s.error;
  return j;
}

void PrintList(const std::filesystem::path& root, const std::vector<evidence::CaseSummary>& cases) {
  if (cases.empty()) {
    SafePrintf(stdout, "no cases in %s (%s)\n", root.string().c_str(), kCasesDirHint);
    return;
  }
  SafePrintf(stdout, "%-24s %-12s %-21s %-21s %s\n", "CASE", "STATUS", "CREATED", "LAST ACTIVITY", "TARGETS");
  for (const auto& c : cases) {
    std::string targets;
    for (const auto& t : c.targets) targets += (targets.empty() ? "" : ",") + t;
    if (!c.error.empty()) targets = "(unreadable: " + c.error + ")";
    SafePrintf(stdout, "%-24s %-12s %-21s %-21s %s\n", c.id.c_str(), OneLine(c.status).c_str(),
               OneLine(c.created).c_str(), OneLine(c.last_activity).c_str(), OneLine(targets).c_str());
  }
}

int List(const std::filesystem::path& root, const ResultFlags& result) {
  auto cases = evidence::ListCases(root);
  if (!cases) return ReportError(cases.error());
  Json out = Json::array();
  for (const auto& c : *cases) out.push_back(SummaryJson(c));
  return PrintResultOrText(out, result, [&] { PrintList(root, *cases); });
}

// Where each target of the case is: its latest target.location, else (a case from before that
// record) the region its pre-state names, the account unknown.
std::map<std::string, TargetLocation> Locations(const std::vector<evidence::JournalRecord>& records,
                                                const std::vector<evidence::PreStateRecord>& pre) {
  std::map<std::string, TargetLocation> out = TargetLocationsOf(records);
  for (const auto& p : pre)
    if (!out.count(p.target)) out[p.target].region = p.state.value("region", "");
  return out;
}

// What `case show` prints, read once from the case.
struct CaseView {
  evidence::CaseSummary summary;
  std::vector<evidence::JournalRecord> records;
  std::vector<evidence::EvidenceItem> items;
  std::vector<evidence::PreStateRecord> pre;
};

Json ShowJson(const CaseView& v) {
  Json out = SummaryJson(v.summary);
  out["journal"] = Json::array();
  for (const auto& r : v.records)
    out["journal"].push_back({{"seq", r.seq},
                              {"time", r.time},
                              {"kind", r.kind},
                              {"target", r.target},
                              {"step", r.step},
                              {"payload", r.PayloadJson()},
                              {"hash", r.hash}});
  out["evidence"] = Json::array();
  for (const auto& e : v.items)
    out["evidence"].push_back({{"target", e.target},
                               {"kind", std::string(evidence::EvidenceKindName(e.kind))},
                               {"location", e.location},
                               {"sha256", e.sha256},
                               {"size", e.size},
                               {"source", e.source},
                               {"collector", e.collector},
                               {"time", e.time}});
  for (size_t i = 0; i < v.items.size(); ++i)  // a snapshot's lock (--lock-snapshots): until when
    if (v.items[i].details.contains("lock")) out["evidence"][i]["lock"] = v.items[i].details["lock"];
  const auto snapshot_states = evidence::RecordedSnapshotStates(v.records);
  for (size_t i = 0; i < v.items.size(); ++i)  // a snapshot's state: evidence only once completed
    if (auto it = snapshot_states.find(v.items[i].location); it != snapshot_states.end())
      out["evidence"][i]["snapshot"] = {
          {"state", it->second.state},       {"progress", it->second.progress},
          {"message", it->second.message},   {"completed_at", it->second.completed_at},
          {"retry_of", it->second.retry_of}, {"recorded", it->second.recorded}};
  out["pre_state"] = Json::object();
  for (const auto& p : v.pre) out["pre_state"][p.target] = {{"time", p.time}, {"sha256", p.sha256}};
  out["locations"] = Json::object();
  for (const auto& [target, where] : Locations(v.records, v.pre)) {
    Json one = {{"region", where.region}, {"account", where.account}};
    if (!where.role_arn.empty()) one["role_arn"] = where.role_arn;
    out["locations"][target] = std::move(one);
  }
  return out;
}

void ShowText(const CaseView& v) {
  SafePrintf(stdout, "case %s\n  status: %s\n  created: %s by %s\n  folder: %s\n", v.summary.id.c_str(),
             v.summary.status.c_str(), v.summary.created.c_str(), v.summary.responder.c_str(),
             v.summary.dir.string().c_str());
  SafePrintf(stdout, "\njournal (%zu records):\n", v.records.size());
  for (const auto& r : v.records) {
    std::string payload = r.payload.size() > 100 ? r.payload.substr(0, 97) + "..." : r.payload;
    SafePrintf(stdout, "  %4lld %s %-16s %-20s %-18s %s\n", static_cast<long long>(r.seq), r.time.c_str(),
               r.kind.c_str(), OneLine(r.target).c_str(), r.step.c_str(), OneLine(payload).c_str());
  }
  SafePrintf(stdout, "\nevidence (%zu items):\n", v.items.size());
  const auto snapshot_states = evidence::RecordedSnapshotStates(v.records);
  for (const auto& e : v.items) {
    SafePrintf(stdout, "  %-14s %-20s %-40s %s\n", std::string(evidence::EvidenceKindName(e.kind)).c_str(),
               OneLine(e.target).c_str(), OneLine(e.location).c_str(),
               e.sha256.empty() ? "(no hash: AWS-side object)" : e.sha256.c_str());
    if (const Json lock = e.details.value("lock", Json()); lock.is_object())
      SafePrintf(stdout, "  %-14s locked (%s) until %s\n", "", lock.value("mode", "").c_str(),
                 lock.value("expires_on", "").c_str());
    if (auto it = snapshot_states.find(e.location); it != snapshot_states.end())
      SafePrintf(stdout, "  %-14s %s\n", "", OneLine(evidence::DescribeSnapshotState(it->second)).c_str());
  }
  SafePrintf(stdout, "\npre-state recorded for %zu target(s)\n", v.pre.size());
  const auto locations = Locations(v.records, v.pre);
  if (!locations.empty()) SafePrintf(stdout, "\ntargets:\n");
  for (const auto& [target, where] : locations)
    SafePrintf(stdout, "  %-20s region %s, account %s%s\n", OneLine(target).c_str(),
               where.region.empty() ? "unknown" : OneLine(where.region).c_str(),
               where.account.empty() ? "unknown" : OneLine(where.account).c_str(),
               where.role_arn.empty() ? "" : (" (as " + OneLine(where.role_arn) + ")").c_str());
}

int Show(const std::filesystem::path& dir, const ResultFlags& result) {
  auto store = evidence::CaseStore::OpenExisting(dir);
  if (!store) return ReportError(store.error());
  auto summary = (*store)->Summary();
  if (!summary) return ReportError(summary.error());
  auto records = (*store)->journal().Records();
  if (!records) return ReportError(records.error());
  auto items = (*store)->evidence().List();
  if (!items) return ReportError(items.error());
  auto pre = (*store)->pre_state().All();
  if (!pre) return ReportError(pre.error());
  const CaseView view{std::move(*summary), std::move(*records), std::move(*items), std::move(*pre)};
  return PrintResultOrText(ShowJson(view), result, [&] { ShowText(view); });
}

struct CaseCommandFlags {
  std::string cases_dir, id, report_out, report_format = "md";
  ResultFlags result;  // --output, --query (list, show; verify's own unless given there)
  CaseVerifyFlags verify_flags;
  CLI::App *list = nullptr, *show = nullptr, *verify = nullptr, *report = nullptr;
};

int CaseCommand(const CommandContext& ctx, CaseCommandFlags& f) {
  // `cordon case verify` is its own command (case_verify_command.h); this is `cordon case [options]
  // verify`, the same check, with the options given before the sub-command as defaults.
  if (f.verify->parsed()) {
    CaseVerifyFlags& v = f.verify_flags;
    if (v.cases_dir.empty()) v.cases_dir = f.cases_dir;
    if (f.verify->count("--output") == 0) v.result.output = f.result.output;
    if (f.verify->count("--query") == 0) v.result.query = f.result.query;
    return RunCaseVerify(ctx, v);
  }
  if (auto s = CheckResultFlags(f.result); !s) return ReportError(s.error());
  auto found = CliCasesRoot(f.cases_dir);
  if (!found) return ReportError(found.error());
  const std::filesystem::path& root = *found;
  if (f.list->parsed()) return List(root, f.result);
  if (auto valid = evidence::ValidateCaseId(f.id); !valid) return ReportError(valid.error());
  if (f.show->parsed()) return Show(root / f.id, f.result);
  return WriteCaseReport(root / f.id, f.report_format, f.report_out);
}

}  // namespace

CommandBody SetupCase(CLI::App& app) {
  app.description("Look at and check case folders (journal, pre-state, evidence).");
  auto flags = std::make_shared<CaseCommandFlags>();
  std::string& cases_dir = flags->cases_dir;
  std::string& id = flags->id;
  std::string& report_out = flags->report_out;
  app.add_option("--cases-dir", cases_dir, kCasesDirHelp);
  AddResultFlags(app, &flags->result, "the cases");
  app.require_subcommand(1);
  auto* list = app.add_subcommand("list", "list the cases");
  auto* show = app.add_subcommand("show", "print a case's journal, evidence and pre-state");
  show->add_option("id", id, "case id")->required();
  auto* verify = app.add_subcommand(
      "verify", "check the hash chain, pre-state and evidence hashes, against the journal anchors");
  AddCaseVerifyOptions(*verify, &flags->verify_flags);
  auto* report = app.add_subcommand(
      "report", "write the case report (HTML, Markdown or JSON) from the journal; its SHA-256 is journaled");
  report->add_option("id", id, "case id")->required();
  report
      ->add_option("--format", flags->report_format,
                   "html (one self-contained file), md or json (default md)")
      ->check(CLI::IsMember({"html", "md", "json"}));
  report->add_option("--out", report_out, "where to write it (default <case>/report.<format>; - for stdout)");
  for (auto* sub : {list, show, report}) sub->add_option("--cases-dir", cases_dir, kCasesDirHelp);
  AddResultFlags(*list, &flags->result, "the cases");
  AddResultFlags(*show, &flags->result, "the case");
  flags->list = list;
  flags->show = show;
  flags->verify = verify;
  flags->report = report;
  return {[flags](const CommandContext& ctx) { return CaseCommand(ctx, *flags); }, {}};
}

}  // namespace cordon::cli

#include "cli/case_command.h"

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <string>

#include "base/terminal_text.h"
#include "cli/cases_root.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/terminal_print.h"
#include "evidence/case_store.h"
#include "report/case_report.h"

namespace cordon::cli {
namespace {

void Print(const Json& j) {
  std::string text = j.dump(2, ' ', false, Json::error_handler_t::replace);
  std::printf("%s\n", text.c_str());
}

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

int List(const std::filesystem::path& root, bool json) {
  auto cases = evidence::ListCases(root);
  if (!cases) return ReportError(cases.error());
  if (json) {
    Json out = Json::array();
    for (const auto& c : *cases) out.push_back(SummaryJson(c));
    Print(out);
    return kExitOk;
  }
  if (cases->empty()) {
    SafePrintf(stdout, "no cases in %s (%s)\n", root.string().c_str(), kCasesDirHint);
    return kExitOk;
  }
  SafePrintf(stdout, "%-24s %-12s %-21s %-21s %s\n", "CASE", "STATUS", "CREATED", "LAST ACTIVITY", "TARGETS");
  for (const auto& c : *cases) {
    std::string targets;
    for (const auto& t : c.targets) targets += (targets.empty() ? "" : ",") + t;
    if (!c.error.empty()) targets = "(unreadable: " + c.error + ")";
    SafePrintf(stdout, "%-24s %-12s %-21s %-21s %s\n", c.id.c_str(), c.status.c_str(), c.created.c_str(),
               c.last_activity.c_str(), targets.c_str());
  }
  return kExitOk;
}

int Show(const std::filesystem::path& dir, bool json) {
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
  if (json) {
    Json out = SummaryJson(*summary);
    out["journal"] = Json::array();
    for (const auto& r : *records)
      out["journal"].push_back({{"seq", r.seq},
                                {"time", r.time},
                                {"kind", r.kind},
                                {"target", r.target},
                                {"step", r.step},
                                {"payload", r.PayloadJson()},
                                {"hash", r.hash}});
    out["evidence"] = Json::array();
    for (const auto& e : *items)
      out["evidence"].push_back({{"target", e.target},
                                 {"kind", std::string(evidence::EvidenceKindName(e.kind))},
                                 {"location", e.location},
                                 {"sha256", e.sha256},
                                 {"size", e.size},
                                 {"source", e.source},
                                 {"collector", e.collector},
                                 {"time", e.time}});
    out["pre_state"] = Json::object();
    for (const auto& p : *pre) out["pre_state"][p.target] = {{"time", p.time}, {"sha256", p.sha256}};
    Print(out);
    return kExitOk;
  }
  SafePrintf(stdout, "case %s\n  status: %s\n  created: %s by %s\n  folder: %s\n", summary->id.c_str(),
             summary->status.c_str(), summary->created.c_str(), summary->responder.c_str(),
             summary->dir.string().c_str());
  SafePrintf(stdout, "\njournal (%zu records):\n", records->size());
  for (const auto& r : *records) {
    std::string payload = r.payload.size() > 100 ? r.payload.substr(0, 97) + "..." : r.payload;
    SafePrintf(stdout, "  %4lld %s %-16s %-20s %-18s %s\n", static_cast<long long>(r.seq), r.time.c_str(),
               r.kind.c_str(), r.target.c_str(), r.step.c_str(), payload.c_str());
  }
  SafePrintf(stdout, "\nevidence (%zu items):\n", items->size());
  for (const auto& e : *items)
    SafePrintf(stdout, "  %-14s %-20s %-40s %s\n", std::string(evidence::EvidenceKindName(e.kind)).c_str(),
               e.target.c_str(), e.location.c_str(),
               e.sha256.empty() ? "(no hash: AWS-side object)" : e.sha256.c_str());
  SafePrintf(stdout, "\npre-state recorded for %zu target(s)\n", pre->size());
  return kExitOk;
}

// "SEQ:SHA256", as verify prints the head, into the external anchor the chain must still hold.
Result<std::optional<evidence::JournalHead>> ParseAnchor(const std::string& text) {
  if (text.empty()) return std::optional<evidence::JournalHead>();
  const size_t colon = text.find(':');
  evidence::JournalHead head;
  head.seq = 0;
  head.hash = colon == std::string::npos ? "" : text.substr(colon + 1);
  const char* end = text.data() + (colon == std::string::npos ? text.size() : colon);
  auto [ptr, ec] = std::from_chars(text.data(), end, head.seq);
  if (ec != std::errc() || ptr != end || head.seq < 1) head.seq = 0;
  if (head.seq == 0 || head.hash.size() != 64 ||
      head.hash.find_first_not_of("0123456789abcdef") != std::string::npos)
    return MakeError(
        ErrorKind::kInvalidArgument,
        "--anchor takes SEQ:SHA256 as `case verify` printed the head (e.g. 321:a39d8c...), not '" + text +
            "'");
  return std::optional<evidence::JournalHead>(head);
}

int Verify(const std::filesystem::path& dir, bool json, const std::string& anchor_text) {
  auto anchor = ParseAnchor(anchor_text);
  if (!anchor) return ReportError(anchor.error());
  auto store = evidence::CaseStore::OpenExisting(dir);
  if (!store) return ReportError(store.error());
  auto report = (*store)->Verify(/*check_files=*/true, *anchor);
  if (!report) return ReportError(report.error());
  if (json) {
    Print({{"ok", report->ok()},
           {"records", report->records},
           {"head", {{"seq", report->head.seq}, {"hash", report->head.hash}}},
           {"first_bad_seq", report->first_bad_seq},
           {"reason", report->reason},
           {"problems", report->problems}});
  } else if (report->ok()) {
    SafePrintf(stdout,
               "case %s: journal intact (%lld records), pre-state and evidence consistent\n"
               "head: seq %lld sha256 %s (keep it outside the case: a later verify against it shows any "
               "rewrite)\n",
               (*store)->id().c_str(), static_cast<long long>(report->records),
               static_cast<long long>(report->head.seq), report->head.hash.c_str());
  } else {
    SafePrintf(stdout, "case %s: TAMPERED OR DAMAGED", (*store)->id().c_str());
    if (report->first_bad_seq)
      SafePrintf(stdout, " at record %lld: %s", static_cast<long long>(report->first_bad_seq),
                 report->reason.c_str());
    SafePrintf(stdout, "\n");
    for (const auto& p : report->problems) SafePrintf(stdout, "  - %s\n", p.c_str());
  }
  return report->ok() ? kExitOk : kExitFailed;
}

// Writes the Markdown report to `out` (default <case>/report.md, replaced atomically: it is derived
// from the journal and can always be written again) and prints where it is.
int Report(const std::filesystem::path& dir, const std::string& out) {
  auto store = evidence::CaseStore::OpenExisting(dir);
  if (!store) return ReportError(store.error());
  auto rendered = report::RenderCaseReport(**store);
  if (!rendered) return ReportError(rendered.error());
  // The report quotes the case's tags, notes and AWS messages, and is read in a terminal or a viewer.
  const std::string md = NeutralizeControls(*rendered);
  if (out == "-") {
    std::fwrite(md.data(), 1, md.size(), stdout);
    return kExitOk;
  }
  std::filesystem::path path = out.empty() ? dir / "report.md" : std::filesystem::path(out);
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
    file << md;
    if (!file.flush())
      return ReportError(Error{ErrorKind::kIo, "cannot write " + tmp.string() +
                                                   ": check the folder exists "
                                                   "and is writable, or pass --out"});
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return ReportError(Error{ErrorKind::kIo, "cannot write " + path.string() + ": " + ec.message()});
  SafePrintf(stdout, "%s\n", path.string().c_str());
  return kExitOk;
}

struct CaseCommandFlags {
  std::string cases_dir, output = "text", id, report_out, anchor;
  CLI::App *list = nullptr, *show = nullptr, *verify = nullptr, *report = nullptr;
};

int CaseCommand(const CaseCommandFlags& f) {
  auto found = CliCasesRoot(f.cases_dir);
  if (!found) return ReportError(found.error());
  const std::filesystem::path& root = *found;
  bool json = f.output == "json";
  if (f.list->parsed()) return List(root, json);
  if (auto valid = evidence::ValidateCaseId(f.id); !valid) return ReportError(valid.error());
  if (f.show->parsed()) return Show(root / f.id, json);
  if (f.report->parsed()) return Report(root / f.id, f.report_out);
  return Verify(root / f.id, json, f.anchor);
}

}  // namespace

CommandBody SetupCase(CLI::App& app) {
  app.description("Look at and check case folders (journal, pre-state, evidence).");
  auto flags = std::make_shared<CaseCommandFlags>();
  std::string& cases_dir = flags->cases_dir;
  std::string& output = flags->output;
  std::string& id = flags->id;
  std::string& report_out = flags->report_out;
  app.add_option("--cases-dir", cases_dir, kCasesDirHelp);
  app.add_option("--output", output, "text or json")->check(CLI::IsMember({"text", "json"}));
  app.require_subcommand(1);
  auto* list = app.add_subcommand("list", "list the cases");
  auto* show = app.add_subcommand("show", "print a case's journal, evidence and pre-state");
  show->add_option("id", id, "case id")->required();
  auto* verify = app.add_subcommand("verify", "check the hash chain, pre-state and evidence hashes");
  verify->add_option("id", id, "case id")->required();
  verify->add_option("--anchor", flags->anchor,
                     "SEQ:SHA256, a head an earlier verify printed: the chain must still hold it");
  auto* report = app.add_subcommand("report", "write the case report (Markdown) from the journal");
  report->add_option("id", id, "case id")->required();
  report->add_option("--out", report_out, "where to write it (default <case>/report.md; - for stdout)");
  for (auto* sub : {list, show, verify, report}) {
    sub->add_option("--cases-dir", cases_dir, "folder holding the cases");
    sub->add_option("--output", output, "text or json")->check(CLI::IsMember({"text", "json"}));
  }
  flags->list = list;
  flags->show = show;
  flags->verify = verify;
  flags->report = report;
  return {[flags](const CommandContext&) { return CaseCommand(*flags); }, {}};
}

}  // namespace cordon::cli

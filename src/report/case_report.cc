#include "report/case_report.h"

#include <map>
#include <string>
#include <vector>

namespace cordon::report {
namespace {

// Markdown table cells must not break the row.
std::string Cell(std::string text) {
  for (char& c : text)
    if (c == '|' || c == '\n') c = c == '|' ? '/' : ' ';
  return text.empty() ? "-" : text;
}

// The outcome a step.* record says, and the one-line detail a reader needs.
struct StepLine {
  std::string outcome;
  std::string time;
  std::string detail;
};

StepLine FromRecord(const evidence::JournalRecord& r) {
  const Json payload = r.PayloadJson();
  StepLine line{r.kind.substr(r.kind.find('.') + 1), r.time, ""};
  if (r.kind == evidence::kind::kStepIntent) line.outcome = "interrupted (no outcome recorded)";
  if (!payload.is_object()) return line;
  if (payload.contains("error") && payload["error"].is_object()) {
    const Json& e = payload["error"];
    line.detail = e.value("code", std::string()) + (e.contains("code") ? ": " : "") + e.value("message", "");
    if (payload.contains("missing_permission") && payload["missing_permission"].is_string() &&
        !payload["missing_permission"].get<std::string>().empty())
      line.detail += " (missing permission: " + payload["missing_permission"].get<std::string>() + ")";
  } else if (payload.contains("detail") && payload["detail"].is_string()) {
    line.detail = payload["detail"].get<std::string>();
  } else if (payload.value("already", false)) {
    line.detail = "already as wanted";
  } else if (payload.contains("reason") && payload["reason"].is_string()) {
    line.detail = payload["reason"].get<std::string>();
  }
  return line;
}

}  // namespace

Result<std::string> RenderCaseReport(evidence::CaseStore& store) {
  auto summary = store.Summary();
  if (!summary) return MakeError(summary.error());
  auto records = store.journal().Records();
  if (!records) return MakeError(records.error());
  auto items = store.evidence().List();
  if (!items) return MakeError(items.error());
  auto pre = store.pre_state().All();
  if (!pre) return MakeError(pre.error());
  auto verified = store.Verify();
  if (!verified) return MakeError(verified.error());

  // Per target, per step, in the order steps first appear: the latest step.* record decides.
  std::map<std::string, std::vector<std::string>> step_order;
  std::map<std::string, std::map<std::string, StepLine>> steps;
  std::vector<const evidence::JournalRecord*> notes;
  for (const auto& r : *records) {
    if (r.kind == evidence::kind::kNote) notes.push_back(&r);
    if (r.kind.rfind("step.", 0) != 0 || r.step.empty()) continue;
    auto& order = step_order[r.target];
    if (!steps[r.target].count(r.step)) order.push_back(r.step);
    steps[r.target][r.step] = FromRecord(r);
  }

  std::string md;
  md += "# Case " + summary->id + "\n\n";
  md += "| | |\n|---|---|\n";
  md += "| status | " + Cell(summary->status) + " |\n";
  md += "| opened | " + Cell(summary->created) + " by " + Cell(summary->responder) + " |\n";
  md += "| last activity | " + Cell(summary->last_activity) + " |\n";
  md += "| targets | " + Cell([&] {
          std::string t;
          for (const auto& x : summary->targets) t += (t.empty() ? "" : ", ") + x;
          return t;
        }()) +
        " |\n";
  md += "| journal | " + std::to_string(verified->records) + " records, " +
        (verified->ok()
             ? "hash chain intact, pre-state and evidence consistent"
             : "**TAMPERED OR DAMAGED**" + (verified->first_bad_seq
                                                ? " at record " + std::to_string(verified->first_bad_seq) +
                                                      ": " + Cell(verified->reason)
                                                : std::string())) +
        " |\n";
  md += "| head hash | `" + verified->head.hash + "` |\n";
  for (const auto& p : verified->problems) md += "| problem | " + Cell(p) + " |\n";

  for (const auto& [target, order] : step_order) {
    if (target.empty()) continue;
    md += "\n## " + target + "\n\n| step | outcome | time | detail |\n|---|---|---|---|\n";
    for (const auto& step : order) {
      const StepLine& s = steps[target][step];
      md += "| " + Cell(step) + " | " + Cell(s.outcome) + " | " + Cell(s.time) + " | " + Cell(s.detail) +
            " |\n";
    }
  }

  md += "\n## Evidence\n\n";
  if (items->empty())
    md += "None recorded.\n";
  else
    md +=
        "| target | kind | location | SHA-256 | bytes | source | collector | time "
        "|\n|---|---|---|---|---|---|---|---|\n";
  for (const auto& e : *items)
    md += "| " + Cell(e.target) + " | " + Cell(std::string(evidence::EvidenceKindName(e.kind))) + " | " +
          Cell(e.location) + " | " + (e.sha256.empty() ? "(AWS-side, not hashable)" : "`" + e.sha256 + "`") +
          " | " + std::to_string(e.size) + " | " + Cell(e.source) + " | " + Cell(e.collector) + " | " +
          Cell(e.time) + " |\n";

  md += "\n## Pre-containment state\n\n";
  if (pre->empty()) md += "None recorded.\n";
  for (const auto& p : *pre)
    md += "- " + p.target + ": recorded " + p.time + ", SHA-256 `" + p.sha256 + "` (`cordon case show " +
          summary->id + " --output json`)\n";

  md += "\n## Notes\n\n";
  if (notes.empty()) md += "None.\n";
  for (const auto* n : notes) {
    const Json payload = n->PayloadJson();
    std::string text = payload.is_object() && payload.contains("text") && payload["text"].is_string()
                           ? payload["text"].get<std::string>()
                           : n->payload;
    md += "- " + n->time + " " + (n->target.empty() ? "" : n->target + " ") +
          (n->step.empty() ? "" : "(" + n->step + ") ") + Cell(text) + "\n";
  }
  return md;
}

}  // namespace cordon::report

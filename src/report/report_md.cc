// The Markdown report (`cordon case report ID --format md`, the default).
#include <fmt/format.h>

#include <string_view>

#include "base/terminal_text.h"
#include "report/case_report.h"

namespace cordon::report {
namespace {

// Every value from the case (tags, CloudTrail fields, error messages, file names: what AWS, a log or
// whoever wrote the case folder supplied) as inline Markdown text that cannot leave its place: OneLine
// escapes newlines and control characters, so a tag "\n# Fake heading" cannot start a line (a fake
// heading, row or list item); '|' is escaped as GFM tables require (a raw one splits the cell, a fake
// column) and so is '\' (GFM reads "\\|" as an escaped backslash before a splitting pipe); '<' is
// escaped so that a renderer that passes HTML through never sees a tag; a leading block marker ('#',
// '>', '-', ...) is escaped for the places a value starts a line or a list item.
std::string Md(std::string_view value) {
  const std::string line = OneLine(value);
  std::string out;
  out.reserve(line.size() + 8);
  if (!line.empty() && std::string_view("#>-+*=~`").find(line[0]) != std::string_view::npos) out += '\\';
  // "1. x" or "1)" starts an ordered list; "10.0.0.1" does not.
  const size_t digits = line.find_first_not_of("0123456789");
  const bool ordered = digits > 0 && digits < line.size() && (line[digits] == '.' || line[digits] == ')') &&
                       (digits + 1 == line.size() || line[digits + 1] == ' ');
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '\\' || c == '|' || c == '<' || (ordered && i == digits)) out += '\\';
    out += c;
  }
  return out;
}

// A value inside a code span (`...`), where Markdown escapes are not read: one line, and only the
// pipe escaped, which GFM reads before the spans when it splits a table row.
std::string Code(std::string_view value) {
  std::string out;
  for (char c : OneLine(value)) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

// A table cell: Md, and "-" for nothing (an empty cell reads as a rendering fault).
std::string Cell(std::string_view text) { return text.empty() ? "-" : Md(text); }

std::string Row(std::initializer_list<std::string> cells) {
  std::string row = "|";
  // fmt, not " " + Cell(c) + " |": GCC 12 at -O3 flags operator+(const char*, string&&) with a
  // -Wrestrict false positive (GCC bug 105329), a 30-line template trace in a Release build.
  for (const std::string& c : cells) row += fmt::format(" {} |", Cell(c));
  return row + "\n";
}

std::string Header(std::initializer_list<std::string> names) {
  std::string sep = "|";
  for (size_t i = 0; i < names.size(); ++i) sep += "---|";
  return Row(names) + sep + "\n";
}

std::string Verdict(const ReportModel& m) {
  const auto& v = m.verified;
  if (v.ok()) return "hash chain intact, pre-state and evidence consistent";
  return "**TAMPERED OR DAMAGED**" +
         (v.first_bad_seq ? " at record " + std::to_string(v.first_bad_seq) + ": " + Md(v.reason)
                          : std::string());
}

void Overview(const ReportModel& m, std::string& md) {
  md += "# Case " + Md(m.summary.id) + "\n\n" + Cell(m.current_state) + "\n\n";
  md += "| | |\n|---|---|\n";
  md += Row({"status", m.summary.status});
  md += "| opened | " + Cell(m.summary.created) + " by " + Cell(m.summary.responder) + " |\n";
  md += Row({"description", m.description});
  md += Row({"last activity", m.summary.last_activity});
  std::string targets;
  for (const auto& t : m.summary.targets) targets += (targets.empty() ? "" : ", ") + t;
  md += Row({"targets", targets});
  md += "| journal | " + std::to_string(m.verified.records) + " records, " + Verdict(m) + " |\n";
  md += "| head hash | `" + Code(m.verified.head.hash) + "` |\n";
  for (const auto& p : m.verified.problems) md += Row({"problem", p});
}

void CauseTable(const std::vector<CauseLine>& lines, const char* when, std::string& md) {
  md += Header({when, "kind", "what", "source"});
  for (const CauseLine& l : lines) md += Row({l.time, l.kind, l.what, l.source});
}

void Cause(const ReportModel& m, std::string& md) {
  const auto& h = m.how;
  md += "\n## How it happened\n\nOnly what cordon found, each line with the record or file it comes from.\n";
  if (h.exposure.empty() && h.events.empty()) md += "\nNothing is known yet of how it happened.\n";
  if (!h.exposure.empty()) {
    md += "\n### Exposure, as cordon observed it\n\n";
    CauseTable(h.exposure, "observed", md);
  }
  if (!h.events.empty()) {
    md += "\n### Events, in time order\n\n";
    CauseTable(h.events, "time", md);
  }
  if (!h.gaps.empty()) {
    md += "\n### Not known\n\n";
    for (const std::string& g : h.gaps) md += "- " + Cell(g) + "\n";
  }
}

void PostureTable(const std::vector<PostureRow>& rows, std::string& md) {
  md += Header({"severity", "region", "check", "finding", "evidence", "fix"});
  std::string evidence;
  for (const PostureRow& r : rows) {
    evidence.clear();
    for (const std::string& e : r.evidence) evidence += (evidence.empty() ? "" : " ") + e;
    md += "| " + Cell(r.severity) + " | " + Cell(r.region) + " | " + Cell(r.check) + " | " + Cell(r.title) +
          " | " + Cell(evidence) + " | `" + Code(r.fix) + "` |\n";
  }
}

void PostureFindings(const ReportModel& m, std::string& md) {
  md += "\n## Posture\n\n";
  if (!m.has_posture) {
    md += "None stored (`cordon posture --case " + Code(m.summary.id) + "` stores one).\n";
    return;
  }
  const PostureReport& p = m.posture;
  md += "The newest posture stored: " + Cell(p.location) + " (" + Cell(p.time) + ", SHA-256 `" +
        Code(p.sha256) + "`).\n";
  if (!p.error.empty()) {
    md += "\nUnreadable: " + Cell(p.error) + "\n";
    return;
  }
  for (const std::string& s : p.suspects) md += "\nSuspect " + Cell(s) + ".\n";
  std::string ids;
  for (const std::string& id : p.share_ids) ids += (ids.empty() ? "" : ", ") + id;
  md += "\n### The suspect's share (findings naming " + Cell(ids.empty() ? "no id" : ids) + ")\n\n";
  if (p.share.empty())
    md += "None.\n";
  else
    PostureTable(p.share, md);
  md += "\n### Elsewhere in the account\n\n";
  if (p.elsewhere.empty())
    md += "None.\n";
  else
    PostureTable(p.elsewhere, md);
  if (p.elsewhere_left_out > 0)
    md += "\n" + std::to_string(p.elsewhere_left_out) + " more findings are in " + Cell(p.location) + ".\n";
  if (!p.not_assessed.empty()) {
    md += "\n### Not assessed (unknown, not clean)\n\n";
    for (const std::string& n : p.not_assessed) md += "- " + Cell(n) + "\n";
  }
  if (!p.earlier.empty()) {
    md += "\nEarlier postures of the case:\n\n";
    for (const std::string& e : p.earlier) md += "- " + Cell(e) + "\n";
  }
}

void Runs(const ReportModel& m, std::string& md) {
  md += "\n## Runs\n\n";
  if (m.runs.empty()) {
    md += "None recorded.\n";
    return;
  }
  md +=
      Header({"time", "command line", "responder", "AWS account", "caller ARN", "host", "cordon", "result"});
  for (const RunRow& r : m.runs)
    md += Row({r.time, r.command_line.empty() ? r.command : "cordon " + r.command_line, r.responder,
               r.account, r.caller_arn.empty() ? r.identity_note : r.caller_arn, r.host, r.version,
               r.result + (r.ended.empty() ? "" : " at " + r.ended)});
}

void Steps(const ReportModel& m, std::string& md) {
  std::string target = "\n";  // no target has this name: the first row opens a section
  for (const StepRow& s : m.steps) {
    if (s.target.empty()) continue;
    if (s.target != target) {
      target = s.target;
      md += "\n## " + Cell(target) + "\n\n" + Header({"step", "outcome", "time", "detail"});
    }
    md += Row({s.step, s.outcome, s.time, s.detail});
  }
}

void Timeline(const ReportModel& m, std::string& md) {
  md += "\n## Timeline\n\n" + Header({"time", "source", "what", "who", "target", "detail"});
  for (const TimelineEntry& e : m.timeline) md += Row({e.time, e.source, e.what, e.who, e.target, e.detail});
  if (m.aws_calls > 0)
    md += "\n" + std::to_string(m.aws_calls) + " AWS calls are journaled besides (`cordon case show " +
          Code(m.summary.id) + "`).\n";
  if (m.timeline_left_out > 0)
    md +=
        "\n" + std::to_string(m.timeline_left_out) + " more hunt entries are in the hunt's evidence file.\n";
}

void Evidence(const ReportModel& m, std::string& md) {
  md += "\n## Evidence\n\n";
  if (m.evidence.empty()) {
    md += "None recorded.\n";
    return;
  }
  md += Header(
      {"target", "kind", "location", "SHA-256", "bytes", "lives in", "lock", "source", "collector", "time"});
  for (const EvidenceRow& r : m.evidence) {
    const auto& e = r.item;
    md += "| " + Cell(e.target) + " | " + Cell(std::string(evidence::EvidenceKindName(e.kind))) + " | " +
          Cell(e.location) + " | " +
          (e.sha256.empty() ? "(AWS-side, not hashable)" : "`" + Code(e.sha256) + "`") + " | " +
          std::to_string(e.size) + " | " + Cell(r.lives) + " | " + Cell(r.lock) + " | " + Cell(e.source) +
          " | " + Cell(e.collector) + " | " + Cell(e.time) + " |\n";
  }
}

void States(const ReportModel& m, std::string& md) {
  md += "\n## Pre-containment state and now\n\n";
  if (m.states.empty()) md += "None recorded.\n";
  for (const TargetState& s : m.states) {
    md += "### " + Cell(s.target) + "\n\nPre-state recorded " + Md(s.pre_time) + ", SHA-256 `" +
          Code(s.pre_sha256) + "` (`cordon case show " + Code(m.summary.id) + " --output json`). ";
    md += s.now_time.empty() ? "No later state recorded (`cordon preserve` records one).\n\n"
                             : "Now: as recorded " + Md(s.now_time) + " in " + Md(s.now_source) + ".\n\n";
    md += Header({"", "pre-state", "now"});
    for (const StateFact& f : s.facts)
      md += Row({f.what + (f.changed() && !s.now_time.empty() ? " (changed)" : ""), f.before, f.now});
  }
}

void Notes(const ReportModel& m, std::string& md) {
  md += "\n## Notes\n\n";
  if (m.notes.empty()) md += "None.\n";
  for (const NoteRow& n : m.notes)
    md += "- " + Md(n.time) + " " + (n.target.empty() ? "" : Md(n.target) + " ") +
          (n.step.empty() ? "" : "(" + Md(n.step) + ") ") + Cell(n.text) + "\n";
  if (!m.reports.empty()) {
    md += "\n## Earlier reports\n\n";
    for (const std::string& r : m.reports) md += "- " + Cell(r) + "\n";
  }
}

}  // namespace

std::string RenderMarkdown(const ReportModel& m) {
  std::string md;
  Overview(m, md);
  Cause(m, md);
  PostureFindings(m, md);
  Runs(m, md);
  Steps(m, md);
  Timeline(m, md);
  Evidence(m, md);
  States(m, md);
  Notes(m, md);
  return md;
}

}  // namespace cordon::report

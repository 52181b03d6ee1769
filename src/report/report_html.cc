// The HTML report (`cordon case report ID --format html`): one self-contained file, inline CSS only,
// no script, nothing fetched (a Content-Security-Policy forbids every load), with a print stylesheet so
// that a browser's "print to PDF" gives a clean document. Every value from the case goes through
// HtmlEscape: tags, CloudTrail fields and notes may be an attacker's.
#include "report/case_report.h"
#include "report/html_escape.h"

namespace cordon::report {
namespace {

constexpr std::string_view kStyle = R"css(
:root { --ink: #1d232b; --muted: #5b6573; --line: #d7dce2; --band: #f3f5f7; --bad: #a4161a; --ok: #1b6e3a; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1200px; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 16px 0 6px; }
.state { font-size: 16px; font-weight: 600; margin: 4px 0 16px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 12px; }
th, td { border: 1px solid var(--line); padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: var(--band); font-weight: 600; }
td { overflow-wrap: anywhere; }
table.kv th { width: 14em; }
.hash, code, time { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
.hash { word-break: break-all; }
.muted { color: var(--muted); }
.bad { color: var(--bad); font-weight: 700; } .ok { color: var(--ok); }
tr.src-cloudtrail td { background: #fff8e6; } tr.src-flow td { background: #eef6ff; }
tr.src-finding td { background: #fdeeee; }
tr.changed td { font-weight: 600; }
.legend span { display: inline-block; padding: 0 6px; margin-right: 6px; border: 1px solid var(--line); }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  h2 { break-after: avoid; } h3 { break-after: avoid; }
  tr, .state { break-inside: avoid; }
  thead { display: table-header-group; }
  th, tr td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .hash, code, time { font-size: 8pt; }
}
)css";

std::string E(std::string_view text) { return HtmlEscape(text); }

std::string Cell(std::string_view text, std::string_view cls = "") {
  std::string open = cls.empty() ? "<td>" : "<td class=\"" + std::string(cls) + "\">";
  return open + (text.empty() ? "<span class=\"muted\">-</span>" : E(text)) + "</td>";
}

std::string Time(std::string_view t) {
  if (t.empty()) return "<td><span class=\"muted\">-</span></td>";
  return "<td><time datetime=\"" + E(t) + "\">" + E(t) + "</time></td>";
}

std::string Head(std::initializer_list<std::string_view> names) {
  std::string h = "<thead><tr>";
  for (auto n : names) h += "<th>" + E(n) + "</th>";
  return h + "</tr></thead>\n";
}

void Overview(const ReportModel& m, std::string& h) {
  h += "<header><h1>Case " + E(m.summary.id) + "</h1>\n<p class=\"state\" id=\"current-state\">" +
       E(m.current_state) + "</p></header>\n<section id=\"overview\"><table class=\"kv\"><tbody>\n";
  auto kv = [&](std::string_view k, const std::string& v, std::string_view cls = "") {
    h += "<tr><th>" + E(k) + "</th>" + Cell(v, cls) + "</tr>\n";
  };
  kv("status", m.summary.status);
  kv("opened", m.summary.created + " by " + m.summary.responder);
  kv("description", m.description);
  kv("last activity", m.summary.last_activity);
  std::string targets;
  for (const auto& t : m.summary.targets) targets += (targets.empty() ? "" : ", ") + t;
  kv("targets", targets);
  const auto& v = m.verified;
  kv("journal",
     std::to_string(v.records) + " records, " +
         (v.ok() ? std::string("hash chain intact, pre-state and evidence consistent")
                 : "TAMPERED OR DAMAGED" +
                       (v.first_bad_seq ? " at record " + std::to_string(v.first_bad_seq) + ": " + v.reason
                                        : "")),
     v.ok() ? "ok" : "bad");
  kv("head hash", "seq " + std::to_string(v.head.seq) + " " + v.head.hash, "hash");
  for (const auto& p : v.problems) kv("problem", p, "bad");
  h += "</tbody></table></section>\n";
}

void CauseTable(const std::vector<CauseLine>& lines, std::string_view id, std::string_view when,
                std::string& h) {
  h += "<table id=\"" + E(id) + "\">" + Head({when, "kind", "what", "source"}) + "<tbody>\n";
  for (const CauseLine& l : lines)
    h += "<tr data-kind=\"" + E(l.kind) + "\">" + Time(l.time) + Cell(l.kind) + Cell(l.what) +
         Cell(l.source, "hash") + "</tr>\n";
  h += "</tbody></table>\n";
}

void Cause(const ReportModel& m, std::string& h) {
  const auto& c = m.how;
  h += "<section id=\"how-it-happened\"><h2>How it happened</h2>\n<p class=\"muted\">Only what cordon "
       "found, each line with the record or file it comes from.</p>\n";
  if (c.exposure.empty() && c.events.empty()) h += "<p>Nothing is known yet of how it happened.</p>\n";
  if (!c.exposure.empty()) {
    h += "<h3>Exposure, as cordon observed it</h3>\n";
    CauseTable(c.exposure, "cause-exposure", "observed (UTC)", h);
  }
  if (!c.events.empty()) {
    h += "<h3>Events, in time order</h3>\n";
    CauseTable(c.events, "cause-events", "time (UTC)", h);
  }
  if (!c.gaps.empty()) {
    h += "<h3>Not known</h3>\n<ul id=\"cause-gaps\">\n";
    for (const std::string& g : c.gaps) h += "<li>" + E(g) + "</li>\n";
    h += "</ul>\n";
  }
  h += "</section>\n";
}

void PostureTable(const std::vector<PostureRow>& rows, std::string_view id, std::string& h) {
  h += "<table id=\"" + E(id) + "\">" + Head({"severity", "region", "check", "finding", "evidence", "fix"}) +
       "<tbody>\n";
  for (const PostureRow& r : rows) {
    std::string evidence;
    for (const std::string& e : r.evidence) evidence += (evidence.empty() ? "" : " ") + e;
    const bool bad = r.severity == "critical" || r.severity == "high";
    h += "<tr data-check=\"" + E(r.check) + "\">" + Cell(r.severity, bad ? "bad" : "") + Cell(r.region) +
         Cell(r.check) + Cell(r.title) + Cell(evidence, "hash") + "<td><code>" + E(r.fix) +
         "</code></td></tr>\n";
  }
  h += "</tbody></table>\n";
}

void PostureFindings(const ReportModel& m, std::string& h) {
  h += "<section id=\"posture\"><h2>Posture</h2>\n";
  if (!m.has_posture) {
    h += "<p>None stored (<code>cordon posture --case " + E(m.summary.id) +
         "</code> stores one).</p></section>\n";
    return;
  }
  const PostureReport& p = m.posture;
  h += "<p>The newest posture stored: <code>" + E(p.location) + "</code> (" + E(p.time) +
       ", SHA-256 <span class=\"hash\">" + E(p.sha256) + "</span>).</p>\n";
  if (!p.error.empty()) {
    h += "<p class=\"bad\">Unreadable: " + E(p.error) + "</p></section>\n";
    return;
  }
  for (const std::string& s : p.suspects) h += "<p>Suspect " + E(s) + ".</p>\n";
  std::string ids;
  for (const std::string& id : p.share_ids) ids += (ids.empty() ? "" : ", ") + id;
  h += "<h3>The suspect's share</h3>\n<p class=\"muted\">Findings naming " + E(ids.empty() ? "no id" : ids) +
       ".</p>\n";
  if (p.share.empty())
    h += "<p>None.</p>\n";
  else
    PostureTable(p.share, "posture-share", h);
  h += "<h3>Elsewhere in the account</h3>\n";
  if (p.elsewhere.empty())
    h += "<p>None.</p>\n";
  else
    PostureTable(p.elsewhere, "posture-elsewhere", h);
  if (p.elsewhere_left_out > 0)
    h += "<p class=\"muted\">" + std::to_string(p.elsewhere_left_out) + " more findings are in <code>" +
         E(p.location) + "</code>.</p>\n";
  if (!p.not_assessed.empty()) {
    h += "<h3>Not assessed (unknown, not clean)</h3>\n<ul>\n";
    for (const std::string& n : p.not_assessed) h += "<li>" + E(n) + "</li>\n";
    h += "</ul>\n";
  }
  if (!p.earlier.empty()) {
    h += "<h3>Earlier postures of the case</h3>\n<ul>\n";
    for (const std::string& e : p.earlier) h += "<li class=\"hash\">" + E(e) + "</li>\n";
    h += "</ul>\n";
  }
  h += "</section>\n";
}

void Runs(const ReportModel& m, std::string& h) {
  h += "<section id=\"runs\"><h2>Runs: who did what, when, as which AWS identity</h2>\n";
  if (m.runs.empty()) {
    h += "<p>None recorded.</p></section>\n";
    return;
  }
  h += "<table>" +
       Head({"time", "command line", "responder", "AWS account", "caller ARN", "host", "cordon", "result"}) +
       "<tbody>\n";
  for (const RunRow& r : m.runs)
    h += "<tr data-seq=\"" + std::to_string(r.seq) + "\">" + Time(r.time) +
         Cell(r.command_line.empty() ? r.command : "cordon " + r.command_line, "hash") + Cell(r.responder) +
         Cell(r.account) + Cell(r.caller_arn.empty() ? r.identity_note : r.caller_arn) + Cell(r.host) +
         Cell(r.version) + Cell(r.result + (r.ended.empty() ? "" : " at " + r.ended)) + "</tr>\n";
  h += "</tbody></table></section>\n";
}

void Steps(const ReportModel& m, std::string& h) {
  h += "<section id=\"steps\"><h2>Steps</h2>\n";
  std::string target = "\n";
  for (const StepRow& s : m.steps) {
    if (s.target.empty()) continue;
    if (s.target != target) {
      if (target != "\n") h += "</tbody></table>\n";
      target = s.target;
      h += "<h3>" + E(target) + "</h3><table class=\"steps\">" + Head({"step", "outcome", "time", "detail"}) +
           "<tbody>\n";
    }
    const bool bad = s.outcome == "failed" || s.outcome.starts_with("interrupted");
    h +=
        "<tr>" + Cell(s.step) + Cell(s.outcome, bad ? "bad" : "") + Time(s.time) + Cell(s.detail) + "</tr>\n";
  }
  if (target != "\n") h += "</tbody></table>\n";
  h += "</section>\n";
}

void Timeline(const ReportModel& m, std::string& h) {
  h += "<section id=\"timeline\"><h2>Timeline</h2>\n<p class=\"legend\"><span>cordon's actions</span>"
       "<span style=\"background:#fff8e6\">CloudTrail</span><span style=\"background:#eef6ff\">flow "
       "peak</span>"
       "<span style=\"background:#fdeeee\">finding</span></p>\n<table id=\"timeline-table\">" +
       Head({"time (UTC)", "source", "what", "who", "target", "detail"}) + "<tbody>\n";
  for (const TimelineEntry& e : m.timeline) {
    h += "<tr class=\"src-" + E(e.source) + "\" data-source=\"" + E(e.source) + "\"";
    if (e.seq != 0 && e.source == "cordon") h += " data-seq=\"" + std::to_string(e.seq) + "\"";
    h += ">" + Time(e.time) + Cell(e.source) + Cell(e.what) + Cell(e.who) + Cell(e.target) + Cell(e.detail) +
         "</tr>\n";
  }
  h += "</tbody></table>\n";
  if (m.aws_calls > 0)
    h += "<p class=\"muted\">" + std::to_string(m.aws_calls) +
         " AWS calls are journaled besides (<code>cordon case show " + E(m.summary.id) + "</code>).</p>\n";
  if (m.timeline_left_out > 0)
    h += "<p class=\"muted\">" + std::to_string(m.timeline_left_out) +
         " more hunt entries are in the hunt's evidence file.</p>\n";
  h += "</section>\n";
}

void Evidence(const ReportModel& m, std::string& h) {
  h += "<section id=\"evidence\"><h2>Evidence</h2>\n";
  if (m.evidence.empty()) {
    h += "<p>None recorded.</p></section>\n";
    return;
  }
  h += "<table>" +
       Head({"target", "kind", "location", "SHA-256", "bytes", "lives in", "lock", "source", "collector",
             "time"}) +
       "<tbody>\n";
  for (const EvidenceRow& r : m.evidence) {
    const auto& e = r.item;
    h += "<tr>" + Cell(e.target) + Cell(evidence::EvidenceKindName(e.kind)) + Cell(e.location, "hash") +
         Cell(e.sha256.empty() ? "(AWS-side, not hashable)" : e.sha256, "hash") +
         Cell(std::to_string(e.size)) + Cell(r.lives) + Cell(r.lock) + Cell(e.source) + Cell(e.collector) +
         Time(e.time) + "</tr>\n";
  }
  h += "</tbody></table></section>\n";
}

void States(const ReportModel& m, std::string& h) {
  h += "<section id=\"state\"><h2>Pre-containment state and now</h2>\n";
  if (m.states.empty()) h += "<p>None recorded.</p>\n";
  for (const TargetState& s : m.states) {
    h += "<h3>" + E(s.target) + "</h3><p>Pre-state recorded " + E(s.pre_time) +
         ", SHA-256 <span class=\"hash\">" + E(s.pre_sha256) + "</span>. " +
         (s.now_time.empty()
              ? std::string("No later state recorded (<code>cordon preserve</code> records one).")
              : "Now: as recorded " + E(s.now_time) + " in <code>" + E(s.now_source) + "</code>.") +
         "</p>\n<table>" + Head({"", "pre-state", "now"}) + "<tbody>\n";
    for (const StateFact& f : s.facts)
      h += std::string(f.changed() && !s.now_time.empty() ? "<tr class=\"changed\">" : "<tr>") +
           Cell(f.what) + Cell(f.before) + Cell(f.now) + "</tr>\n";
    h += "</tbody></table>\n";
  }
  h += "</section>\n";
}

void Notes(const ReportModel& m, std::string& h) {
  h += "<section id=\"notes\"><h2>Notes</h2>\n";
  if (m.notes.empty())
    h += "<p>None.</p>\n";
  else
    h += "<ul>\n";
  for (const NoteRow& n : m.notes)
    h += "<li><time datetime=\"" + E(n.time) + "\">" + E(n.time) + "</time> " + E(n.target) +
         (n.step.empty() ? "" : " (" + E(n.step) + ")") + " " + E(n.text) + "</li>\n";
  if (!m.notes.empty()) h += "</ul>\n";
  if (!m.reports.empty()) {
    h += "<h3>Earlier reports</h3><ul>\n";
    for (const std::string& r : m.reports) h += "<li class=\"hash\">" + E(r) + "</li>\n";
    h += "</ul>\n";
  }
  h += "</section>\n";
}

}  // namespace

std::string RenderHtml(const ReportModel& m) {
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      // Nothing may load: no script, font, image or frame, from anywhere (the page is all there is).
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
      "img-src data:\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"cordon case report\">\n"
      "<link rel=\"icon\" href=\"data:,\">\n<title>Case " +
      E(m.summary.id) + ": cordon report</title>\n<style>";
  h += kStyle;
  h += "</style>\n</head>\n<body>\n";
  Overview(m, h);
  Cause(m, h);
  PostureFindings(m, h);
  Runs(m, h);
  Steps(m, h);
  Timeline(m, h);
  Evidence(m, h);
  States(m, h);
  Notes(m, h);
  h += "<footer>Rendered by cordon from the case database alone (not from live AWS state). The report's "
       "SHA-256 is recorded in the case journal (a <code>report.written</code> record); <code>cordon case "
       "verify " +
       E(m.summary.id) + "</code> checks the journal it was rendered from.</footer>\n</body>\n</html>\n";
  return h;
}

}  // namespace cordon::report

// The JSON report (`cordon case report ID --format json`): the same content as the HTML and Markdown
// reports, for tools. Its members are documented in docs/case-report.md.
#include "report/case_report.h"

namespace cordon::report {
namespace {

Json Runs(const ReportModel& m) {
  Json out = Json::array();
  for (const RunRow& r : m.runs)
    out.push_back({{"seq", r.seq},
                   {"time", r.time},
                   {"command", r.command},
                   {"command_line", r.command_line},
                   {"cordon_version", r.version},
                   {"host", r.host},
                   {"responder", r.responder},
                   {"account", r.account},
                   {"caller_arn", r.caller_arn},
                   {"identity_note", r.identity_note},
                   {"run_start_seq", r.start_seq},
                   {"result", r.result},
                   {"ended", r.ended}});
  return out;
}

Json Steps(const ReportModel& m) {
  Json out = Json::array();
  for (const StepRow& s : m.steps)
    out.push_back({{"target", s.target},
                   {"step", s.step},
                   {"outcome", s.outcome},
                   {"time", s.time},
                   {"detail", s.detail},
                   {"seq", s.seq}});
  return out;
}

Json Timeline(const ReportModel& m) {
  Json out = Json::array();
  for (const TimelineEntry& e : m.timeline) {
    Json j = {{"time", e.time}, {"source", e.source}, {"what", e.what},
              {"who", e.who},   {"target", e.target}, {"detail", e.detail}};
    if (e.source == "cordon" && e.seq != 0) j["seq"] = e.seq;
    out.push_back(std::move(j));
  }
  return out;
}

Json Evidence(const ReportModel& m) {
  Json out = Json::array();
  for (const EvidenceRow& r : m.evidence) {
    const auto& e = r.item;
    out.push_back({{"id", e.id},
                   {"seq", e.seq},
                   {"target", e.target},
                   {"kind", std::string(evidence::EvidenceKindName(e.kind))},
                   {"location", e.location},
                   {"lives_in", r.lives},
                   {"sha256", e.sha256},
                   {"size", e.size},
                   {"lock", r.lock},
                   {"source", e.source},
                   {"collector", e.collector},
                   {"time", e.time},
                   {"step", e.step},
                   {"details", e.details}});
  }
  return out;
}

Json States(const ReportModel& m) {
  Json out = Json::array();
  for (const TargetState& s : m.states) {
    Json facts = Json::array();
    for (const StateFact& f : s.facts)
      facts.push_back({{"what", f.what}, {"pre_state", f.before}, {"now", f.now}, {"changed", f.changed()}});
    out.push_back({{"target", s.target},
                   {"pre_state_time", s.pre_time},
                   {"pre_state_sha256", s.pre_sha256},
                   {"now_time", s.now_time},
                   {"now_source", s.now_source},
                   {"facts", facts}});
  }
  return out;
}

Json CauseLines(const std::vector<CauseLine>& lines) {
  Json out = Json::array();
  for (const CauseLine& l : lines)
    out.push_back({{"time", l.time}, {"kind", l.kind}, {"what", l.what}, {"source", l.source}});
  return out;
}

Json HowItHappenedJson(const ReportModel& m) {
  return {{"exposure", CauseLines(m.how.exposure)},
          {"events", CauseLines(m.how.events)},
          {"not_known", m.how.gaps}};
}

Json PostureRows(const std::vector<PostureRow>& rows) {
  Json out = Json::array();
  for (const PostureRow& r : rows)
    out.push_back({{"severity", r.severity},
                   {"check", r.check},
                   {"region", r.region},
                   {"title", r.title},
                   {"evidence", r.evidence},
                   {"fix", r.fix}});
  return out;
}

Json PostureJson(const ReportModel& m) {
  if (!m.has_posture) return nullptr;
  const PostureReport& p = m.posture;
  return {{"location", p.location},
          {"sha256", p.sha256},
          {"time", p.time},
          {"error", p.error},
          {"share_ids", p.share_ids},
          {"share", PostureRows(p.share)},
          {"elsewhere", PostureRows(p.elsewhere)},
          {"elsewhere_left_out", p.elsewhere_left_out},
          {"not_assessed", p.not_assessed},
          {"suspects", p.suspects},
          {"earlier", p.earlier}};
}

}  // namespace

Json ReportToJson(const ReportModel& m) {
  const auto& v = m.verified;
  Json notes = Json::array();
  for (const NoteRow& n : m.notes)
    notes.push_back({{"time", n.time}, {"target", n.target}, {"step", n.step}, {"text", n.text}});
  return Json{{"case", m.summary.id},
              {"status", m.summary.status},
              {"current_state", m.current_state},
              {"created", m.summary.created},
              {"responder", m.summary.responder},
              {"description", m.description},
              {"last_activity", m.summary.last_activity},
              {"targets", m.summary.targets},
              {"journal",
               {{"records", v.records},
                {"ok", v.ok()},
                {"first_bad_seq", v.first_bad_seq},
                {"reason", v.reason},
                {"problems", v.problems},
                {"head", {{"seq", v.head.seq}, {"hash", v.head.hash}}},
                {"aws_calls", m.aws_calls}}},
              {"how_it_happened", HowItHappenedJson(m)},
              {"posture", PostureJson(m)},
              {"runs", Runs(m)},
              {"steps", Steps(m)},
              {"timeline", Timeline(m)},
              {"timeline_left_out", m.timeline_left_out},
              {"hunts", m.hunts},
              {"evidence", Evidence(m)},
              {"states", States(m)},
              {"notes", notes},
              {"earlier_reports", m.reports}};
}

}  // namespace cordon::report

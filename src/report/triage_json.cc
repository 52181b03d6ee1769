#include <string>

#include "report/triage_report.h"

namespace cordon::report {
namespace {

Json TargetJson(const cloud::ResolvedTarget& target, const std::string& query) {
  Json skipped = Json::array();
  for (const cloud::SkippedRegion& r : target.skipped_regions)
    skipped.push_back(Json{{"region", r.region}, {"error", r.error.ToString()}});
  Json failed_lookups = Json::array();
  for (const cloud::FailedLookup& f : target.failed_lookups)
    failed_lookups.push_back(
        Json{{"region", f.region}, {"action", f.action}, {"what", f.what}, {"error", f.error.ToString()}});
  return Json{{"query", query},
              {"instance_id", target.instance_id},
              {"region", target.region},
              {"vpc_id", target.vpc_id},
              {"state", target.state},
              {"terminated", target.terminated()},
              {"matched_by", target.matched_by},
              {"skipped_regions", skipped},
              {"failed_lookups", failed_lookups}};
}

}  // namespace

Json TriageJson(const TriageReport& report) {
  Json incomplete = Json::array();
  for (const IncompletePart& p : report.incomplete)
    incomplete.push_back(Json{{"part", p.part}, {"error", p.error}});
  Json findings = Json::array();
  for (const auto& f : cloud::Findings(report.inventory)) findings.push_back(f);
  return Json{{"target", TargetJson(report.target, report.query)},
              {"owner", report.owner.empty() ? Json() : Json(report.owner)},
              {"criticality", report.criticality.empty() ? Json() : Json(report.criticality)},
              {"findings", findings},
              {"inventory", cloud::ToJson(report.inventory)},
              {"activity", cloud::ToJson(report.activity)},
              {"posture", report.posture},
              {"hunt", report.hunt},
              {"complete", report.incomplete.empty()},
              {"incomplete", incomplete}};
}

}  // namespace cordon::report

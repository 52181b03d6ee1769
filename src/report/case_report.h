// The case report: what a responder hands to the incident lead, attaches to the ticket or gives an
// auditor. Rendered from the case database alone (never from live AWS state), so it says what the
// journal proves: the case's state in one sentence, every run (command line, host, cordon version, AWS
// account and caller), where each step of each target ended, a timeline of cordon's actions merged with
// what a hunt stored in the case found, the evidence with its hashes, locks and where it lives, the
// pre-state beside the latest recorded state, the notes, and whether the journal verifies.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"
#include "base/json.h"
#include "evidence/case_store.h"
#include "report/report_model.h"

namespace cordon::report {

enum class ReportFormat { kMarkdown, kHtml, kJson };

// "md" (or "markdown"), "html", "json".
[[nodiscard]] Result<ReportFormat> ParseReportFormat(std::string_view name);
std::string_view ReportFormatName(ReportFormat format);  // "md", "html", "json"

// GatherReport, then the renderer of `format`.
[[nodiscard]] Result<std::string> RenderCaseReport(evidence::CaseStore& store,
                                                   ReportFormat format = ReportFormat::kMarkdown);

// The renderers, one file each (report_md.cc, report_html.cc, report_json.cc). Every value from the
// case is quoted safely for the format: Markdown cells cannot break their row, HTML is escaped
// (HtmlEscape), JSON is JSON.
std::string RenderMarkdown(const ReportModel& model);
std::string RenderHtml(const ReportModel& model);
Json ReportToJson(const ReportModel& model);

}  // namespace cordon::report

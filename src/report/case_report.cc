#include "report/case_report.h"

namespace cordon::report {

Result<ReportFormat> ParseReportFormat(std::string_view name) {
  if (name == "md" || name == "markdown") return ReportFormat::kMarkdown;
  if (name == "html") return ReportFormat::kHtml;
  if (name == "json") return ReportFormat::kJson;
  return MakeError(ErrorKind::kInvalidArgument,
                   "--format takes html, md or json, not '" + std::string(name) + "'");
}

std::string_view ReportFormatName(ReportFormat format) {
  switch (format) {
    case ReportFormat::kHtml:
      return "html";
    case ReportFormat::kJson:
      return "json";
    case ReportFormat::kMarkdown:
      break;
  }
  return "md";
}

Result<std::string> RenderCaseReport(evidence::CaseStore& store, ReportFormat format) {
  auto model = GatherReport(store);
  if (!model) return MakeError(model.error());
  switch (format) {
    case ReportFormat::kHtml:
      return RenderHtml(*model);
    case ReportFormat::kJson:
      return ReportToJson(*model).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
    case ReportFormat::kMarkdown:
      break;
  }
  return RenderMarkdown(*model);
}

}  // namespace cordon::report

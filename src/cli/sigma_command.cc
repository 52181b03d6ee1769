#include "cli/sigma_command.h"

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/result_or_text.h"
#include "hunt/sigma/lint.h"
#include "hunt/sigma/rule_loader.h"

namespace cordon::cli {
namespace {

struct LintFlags {
  std::vector<std::string> paths;
  ResultFlags result;  // --output, --query
};

nlohmann::json ReportJson(const hunt::sigma::LintReport& report) {
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& f : report.findings) {
    findings.push_back({{"kind", hunt::sigma::LintKindName(f.kind)},
                        {"file", f.file},
                        {"id", f.id},
                        {"title", f.title},
                        {"search", f.search},
                        {"field", f.field},
                        {"value", f.value},
                        {"message", f.message},
                        {"never_matches", f.never_matches}});
  }
  return {{"files", report.files}, {"rules", report.rules}, {"findings", std::move(findings)}};
}

void PrintText(const hunt::sigma::LintReport& report) {
  std::string last_file;
  std::set<std::string> rules_with_findings;
  std::set<std::string> never;
  for (const auto& f : report.findings) {
    const std::string rule = f.file + "\n" + f.title;
    rules_with_findings.insert(rule);
    if (f.never_matches) never.insert(rule);
    if (f.file != last_file) {
      std::printf("%s: %s%s\n", f.file.c_str(), f.title.c_str(),
                  f.id.empty() ? "" : (" (" + f.id + ")").c_str());
      last_file = f.file;
    }
    std::string where = f.search.empty() ? "" : f.search + ": ";
    if (!f.field.empty()) where += f.field + (f.value.empty() ? "" : " '" + f.value + "'") + ": ";
    std::printf("  %s%s: %s%s\n", f.never_matches ? "never matches, " : "",
                std::string(hunt::sigma::LintKindName(f.kind)).c_str(), where.c_str(), f.message.c_str());
  }
  std::printf(
      "%zu rules in %zu files: %zu findings in %zu rules, %zu of which can never match a CloudTrail record\n",
      report.rules, report.files, report.findings.size(), rules_with_findings.size(), never.size());
}

int Lint(const LintFlags& f) {
  Result<hunt::sigma::LoadedRules> loaded = hunt::sigma::LoadRules(f.paths);
  if (!loaded) {
    PrintError(loaded.error().message);
    return kExitUsage;
  }
  const hunt::sigma::LintReport report = hunt::sigma::LintRules(*loaded);
  if (int status = PrintResultOrText(ReportJson(report), f.result, [&] { PrintText(report); });
      status != kExitOk)
    return status;
  return report.findings.empty() ? kExitOk : kExitFailed;
}

}  // namespace

CommandBody SetupSigmaLint(CLI::App& app) {
  app.description(
      "Report what keeps each Sigma rule from ever matching a real CloudTrail record: fields CloudTrail "
      "does not have, values of a shape the field never has, fields real records of the rule's event do "
      "not carry, and rules cordon cannot run. Exit 0: no findings; 1: findings; 2: bad input.");
  auto f = std::make_shared<LintFlags>();
  app.add_option("paths", f->paths, "Sigma YAML files or folders (searched recursively for *.yml, *.yaml)")
      ->required()
      ->expected(1, -1);
  AddResultFlags(app, &f->result, "the findings");
  return {[f](const CommandContext&) { return Lint(*f); }, [f] { return CheckResultFlags(f->result); }};
}

}  // namespace cordon::cli

#include "cli/hunt_sources.h"

#include <utility>

#include "hunt/source.h"

namespace cordon::cli {

void AddHuntSourceFlags(CLI::App& app, HuntSources* sources) {
  app.add_option("--cloudtrail", sources->cloudtrail,
                 "CloudTrail logs: folder, file or s3://bucket/prefix; repeatable");
  app.add_option("--flow-logs", sources->flow_logs, "VPC flow logs: folder, file or s3://...; repeatable");
  app.add_option("--guardduty", sources->guardduty,
                 "GuardDuty findings: folder, file or s3://...; repeatable");
  app.add_option("--config", sources->config,
                 "AWS Config items / history: folder, file or s3://...; repeatable");
}

Result<std::vector<hunt::SourceSpec>> OpenHuntSources(
    const HuntSources& sources, const std::function<Result<aws::Client*>()>& get_client) {
  std::vector<hunt::SourceSpec> specs;
  const std::pair<hunt::LogKind, const std::vector<std::string>*> kinds[] = {
      {hunt::LogKind::kCloudTrail, &sources.cloudtrail},
      {hunt::LogKind::kFlowLogs, &sources.flow_logs},
      {hunt::LogKind::kGuardDuty, &sources.guardduty},
      {hunt::LogKind::kConfig, &sources.config}};
  for (const auto& [kind, paths] : kinds) {
    for (const std::string& path : *paths) {
      aws::Client* client = nullptr;
      if (path.rfind("s3://", 0) == 0) {
        Result<aws::Client*> made = get_client();
        if (!made) return MakeError(made.error());
        client = *made;
      }
      Result<std::unique_ptr<hunt::Source>> source = hunt::OpenSource(path, client);
      if (!source) return MakeError(source.error());
      specs.push_back({kind, std::move(*source)});
    }
  }
  return specs;
}

}  // namespace cordon::cli

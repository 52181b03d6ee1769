#include "cli/hunt_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "aws/client_factory.h"
#include "base/duration.h"
#include "base/time.h"
#include "cli/config_file.h"
#include "cli/exit_codes.h"
#include "cli/hunt_case.h"
#include "cli/hunt_sources.h"
#include "cli/next_steps.h"
#include "cli/output.h"
#include "cli/result_output.h"
#include "hunt/athena_engine.h"
#include "hunt/emit.h"
#include "hunt/output.h"
#include "hunt/role_chains.h"
#include "hunt/scanner.h"
#include "hunt/sigma/rule_loader.h"
#include "hunt/sigma_athena.h"
#include "hunt/sigma_correlate.h"
#include "hunt/token_matcher.h"

namespace cordon::cli {
namespace {

struct HuntFlags {
  hunt::Selectors selectors;
  std::string since, until;
  HuntSources source_flags;
  ResultFlags result;  // --output (also jsonl, csv), --query
  std::string emit;
  int threads = 0;
  bool quiet = false;
  std::string engine = "local";
  hunt::AthenaOptions athena;
  hunt::OutputFormat format = hunt::OutputFormat::kText;  // from `output`, by Check
  std::vector<std::string> sigma;                         // rule files and folders
  CaseFlags store_in;                                     // --case: store the results there
};

// Everything about the flags that can be checked before a log or AWS is read.
Status Check(HuntFlags& f) {
  const TimePoint now = SystemClock::Default()->Now();
  if (!f.since.empty()) {
    Result<TimePoint> t = ParseTimeOrAgo(f.since, now, false, "--since");
    if (!t) return MakeError(t.error());
    f.selectors.since = *t;
  }
  if (!f.until.empty()) {
    Result<TimePoint> t = ParseTimeOrAgo(f.until, now, true, "--until");
    if (!t) return MakeError(t.error());
    f.selectors.until = *t;
  }
  if (!f.sigma.empty() && !f.emit.empty() && f.emit != "athena")
    return MakeError(ErrorKind::kInvalidArgument,
                     "--sigma renders as Athena SQL only: --emit athena (not " + f.emit + ")");
  if (!f.emit.empty()) return Ok();
  if (!f.store_in.id.empty()) {
    if (Status s = evidence::ValidateCaseId(f.store_in.id); !s) return s;
  }
  if (Status s = hunt::ValidateSelectors(f.selectors, /*allow_none=*/!f.sigma.empty()); !s) return s;
  if (Status s = CheckResultFlags(f.result); !s) return s;
  if (!f.result.query.empty() && (f.result.output == "jsonl" || f.result.output == "csv"))
    return MakeError(ErrorKind::kInvalidArgument,
                     "--query applies to --output json, text or table, not " + f.result.output);
  if (f.result.output != "table") {
    Result<hunt::OutputFormat> format = hunt::ParseOutputFormat(f.result.output);
    if (!format) return MakeError(format.error());
    f.format = *format;
  }
  if (f.engine == "athena" && f.athena.output_location.rfind("s3://", 0) != 0)
    return MakeError(ErrorKind::kInvalidArgument,
                     "--engine athena needs --athena-output s3://bucket/prefix/ for Athena's result files");
  return Ok();
}

// A log source that does not exist (a folder, a bucket) is not the instance the hunt is about, so it
// is exit 1 (docs/hunt.md), not "target not found" (3); every other kind maps as for any command.
int ReportSourceError(const Error& error) {
  int code = ReportError(error);
  return error.kind == ErrorKind::kNotFound ? kExitFailed : code;
}

hunt::SigmaCoverage CoverageOf(const hunt::sigma::LoadedRules& loaded) {
  hunt::SigmaCoverage coverage;
  coverage.enabled = true;
  coverage.rules_loaded = loaded.rules.size();
  coverage.correlations_loaded = loaded.correlations.size();
  for (const auto& s : loaded.skipped) coverage.skipped.push_back({s.file, s.title, s.reason});
  return coverage;
}

// A --sigma hunt with no selectors reads the whole trail: the rules are CloudTrail rules, and the other
// logs have nothing to select without an instance. False (after saying why) when no trail is given.
bool WholeTrailSources(HuntSources* sources) {
  if (!sources->flow_logs.empty() || !sources->guardduty.empty() || !sources->config.empty()) {
    PrintWarning("--sigma without --instance/--ip/...: only the CloudTrail sources are read");
  }
  sources->flow_logs.clear();
  sources->guardduty.clear();
  sources->config.clear();
  if (sources->cloudtrail.empty()) {
    PrintError("--sigma runs over CloudTrail: give --cloudtrail (or selectors to hunt the other logs)");
    return false;
  }
  return true;
}

// Whether the hunt read from S3, and so made the AWS client the case's run.identity names.
bool ReadsS3(const HuntSources& sources) {
  for (const auto* list : {&sources.cloudtrail, &sources.flow_logs, &sources.guardduty, &sources.config})
    for (const std::string& s : *list)
      if (s.starts_with("s3://")) return true;
  return false;
}

// The results as --output and --query say: the hunt's own writers (JSON streamed), or with --query or
// --output table the --output json document through PrintResult, as the AWS CLI prints.
int WriteHunt(const hunt::HuntResults& results, const hunt::Selectors& selectors, const HuntFlags& f) {
  if (!f.result.query.empty() || f.result.output == "table")
    return PrintResult(hunt::ResultsToJson(results, selectors), f.result);
  hunt::WriteResults(results, selectors, f.format, std::cout);
  std::cout.flush();
  return kExitOk;
}

aws::Client* ClientOrNull(const CommandContext& ctx) {
  auto client = ctx.Client();
  return client ? *client : nullptr;
}

// Loads the --sigma rules, saying which were skipped and why; nullopt (after printing the error) when a
// path cannot be read.
std::optional<hunt::sigma::LoadedRules> LoadSigma(const HuntFlags& f) {
  Result<hunt::sigma::LoadedRules> loaded = hunt::sigma::LoadRules(f.sigma);
  if (!loaded) {
    PrintError(loaded.error().message);
    return std::nullopt;
  }
  for (const auto& s : loaded->skipped) PrintWarning("sigma rule skipped: " + s.file + ": " + s.reason);
  return std::move(*loaded);
}

// --engine athena: the hunt's own queries when there are selectors, the Sigma query when there are rules
// (its rows re-checked here with the rules themselves, see hunt/sigma_athena.h).
int HuntInAthena(const CommandContext& ctx, const HuntFlags& f) {
  std::optional<hunt::sigma::LoadedRules> loaded;
  if (!f.sigma.empty() && !(loaded = LoadSigma(f))) return kExitUsage;
  auto client = ctx.Client();
  if (!client) return ReportError(client.error());
  Result<hunt::HuntResults> results = hunt::HuntResults{};
  if (!f.selectors.empty()) results = hunt::RunAthenaHunt(*client, f.selectors, f.athena);
  if (!results) return ReportError(results.error());
  if (loaded) {
    const hunt::SigmaCoverage coverage = CoverageOf(*loaded);
    const hunt::sigma::RuleSet rules(std::move(loaded->rules), hunt::detail::FindLiteral);
    if (Status s = hunt::RunAthenaSigma(*client, rules, loaded->skipped, f.selectors, f.athena, &*results);
        !s)
      return ReportError(s.error());
    results->Finalize();
    results->sigma = coverage;
    hunt::CorrelateSigmaMatches(loaded->correlations, &*results);
  }
  if (int status = WriteHunt(*results, f.selectors, f); status != kExitOk) return status;
  if (auto failed = StoreHuntInCase(f.store_in, *client, ctx.command_line, *results, f.selectors))
    return *failed;
  return hunt::ExitStatus(*results);
}

int Hunt(const CommandContext& ctx, const HuntFlags& f) {
  const hunt::Selectors& selectors = f.selectors;
  if (!f.emit.empty() && !f.sigma.empty()) {
    std::optional<hunt::sigma::LoadedRules> loaded = LoadSigma(f);
    if (!loaded) return kExitUsage;
    Result<std::string> text = hunt::EmitSigmaAthena(loaded->rules, loaded->skipped, selectors);
    if (!text) return ReportError(text.error());
    std::cout << *text;
    return kExitOk;
  }
  if (!f.emit.empty()) {
    Result<std::string> text = hunt::EmitQueries(f.emit, selectors);
    if (!text) return ReportError(text.error());
    std::cout << *text;
    return kExitOk;
  }
  // ctx.Client() is made only when something needs it: local folders work without credentials.
  if (f.engine == "athena") return HuntInAthena(ctx, f);

  // Source flags replace the configuration file's sources as a whole: what was typed is what is read.
  HuntSources wanted = f.source_flags;
  if (wanted.empty()) {
    Result<ConfigFile> file = LoadConfigFile();
    if (!file) return ReportError(file.error());
    wanted = file->hunt;
  }
  if (wanted.empty()) {
    PrintError(
        "no log sources: give --cloudtrail, --flow-logs, --guardduty or --config (or --emit), or list "
        "them in the configuration file (docs/hunt.md)");
    return kExitUsage;
  }
  std::optional<hunt::sigma::RuleSet> rules;
  std::vector<hunt::sigma::Correlation> correlations;
  hunt::SigmaCoverage coverage;
  if (!f.sigma.empty()) {
    std::optional<hunt::sigma::LoadedRules> loaded = LoadSigma(f);
    if (!loaded) return kExitUsage;
    coverage = CoverageOf(*loaded);
    rules.emplace(std::move(loaded->rules), hunt::detail::FindLiteral);  // the hunt's SIMD literal search
    correlations = std::move(loaded->correlations);
    if (selectors.empty() && !WholeTrailSources(&wanted)) return kExitUsage;
  }
  Result<std::vector<hunt::SourceSpec>> sources = OpenHuntSources(wanted, [&] { return ctx.Client(); });
  if (!sources) return ReportSourceError(sources.error());
  hunt::ScanOptions options;
  options.threads = f.threads;
  if (rules) options.cloudtrail.sigma = &*rules;
  const bool show_progress = !f.quiet && isatty(STDERR_FILENO);
  if (show_progress) {
    options.progress = [](const hunt::ScanProgress& p) {
      std::fprintf(stderr, "\rcordon: hunt: %llu/%llu objects, %.1f/%.1f MB",
                   static_cast<unsigned long long>(p.objects_done),
                   static_cast<unsigned long long>(p.objects_total), static_cast<double>(p.bytes_read) / 1e6,
                   static_cast<double>(p.bytes_total) / 1e6);
    };
  }
  Result<hunt::HuntResults> results = hunt::RunHunt(selectors, *sources, options);
  const Status chained = results ? hunt::FollowRoleChains(selectors, *sources, options, &*results) : Ok();
  if (show_progress) std::fprintf(stderr, "\r\033[K");
  if (!results) return ReportSourceError(results.error());
  if (!chained) return ReportSourceError(chained.error());
  if (rules) {
    results->sigma = std::move(coverage);
    hunt::CorrelateSigmaMatches(correlations, &*results);
  }
  if (int status = WriteHunt(*results, selectors, f); status != kExitOk) return status;
  if (auto failed = StoreHuntInCase(f.store_in, ReadsS3(wanted) ? ClientOrNull(ctx) : nullptr,
                                    ctx.command_line, *results, selectors))
    return *failed;
  PrintNextSteps(NextAfterHunt(*results, selectors));
  for (const hunt::Skipped& s : results->skipped) {
    PrintWarning("skipped " + std::to_string(s.count) + " " + s.unit + "(s) of " + s.file + ": " + s.reason);
  }
  return hunt::ExitStatus(*results);
}

}  // namespace

CommandBody SetupHunt(CLI::App& app) {
  app.description(
      "Scan CloudTrail, VPC flow logs, GuardDuty findings and Config items for what one instance did,\n"
      "and what was done to it. Sources are local files or folders, or s3://bucket/prefix. With\n"
      "--engine athena the hunt runs as Amazon Athena queries instead (see --emit athena-ddl).");
  auto f = std::make_shared<HuntFlags>();
  hunt::Selectors& selectors = f->selectors;
  app.add_option("--instance", selectors.instances, "instance id (i-...); repeatable");
  app.add_option("--ip", selectors.ips, "one of the instance's addresses; repeatable");
  app.add_option("--eni", selectors.enis, "network interface id (eni-...); repeatable");
  app.add_option("--role", selectors.roles, "the instance profile's IAM role name; repeatable");
  app.add_option("--access-key", selectors.access_keys, "access key id (AKIA.../ASIA...); repeatable");
  app.add_option("--since", f->since, "start of the window (7d, 2023-07-10 or 2023-07-10T11:00:00Z)");
  app.add_option("--until", f->until, "end of the window, inclusive (a plain date means the whole day)");
  AddHuntSourceFlags(app, &f->source_flags);
  AddResultFlags(app, &f->result, "the results", {"jsonl", "csv"});
  app.add_option("--emit", f->emit,
                 "print the hunt as queries instead: athena, athena-ddl, insights, spl, opensearch")
      ->check(CLI::IsMember({"athena", "athena-ddl", "insights", "spl", "opensearch"}));
  app.add_option("--threads", f->threads, "workers (default: one per core)")->check(CLI::NonNegativeNumber);
  app.add_flag("--quiet", f->quiet, "no progress on stderr");
  app.add_option(
         "--sigma", f->sigma,
         "Sigma rule files or folders (*.yml) to run over CloudTrail: the whole trail, or with selectors "
         "the events by or on the instance; repeatable")
      ->expected(1, -1);
  app.add_option("--engine", f->engine,
                 "local (read the logs here) or athena (run the hunt as Athena queries)")
      ->check(CLI::IsMember({"local", "athena"}));
  app.add_option("--athena-output", f->athena.output_location,
                 "with --engine athena: s3://bucket/prefix/ for Athena's result files");
  app.add_option("--athena-database", f->athena.database,
                 "with --engine athena: the database holding cloudtrail_logs and vpc_flow_logs");
  app.add_option("--athena-workgroup", f->athena.workgroup,
                 "with --engine athena: the workgroup (default primary)");
  AddOptionalCaseFlags(app, &f->store_in);
  return {[f](const CommandContext& ctx) { return Hunt(ctx, *f); }, [f] { return Check(*f); }};
}

}  // namespace cordon::cli

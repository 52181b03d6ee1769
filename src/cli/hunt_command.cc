#include "cli/hunt_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "aws/client_factory.h"
#include "base/time.h"
#include "cli/aws_flags.h"
#include "cli/config_file.h"
#include "cli/hunt_sources.h"
#include "cli/parse_flags.h"
#include "hunt/athena_engine.h"
#include "hunt/emit.h"
#include "hunt/output.h"
#include "hunt/scanner.h"

namespace cordon::cli {
namespace {

using hunt::kExitError;
using hunt::kExitUsage;

void PrintError(const std::string& message) { std::fprintf(stderr, "cordon: error: %s\n", message.c_str()); }

// --since/--until take ISO 8601 times or plain dates; a plain --until date means the end of that day.
Result<TimePoint> ParseWhen(const std::string& text, bool end_of_day) {
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    auto t = ParseTimestamp(text + (end_of_day ? "T23:59:59Z" : "T00:00:00Z"));
    if (t) return *t;
  }
  if (auto t = ParseTimestamp(text)) return *t;
  return MakeError(ErrorKind::kInvalidArgument,
                   "cannot read the time '" + text + "' (use 2023-07-10 or 2023-07-10T11:57:00Z)");
}

}  // namespace

int RunHunt(int argc, char** argv) {
  CLI::App app{
      "Scan CloudTrail, VPC flow logs, GuardDuty findings and Config items for what one instance did,\n"
      "and what was done to it. Sources are local files or folders, or s3://bucket/prefix. With\n"
      "--engine athena the hunt runs as Amazon Athena queries instead (see --emit athena-ddl).",
      "cordon hunt"};
  hunt::Selectors selectors;
  std::string since, until;
  HuntSources source_flags;
  std::string output = "text";
  std::string emit;
  int threads = 0;
  bool quiet = false;
  std::string engine = "local";
  hunt::AthenaOptions athena;
  aws::ClientFlags aws_flags;
  app.add_option("--instance", selectors.instances, "instance id (i-...); repeatable");
  app.add_option("--ip", selectors.ips, "one of the instance's addresses; repeatable");
  app.add_option("--eni", selectors.enis, "network interface id (eni-...); repeatable");
  app.add_option("--role", selectors.roles, "the instance profile's IAM role name; repeatable");
  app.add_option("--access-key", selectors.access_keys, "access key id (AKIA.../ASIA...); repeatable");
  app.add_option("--since", since, "start of the window (2023-07-10 or 2023-07-10T11:00:00Z)");
  app.add_option("--until", until, "end of the window, inclusive (a plain date means the whole day)");
  AddHuntSourceFlags(app, &source_flags);
  app.add_option("--output", output, "text, json, jsonl or csv")
      ->check(CLI::IsMember({"text", "json", "jsonl", "csv"}));
  app.add_option("--emit", emit,
                 "print the hunt as queries instead: athena, athena-ddl, insights, spl, opensearch")
      ->check(CLI::IsMember({"athena", "athena-ddl", "insights", "spl", "opensearch"}));
  app.add_option("--threads", threads, "workers (default: one per core)")->check(CLI::NonNegativeNumber);
  app.add_flag("--quiet", quiet, "no progress on stderr");
  app.add_option("--engine", engine, "local (read the logs here) or athena (run the hunt as Athena queries)")
      ->check(CLI::IsMember({"local", "athena"}));
  app.add_option("--athena-output", athena.output_location,
                 "with --engine athena: s3://bucket/prefix/ for Athena's result files");
  app.add_option("--athena-database", athena.database,
                 "with --engine athena: the database holding cloudtrail_logs and vpc_flow_logs");
  app.add_option("--athena-workgroup", athena.workgroup,
                 "with --engine athena: the workgroup (default primary)");
  AddAwsFlags(app, &aws_flags);
  if (auto done = ParseFlags(app, argc, argv)) return *done;

  if (!since.empty()) {
    Result<TimePoint> t = ParseWhen(since, false);
    if (!t) return PrintError(t.error().message), kExitUsage;
    selectors.since = *t;
  }
  if (!until.empty()) {
    Result<TimePoint> t = ParseWhen(until, true);
    if (!t) return PrintError(t.error().message), kExitUsage;
    selectors.until = *t;
  }
  if (!emit.empty()) {
    Result<std::string> text = hunt::EmitQueries(emit, selectors);
    if (!text) return PrintError(text.error().message), kExitUsage;
    std::cout << *text;
    return 0;
  }
  if (Status s = hunt::ValidateSelectors(selectors); !s) return PrintError(s.error().message), kExitUsage;
  Result<hunt::OutputFormat> format = hunt::ParseOutputFormat(output);
  if (!format) return PrintError(format.error().message), kExitUsage;

  // The AWS client is made only when something needs it: local folders work without credentials.
  std::shared_ptr<aws::Client> client;
  auto need_client = [&]() -> Status {
    if (client) return Ok();
    Result<std::shared_ptr<aws::Client>> made = aws::MakeClient(aws_flags);
    if (!made) return MakeError(made.error());
    client = std::move(*made);
    return Ok();
  };

  if (engine == "athena") {
    if (athena.output_location.rfind("s3://", 0) != 0) {
      PrintError("--engine athena needs --athena-output s3://bucket/prefix/ for Athena's result files");
      return kExitUsage;
    }
    if (Status s = need_client(); !s) return PrintError(s.error().message), kExitUsage;
    Result<hunt::HuntResults> results = hunt::RunAthenaHunt(client.get(), selectors, athena);
    if (!results) return PrintError(results.error().message), kExitError;
    hunt::WriteResults(*results, selectors, *format, std::cout);
    std::cout.flush();
    return hunt::ExitStatus(*results);
  }

  // Source flags replace the configuration file's sources as a whole: what was typed is what is read.
  HuntSources wanted = source_flags;
  if (wanted.empty()) {
    Result<ConfigFile> file = LoadConfigFile();
    if (!file) return PrintError(file.error().message), kExitUsage;
    wanted = file->hunt;
  }
  if (wanted.empty()) {
    PrintError(
        "no log sources: give --cloudtrail, --flow-logs, --guardduty or --config (or --emit), or list "
        "them in the configuration file (docs/hunt.md)");
    return kExitUsage;
  }
  Result<std::vector<hunt::SourceSpec>> sources = OpenHuntSources(wanted, [&]() -> Result<aws::Client*> {
    if (Status s = need_client(); !s) return MakeError(s.error());
    return client.get();
  });
  if (!sources) return PrintError(sources.error().message), kExitUsage;
  hunt::ScanOptions options;
  options.threads = threads;
  const bool show_progress = !quiet && isatty(STDERR_FILENO);
  if (show_progress) {
    options.progress = [](const hunt::ScanProgress& p) {
      std::fprintf(stderr, "\rcordon: hunt: %llu/%llu objects, %.1f/%.1f MB",
                   static_cast<unsigned long long>(p.objects_done),
                   static_cast<unsigned long long>(p.objects_total), static_cast<double>(p.bytes_read) / 1e6,
                   static_cast<double>(p.bytes_total) / 1e6);
    };
  }
  Result<hunt::HuntResults> results = hunt::RunHunt(selectors, *sources, options);
  if (show_progress) std::fprintf(stderr, "\r\033[K");
  if (!results) return PrintError(results.error().message), kExitError;
  hunt::WriteResults(*results, selectors, *format, std::cout);
  std::cout.flush();
  for (const hunt::Skipped& s : results->skipped) {
    std::fprintf(stderr, "cordon: warning: skipped %llu %s(s) of %s: %s\n",
                 static_cast<unsigned long long>(s.count), s.unit.c_str(), s.file.c_str(), s.reason.c_str());
  }
  return hunt::ExitStatus(*results);
}

}  // namespace cordon::cli

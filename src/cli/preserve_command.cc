#include "cli/preserve_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <thread>

#include "cli/aws_flags.h"
#include "cli/contain_command.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/parse_flags.h"
#include "cloud/target.h"
#include "response/case_paths.h"
#include "response/preserve.h"

namespace cordon::cli {

int RunPreserve(int argc, char** argv) {
  CLI::App app{
      "Preserve an instance: snapshot sets of every EBS volume as a time series, and its metadata.\n"
      "Changes nothing on the instance.",
      "cordon preserve"};
  std::string target_text, case_id, cases_dir, responder, every = "30m", vpc, output = "text";
  int count = 1;
  aws::ClientFlags flags;
  app.add_option("TARGET", target_text, "instance id, public or private IP, or ENI id")->required();
  app.add_option("--case", case_id, "case id")->required();
  app.add_option("--every", every, "time between sets (30m, 1h, 90s); default 30m")->capture_default_str();
  app.add_option("--count", count, "number of sets (default 1)")->check(CLI::Range(1, 1000));
  app.add_option("--cases-dir", cases_dir, "where cases live (default $CORDON_CASES_DIR or ./cordon-cases)");
  app.add_option("--responder", responder, "who is responding (default $USER)");
  app.add_option("--vpc", vpc, "narrow an IP target to this VPC");
  app.add_option("--output", output, "text or json")->check(CLI::IsMember({"text", "json"}));
  AddAwsFlags(app, &flags);
  if (auto done = ParseFlags(app, argc, argv)) return *done;
  if (auto s = evidence::ValidateCaseId(case_id); !s) return ReportError(s.error());
  auto interval = response::ParseInterval(every);
  if (!interval) return ReportError(interval.error());
  auto client = aws::MakeClient(flags);
  if (!client) return ReportError(client.error());
  cloud::TargetQuery query;
  query.text = target_text;
  query.regions = {(*client)->region()};
  query.vpc_id = vpc;
  auto target = cloud::ResolveTarget(**client, query);
  if (!target) {
    int code = target.error().kind == ErrorKind::kConflict ? kExitAmbiguous : ExitCodeFor(target.error());
    ReportError(target.error());
    return code;
  }
  // Found by IP while a region could not be searched: another instance may have the IP.
  if (auto s = cloud::RequireDefinitive(*target, target_text); !s) {
    PrintError(s.error().message);
    return kExitAmbiguous;
  }
  if (target->state == "terminated") {
    PrintError("instance " + target->instance_id + " is terminated: there is nothing left to preserve");
    return kExitFailed;
  }
  response::ResponseOptions options;
  options.case_id = case_id;
  options.responder = response::DefaultResponder(responder);
  auto store =
      evidence::CaseStore::Open(response::CasesRoot(cases_dir) / case_id,
                                evidence::CaseInfo{options.responder, "preserve " + target->instance_id});
  if (!store) return ReportError(store.error());
  response::TargetReport report = response::Preserve(client->get(), store->get(), options, *target, count,
                                                     *interval, PrintProgress, [](std::chrono::seconds s) {
                                                       std::fprintf(stderr, "cordon: next set in %llds\n",
                                                                    static_cast<long long>(s.count()));
                                                       std::this_thread::sleep_for(s);
                                                     });
  PrintSummary({report}, case_id, output == "json", "preserved");
  std::fprintf(stderr, "cordon: case %s is in %s\n", case_id.c_str(), (*store)->dir().c_str());
  return ExitStatusFor({report});
}

}  // namespace cordon::cli

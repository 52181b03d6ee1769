#include "cli/triage_command.h"

#include <CLI/CLI.hpp>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "base/duration.h"
#include "base/strings.h"
#include "base/thread_pool.h"
#include "base/time.h"
#include "cli/aws_flags.h"
#include "cli/config_file.h"
#include "cli/exit_codes.h"
#include "cli/next_steps.h"
#include "cli/output.h"
#include "cli/parse_flags.h"
#include "cli/result_output.h"
#include "cli/triage_hunt.h"
#include "cli/triage_posture.h"
#include "cloud/activity.h"
#include "cloud/instance_inventory.h"
#include "cloud/tags.h"
#include "cloud/target.h"
#include "report/triage_report.h"

namespace cordon::cli {
namespace {

using report::IncompletePart;

// Every attempted part that is not complete. Parts that were not attempted (no log sources: no hunt; no
// instance profile: no role; no Config recorder: no history) are not in it.
// "target.regions" is listed when the target was found by IP but a region could not be searched: another
// instance there may have the same IP. Skipped regions after a match by id are only noted in the target.
// "target.lookups" likewise when a public-address lookup (Elastic IPs) failed: an instance holding the IP
// as an Elastic IP may be missed.
std::vector<IncompletePart> IncompleteParts(const cloud::ResolvedTarget& target,
                                            const cloud::InstanceInventory& inv, const cloud::Activity& act,
                                            const TriagePosture& posture,
                                            const std::optional<TriageHunt>& hunt) {
  std::vector<IncompletePart> parts;
  auto add = [&](const char* part, const std::string& error) {
    if (!error.empty()) parts.push_back({part, error});
  };
  if (target.uniqueness_unproven && !target.skipped_regions.empty())
    add("target.regions", "not searched, so other instances may have this IP: " +
                              cloud::DescribeSkipped(target.skipped_regions));
  if (target.uniqueness_unproven && !target.failed_lookups.empty())
    add("target.lookups", "failed, so an instance holding this IP as an Elastic IP may be missed: " +
                              cloud::DescribeFailedLookups(target.failed_lookups));
  add("inventory.network_interfaces", inv.network_interfaces.error);
  add("inventory.elastic_ips", inv.elastic_ips.error);
  add("inventory.exposure", inv.exposure.error);
  add("inventory.auto_scaling", inv.auto_scaling.error);
  add("inventory.classic_load_balancers", inv.classic_load_balancers.error);
  add("inventory.target_groups", inv.target_groups.error);
  add("inventory.instance_profile", inv.instance_profile.error);
  add("inventory.instance_profile.role", inv.instance_profile.role_error);
  add("inventory.volumes", inv.volumes.error);
  add("inventory.instance_store", inv.instance_store.error);
  add("inventory.attributes", inv.attributes.error);
  add("inventory.ssm", inv.ssm.error);
  add("activity.cloudtrail", act.cloudtrail_error);
  add("activity.config", act.config_error);
  add("posture", posture.incomplete_reason);
  if (hunt && !hunt->complete)
    add("hunt", hunt->incomplete_reason.empty() ? "incomplete" : hunt->incomplete_reason);
  return parts;
}

}  // namespace

namespace {

struct TriageFlags {
  std::string since = "7d";
  ResultFlags result;  // --output, --query
  std::string owner_tags = "owner,team,contact", criticality_tags = "criticality,env,environment";
  bool no_hunt = false;
  HuntSources source_flags;
  // By Check: the window start and the log sources to hunt.
  TimePoint since_time;
  HuntSources sources;
};

// Before any AWS call: the window, and the configuration file (a broken one stops triage first).
Status Check(TriageFlags& f) {
  auto since_time = ParseTimeOrAgo(f.since, SystemClock::Default()->Now(), false, "--since");
  if (!since_time) return MakeError(since_time.error());
  f.since_time = *since_time;
  if (auto s = CheckResultFlags(f.result); !s) return s;
  // Source flags replace the configuration file's sources as a whole (as in `cordon hunt`); --no-hunt
  // wins over both.
  f.sources = f.no_hunt ? HuntSources{} : f.source_flags;
  if (f.sources.empty() && !f.no_hunt) {
    Result<ConfigFile> file = LoadConfigFile();
    if (!file) return MakeError(file.error());
    f.sources = file->hunt;
  }
  return Ok();
}

// YYYYMMDD in UTC, for the case id the next-step hint suggests.
std::string Today() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[16];
  std::strftime(text, sizeof text, "%Y%m%d", &utc);
  return text;
}

int Triage(const CommandContext& ctx, const TriageFlags& f) {
  auto client = ctx.Client();
  if (!client) return ReportError(client.error());
  const cloud::ResolvedTarget* target = &ctx.targets.front();
  const std::string& target_text = ctx.target_flags.texts.front();
  const std::string &owner_tags = f.owner_tags, &criticality_tags = f.criticality_tags;
  const HuntSources& sources = f.sources;
  const TimePoint since_time = f.since_time;
  Result<cloud::InstanceInventory> inv = MakeError(ErrorKind::kInternal, "not collected");
  cloud::Activity activity;
  TriagePosture posture;
  ParallelFor(3, 3, [&](size_t i) {
    if (i == 0)
      inv = cloud::CollectInventory(**client, *target);
    else if (i == 1)
      activity = cloud::CollectActivity(**client, *target, since_time);
    else
      posture = RunTriagePosture(**client, target->region, target->instance_id);
  });
  if (!inv) return ReportError(inv.error());
  // After the inventory: the hunt's selectors are the instance's addresses, ENIs and role.
  std::optional<TriageHunt> hunt;
  if (!sources.empty()) hunt = RunTriageHunt(*client, sources, TriageSelectors(*inv, since_time));

  std::string owner = cloud::FirstTagMatch(inv->instance.tags, cloud::ParseKeyList(owner_tags));
  std::string criticality = cloud::FirstTagMatch(inv->instance.tags, cloud::ParseKeyList(criticality_tags));
  const std::vector<IncompletePart> incomplete = IncompleteParts(*target, *inv, activity, posture, hunt);
  const Json no_hunt;
  const report::TriageReport report{.target = *target,
                                    .query = target_text,
                                    .inventory = *inv,
                                    .activity = activity,
                                    .owner = owner,
                                    .criticality = criticality,
                                    .posture = posture.json,
                                    .hunt = hunt ? hunt->json : no_hunt,
                                    .incomplete = incomplete};
  if (f.result.structured()) {
    // JSON exact (its escaping is what makes it safe); text and table neutralized by PrintResult.
    if (int status = PrintResult(report::TriageJson(report), f.result); status != kExitOk) return status;
  } else {
    report::PrintTriageText(report);
  }
  PrintNextSteps(NextAfterTriage(*inv, Today()));
  if (incomplete.empty()) return kExitOk;
  // The output says what went wrong; stderr says that something did, for whoever only sees the status.
  std::vector<std::string> unread;
  for (const IncompletePart& p : incomplete)
    if (p.part != "hunt" && p.part != "posture") unread.push_back(p.part);
  if (!unread.empty())
    PrintWarning("triage is incomplete: " + Join(unread) + " could not be read; see the output");
  if (hunt && !hunt->complete)
    PrintWarning("the log hunt failed or skipped input; see its part of the output");
  if (!posture.incomplete_reason.empty())
    PrintWarning("the posture share is incomplete (" + posture.incomplete_reason +
                 "); see its part of the output");
  return kExitPartial;
}

}  // namespace

CommandBody SetupTriage(CLI::App& app) {
  app.description(
      "Read-only triage of one instance: identity, owner, network exposure, Auto Scaling and load\n"
      "balancer memberships, credentials, storage, protections, SSM and recent activity; and its share\n"
      "of `cordon posture` (open groups, IMDSv1, unencrypted volumes, role), each with its fix.");
  auto f = std::make_shared<TriageFlags>();
  app.add_option(
      "--since", f->since,
      "CloudTrail, Config and log hunt window start: 7d, 12h, 2026-01-31, or an ISO time (default 7d)");
  app.add_option("--owner-tags", f->owner_tags, "tag keys naming the owner, in order of preference");
  app.add_option("--criticality-tags", f->criticality_tags,
                 "tag keys naming the criticality, in order of preference");
  AddResultFlags(app, &f->result, "the triage");
  AddHuntSourceFlags(app, &f->source_flags);
  app.add_flag("--no-hunt", f->no_hunt,
               "skip the log hunt, even with sources in the flags or the configuration file");
  return {[f](const CommandContext& ctx) { return Triage(ctx, *f); }, [f] { return Check(*f); }};
}

}  // namespace cordon::cli

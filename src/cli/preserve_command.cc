#include "cli/preserve_command.h"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <thread>

#include "base/duration.h"
#include "base/terminal_print.h"
#include "cli/exit_codes.h"
#include "cli/lock_flags.h"
#include "cli/output.h"
#include "cli/response_output.h"
#include "cli/target_location.h"
#include "cloud/instance_inventory.h"
#include "response/preserve.h"
#include "response/preserve_plan.h"
#include "response/snapshot_wait.h"

namespace cordon::cli {
namespace {

struct PreserveFlags {
  std::string every = "30m";
  ResultFlags result;  // --output, --query
  int count = 1;
  bool plan_only = false;
  std::chrono::seconds interval{0};  // from `every`, by Check
  LockFlags lock_flags;
  response::SnapshotLockOptions lock;        // from lock_flags, by Check
  std::chrono::seconds snapshot_timeout{0};  // from lock_flags, by Check
};

Status Check(PreserveFlags& f) {
  auto interval = ParseDuration(f.every, "--every");
  if (!interval) return MakeError(interval.error());
  f.interval = *interval;
  auto lock = ParseLockFlags(f.lock_flags);
  if (!lock) return MakeError(lock.error());
  f.lock = *lock;
  auto snapshot_timeout = ParseSnapshotTimeout(f.lock_flags);
  if (!snapshot_timeout) return MakeError(snapshot_timeout.error());
  f.snapshot_timeout = *snapshot_timeout;
  return CheckResultFlags(f.result);
}

// --plan: the sets preserve would take, from live state; changes nothing and makes no case. An
// existing case is opened (read only here) for where its series continues.
int PrintPreservePlan(const CommandContext& ctx, const PreserveFlags& f) {
  const cloud::ResolvedTarget& target = ctx.targets.front();
  auto client = ctx.ClientFor(target);  // its account's (--accounts), else the profile's
  if (!client) return ReportError(client.error());
  auto inventory = cloud::CollectInventory(**client, target);
  if (!inventory) return ReportError(inventory.error());
  response::PreservePlanRequest request;
  request.case_id = ctx.case_flags.id;
  request.count = f.count;
  request.every = f.interval;
  std::error_code ec;
  request.case_exists = std::filesystem::exists(ctx.CaseDir() / "case.db", ec);
  if (request.case_exists) {
    auto store = ctx.OpenCase("preserve " + target.instance_id);
    if (!store) return ReportError(store.error());
    request.first_set = response::FirstPreserveRound(**store, target.instance_id);
  }
  if (f.result.structured()) return PrintResult(response::PreservePlanToJson(*inventory, request), f.result);
  SafePrintf(stdout, "%s", response::FormatPreservePlan(*inventory, request).c_str());
  return kExitOk;
}

int Preserve(const CommandContext& ctx, const PreserveFlags& f) {
  if (f.plan_only) return PrintPreservePlan(ctx, f);
  const cloud::ResolvedTarget& target = ctx.targets.front();
  response::ResponseOptions options;
  options.case_id = ctx.case_flags.id;
  options.responder = ctx.case_flags.responder;
  options.lock = f.lock;
  response::SetSnapshotTimeout(f.snapshot_timeout);
  auto store = ctx.OpenCase("preserve " + target.instance_id);
  if (!store) return ReportError(store.error());
  if (auto s = RecordTargetLocations(**store, ctx); !s)
    return ReportError(WithContext(s.error(), "recording where the target is").value());
  auto client = ctx.ClientFor(target);  // its account's (--accounts), else the profile's
  if (!client) return ReportError(client.error());
  response::TargetReport report = response::Preserve(
      *client, *store, options, target, f.count, f.interval, PrintProgress, [](std::chrono::seconds s) {
        PrintInfo("next set in " + std::to_string(s.count()) + "s");
        std::this_thread::sleep_for(s);
      });
  PrintSummary({report}, options.case_id, f.result, "preserved");
  PrintInfo("case " + options.case_id + " is in " + (*store)->dir().string());
  return ReportLostRecords(**store, ExitStatusFor({report}));
}

}  // namespace

CommandBody SetupPreserve(CLI::App& app) {
  app.description(
      "Preserve an instance: snapshot sets of every EBS volume as a time series, and its metadata.\n"
      "Changes nothing on the instance.");
  auto f = std::make_shared<PreserveFlags>();
  app.add_option("--every", f->every, "time between sets (30m, 1h, 90s); default 30m")->capture_default_str();
  app.add_option("--count", f->count, "number of sets (default 1)")->check(CLI::Range(1, 1000));
  AddLockFlags(app, &f->lock_flags);
  app.add_flag("--plan", f->plan_only, "print the snapshot sets preserve would take, and change nothing");
  AddResultFlags(app, &f->result, "the plan and the summary");
  return {[f](const CommandContext& ctx) { return Preserve(ctx, *f); }, [f] { return Check(*f); }};
}

}  // namespace cordon::cli

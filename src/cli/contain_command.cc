#include "cli/contain_command.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include "automation/finding_source.h"
#include "base/json_fields.h"
#include "base/terminal_print.h"
#include "cli/exit_codes.h"
#include "cli/isolation_times.h"
#include "cli/lock_flags.h"
#include "cli/memory_flags.h"
#include "cli/next_steps.h"
#include "cli/notify_flags.h"
#include "cli/output.h"
#include "cli/response_output.h"
#include "cli/target_location.h"
#include "cloud/instance_inventory.h"
#include "cloud/instances_by_id.h"
#include "response/bucket/case_export.h"
#include "response/bucket/write_once.h"
#include "response/case_paths.h"
#include "response/fleet_state.h"
#include "response/instance_claim.h"
#include "response/memory/capture_order.h"
#include "response/plan.h"
#include "response/plan_details.h"
#include "response/role_deny.h"
#include "response/role_quota.h"
#include "response/snapshot_wait.h"
#include "response/subnet_neighbours.h"
#include "response/subnet_selection.h"

namespace cordon::cli {
namespace {

struct ContainFlags {
  std::string asg = "detach", quarantine_profile, take_over;
  ResultFlags result;  // --output, --query
  bool yes = false, plan_only = false, revoke_sessions = false, nacl = false;
  response::StepSelection selection;
  std::vector<std::string> allow_from;
  MemoryFlags memory;
  response::MemoryCaptureOptions memory_options;       // from `memory`, by Check
  std::optional<response::BucketRef> evidence_bucket;  // --evidence-bucket, by Check
  response::ObjectLockState bucket_lock;               // its Object Lock, by CheckEvidenceBucket
  LockFlags lock_flags;
  response::SnapshotLockOptions lock;        // from lock_flags, by Check
  std::chrono::seconds snapshot_timeout{0};  // from lock_flags, by Check
  NotifyFlags notify;
  std::string finding, detector;             // --finding FILE|FINDING_ID, --detector ID
  std::optional<automation::Finding> found;  // by AddFindingTarget
};

std::string JoinWords(const std::vector<cloud::ResolvedTarget>& targets) {
  std::string out;
  for (const auto& t : targets) out += (out.empty() ? "" : ", ") + t.instance_id;
  return out;
}

// What --nacl cuts off besides the target: one line per subnet, naming every neighbour. Read-only.
Result<std::vector<std::string>> NaclNeighbours(aws::Client& client, const cloud::ResolvedTarget& target) {
  response::StepContext ctx;
  ctx.client = &client;
  ctx.target = target;
  auto found = response::FindSubnetNeighbours(ctx);
  if (!found) return MakeError(found.error());
  return response::DescribeSubnetNeighbours(*found);
}

// The flags' check, before anything reaches AWS: the steps chosen and the memory capture.
Status Check(ContainFlags& f) {
  if (auto s = response::ValidateSelection(f.selection); !s) return s;
  auto memory = ParseMemoryFlags(f.memory);
  if (!memory) return MakeError(memory.error());
  if (auto s = response::SelectMemoryCapture(*memory, &f.selection); !s) return s;
  if (auto s = response::SelectSubnetIsolation(f.nacl, &f.selection); !s) return s;
  f.memory_options = *memory;
  auto bucket = ParseEvidenceBucket(f.memory);
  if (!bucket) return MakeError(bucket.error());
  f.evidence_bucket = *bucket;
  auto lock = ParseLockFlags(f.lock_flags);
  if (!lock) return MakeError(lock.error());
  f.lock = *lock;
  auto snapshot_timeout = ParseSnapshotTimeout(f.lock_flags);
  if (!snapshot_timeout) return MakeError(snapshot_timeout.error());
  f.snapshot_timeout = *snapshot_timeout;
  if (auto s = CheckResultFlags(f.result); !s) return s;
  if (!f.detector.empty() && f.finding.empty())
    return MakeError(ErrorKind::kInvalidArgument, "--detector goes with --finding FINDING_ID");
  return CheckNotifyFlags(&f.notify);
}

// A GuardDuty finding id as GetFindings takes it (GuardDuty's are 32 hex digits).
bool LooksLikeFindingId(const std::string& text) {
  return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c));
  });
}

Result<automation::Finding> LoadFinding(aws::Client& client, const ContainFlags& f) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(f.finding, ec)) {
    std::ifstream in(f.finding, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) return MakeError(ErrorKind::kInvalidArgument, "cannot read the finding file " + f.finding);
    return automation::FindingFromJson(text.str(), f.finding);
  }
  if (!LooksLikeFindingId(f.finding))
    return MakeError(ErrorKind::kInvalidArgument,
                     "--finding " + f.finding + ": no such file, and not a GuardDuty finding id");
  return automation::FetchFinding(client, f.finding, f.detector);
}

// --finding: the finding's instance becomes a target (once, beside any given).
Status AddFindingTarget(aws::Client& client, ContainFlags& f, TargetFlags* targets) {
  if (f.finding.empty()) return Ok();
  auto found = LoadFinding(client, f);
  if (!found) return MakeError(found.error());
  const automation::Event& e = found->event;
  if (!e.region.empty() && e.region != client.region() && !targets->all_regions)
    return MakeError(ErrorKind::kInvalidArgument,
                     "finding " + e.finding_id + " is in region " + e.region + "; give --region " + e.region);
  if (std::find(targets->texts.begin(), targets->texts.end(), e.instance_id) == targets->texts.end())
    targets->texts.push_back(e.instance_id);
  PrintInfo("finding " + e.finding_id + " (" + e.finding_type + ") names instance " + e.instance_id);
  f.found = std::move(*found);
  return Ok();
}

// The finding, as read, stored in the case as evidence of its instance before anything changes.
Status StoreFinding(evidence::CaseStore& store, const automation::Finding& found,
                    const std::string& responder) {
  const automation::Event& e = found.event;
  std::string name = "guardduty-finding-" + e.finding_id + ".json";
  evidence::EvidenceItem about;
  about.target = e.instance_id;
  about.kind = evidence::EvidenceKind::kFile;
  about.source = found.source;
  about.collector = responder;
  about.details =
      Json{{"finding_id", e.finding_id}, {"finding_type", e.finding_type}, {"severity", e.severity}};
  auto stored = store.evidence().StoreFile(
      name, found.raw.dump(2, ' ', false, Json::error_handler_t::replace) + "\n", about);
  if (!stored) return WithContext(stored.error(), "storing the finding in the case");
  return Ok();
}

// The hand-over names what started the containment: the finding when there is one.
automation::HandOverContext HandOverFor(const CommandContext& ctx, const ContainFlags& f) {
  automation::HandOverContext c;
  c.command = "contain";
  c.result = "contained";
  c.reason = "cordon contain by " + ctx.case_flags.responder;
  if (f.found) {
    const automation::Event& e = f.found->event;
    std::ostringstream severity;
    severity << e.severity;
    c.severity = severity.str();
    c.reason = "GuardDuty finding " + e.finding_id + " (" + e.finding_type + ", severity " + c.severity +
               "); " + c.reason;
  }
  return c;
}

response::ResponseOptions MakeOptions(const CommandContext& ctx, const ContainFlags& f) {
  response::ResponseOptions options;
  options.case_id = ctx.case_flags.id;
  options.responder = ctx.case_flags.responder;
  options.asg_mode = f.asg == "standby" ? response::AsgMode::kStandby : response::AsgMode::kDetach;
  options.allow_from = f.allow_from;
  options.revoke_role_sessions = f.revoke_sessions;
  options.quarantine_profile = f.quarantine_profile;
  options.memory = f.memory_options;
  options.lock = f.lock;
  response::SetSnapshotTimeout(f.snapshot_timeout);
  return options;
}

// The tags of every target, read with one DescribeInstances per account and region (by
// cloud::kInstanceIdsPerCall ids).
Result<std::map<std::string, Json>> ReadAllTags(const CommandContext& ctx) {
  std::map<std::pair<aws::Client*, std::string>, std::vector<std::string>> groups;
  for (const cloud::ResolvedTarget& target : ctx.targets) {
    auto client = ctx.ClientFor(target);
    if (!client) return MakeError(client.error());
    groups[{*client, target.region}].push_back(target.instance_id);
  }
  std::map<std::string, Json> tags;
  for (const auto& [where, ids] : groups) {
    auto found = cloud::DescribeInstancesById(*where.first, where.second, ids);
    if (!found) return MakeError(found.error());
    for (const auto& [id, instance] : *found) tags[id] = instance.value("Tags", Json::array());
  }
  return tags;
}

// Before anything is written: every target held by another case is refused (unless --take-over names
// that case), so a fleet is never half claimed. Read-only; the claim itself comes after the lock.
Status CheckClaims(const CommandContext& ctx, const std::string& take_over) {
  auto tags = ReadAllTags(ctx);
  if (!tags) return MakeError(tags.error());
  for (const cloud::ResolvedTarget& target : ctx.targets) {
    auto found = tags->find(target.instance_id);
    if (found == tags->end())
      return MakeError(ErrorKind::kNotFound,
                       "instance " + target.instance_id + " not found in " + target.region);
    const response::ClaimState claim = response::ClaimFromTags(found->second);
    const std::string& holder = claim.holder_case;
    if (holder.empty() || holder == ctx.case_flags.id || holder == take_over) continue;
    return MakeError(ErrorKind::kConflict, "instance " + target.instance_id + " is claimed by case " +
                                               holder +
                                               (claim.since.empty() ? "" : " (since " + claim.since + ")") +
                                               "; contain it under that case, or pass --take-over " + holder +
                                               " to move it to case " + ctx.case_flags.id);
  }
  return Ok();
}

// Claims every target for the case (the lock held), journaling any take-over in both cases.
Status ClaimTargets(const CommandContext& ctx, evidence::CaseStore& store, const std::string& take_over) {
  for (const cloud::ResolvedTarget& target : ctx.targets) {
    auto client = ctx.ClientFor(target);
    if (!client) return MakeError(client.error());
    auto claim = response::ClaimInstance(**client, target, ctx.case_flags.id, take_over);
    if (!claim) return MakeError(claim.error());
    if (claim->taken_over_from.empty()) continue;
    PrintInfo("instance " + target.instance_id + " taken over from case " + claim->taken_over_from);
    if (auto s = response::RecordTakeOver(store, response::CasesRoot(ctx.case_flags.cases_dir),
                                          target.instance_id, *claim, ctx.case_flags.responder);
        !s)
      return s;
  }
  return Ok();
}

// Before the first change: the case's deny on each shared role must fit IAM's inline policy quota
// with every target of the run in it, or a fleet would be cut off only up to the instance where
// PutRolePolicy fails (response/role_quota.h). Read-only; only when the plan has the credentials step.
// Each account's roles are read with that account's client. What it read of the instance profiles
// goes to `*read`, by client, for that account's fleet read.
using ProfileReadsByClient = std::map<aws::Client*, response::ProfileReads>;
Status CheckCredentialsQuota(const CommandContext& ctx, const std::vector<response::Plan>& plans,
                             const response::ResponseOptions& options, ProfileReadsByClient* read) {
  const bool credentials =
      !plans.empty() && std::any_of(plans[0].steps.begin(), plans[0].steps.end(),
                                    [](const response::PlanStep& s) { return s.name == "credentials"; });
  if (!credentials) return Ok();
  std::map<aws::Client*, std::vector<cloud::ResolvedTarget>> by_client;
  for (const cloud::ResolvedTarget& t : ctx.targets) {
    auto client = ctx.ClientFor(t);
    if (!client) return MakeError(client.error());
    by_client[*client].push_back(t);
  }
  for (auto& [client, targets] : by_client)
    if (auto s = response::CheckRoleQuotas(*client, targets, options, &(*read)[client]); !s) return s;
  return Ok();
}

// Runs the plans, each with the client of its target's account: one executor per account (the
// profile's, and each one --accounts reached), one account after the other (an executor's start
// marks unfinished steps of the case interrupted, so two must not run at once); the targets of an
// account run concurrently. Reports in the order of `plans`, which are moved from. `profiles_read`: what
// the role-quota preflight read of each account's instance profiles.
std::vector<response::TargetReport> RunPlans(const CommandContext& ctx, evidence::CaseStore& store,
                                             const response::ResponseOptions& options,
                                             std::vector<response::Plan>& plans, IsolationTimes& isolated,
                                             const ProfileReadsByClient& profiles_read) {
  std::map<aws::Client*, std::vector<size_t>> by_client;
  for (size_t i = 0; i < plans.size(); ++i) by_client[*ctx.ClientFor(plans[i].target)].push_back(i);
  std::vector<response::TargetReport> reports(plans.size());
  for (auto& [client, indices] : by_client) {
    std::vector<response::Plan> mine;
    std::vector<cloud::ResolvedTarget> targets;
    for (size_t i : indices) {
      targets.push_back(plans[i].target);
      mine.push_back(std::move(plans[i]));  // not used after the run
    }
    response::Executor executor(client, &store, &options,
                                [&](const cloud::ResolvedTarget& t, const response::StepReport& r) {
                                  PrintProgress(t, r);
                                  isolated.OnStep(t, r);
                                });
    // Read once for the account's whole fleet, after the claims and before the first step
    // (fleet_state.h says which steps take what from it, and why that is safe). The executor has
    // installed the audit hook, so these calls are journaled as the steps' are. The instance profiles
    // the preflight read are not read again.
    auto read = profiles_read.find(client);
    std::unique_ptr<response::FleetState> fleet =
        response::FleetState::Read(*client, targets, read != profiles_read.end() ? &read->second : nullptr);
    executor.set_fleet(fleet.get());
    std::vector<response::TargetReport> done = executor.Run(mine);
    for (size_t k = 0; k < done.size(); ++k) reports[indices[k]] = std::move(done[k]);
  }
  return reports;
}

// A plan without the snapshot step (--skip snapshot, or --only without it) takes no disk evidence: said
// in the plan and before the run, never left for the responder to notice from the step list.
std::string NoDiskEvidence(const response::Plan& plan) {
  for (const response::PlanStep& step : plan.steps)
    if (step.name == "snapshot") return {};
  return "no snapshot step (--skip snapshot or --only): disk evidence of " + plan.target.instance_id +
         " will NOT be taken";
}

// --plan: every plan made concrete from the instance's live state (read-only), as text or JSON.
int PrintConcretePlans(const CommandContext& ctx, const std::vector<response::Plan>& plans,
                       const response::ResponseOptions& options, const ResultFlags& result, bool nacl) {
  const bool json = result.structured();
  Json out{{"case", options.case_id}, {"plans", Json::array()}};
  for (const response::Plan& plan : plans) {
    auto made = ctx.ClientFor(plan.target);
    if (!made) return ReportError(made.error());
    aws::Client& client = **made;
    auto inventory = cloud::CollectInventory(client, plan.target);
    if (!inventory)
      return ReportError(WithContext(inventory.error(), "reading " + plan.target.instance_id).value());
    const response::RoleSharers sharers = options.revoke_role_sessions
                                              ? response::FindRoleSharers(client, *inventory)
                                              : response::RoleSharers{};
    auto details = response::DescribeContainPlan(plan, *inventory, options, sharers);
    for (response::StepDetail& d : details) {
      if (!nacl || d.step != response::kSubnetStep) continue;
      auto neighbours = NaclNeighbours(client, plan.target);
      d.changes = neighbours
                      ? *neighbours
                      : std::vector<std::string>{"unknown: the subnets' neighbours could not be read (" +
                                                 neighbours.error().message + ")"};
    }
    const std::string no_disk = NoDiskEvidence(plan);
    if (json) {
      Json one = response::ConcretePlanToJson(plan, details, options.case_id);
      one["disk_evidence"] = no_disk.empty();
      one["warnings"] = no_disk.empty() ? Json::array() : Json::array({no_disk});
      out["plans"].push_back(std::move(one));
    } else {
      SafePrintf(stdout, "%s", response::FormatConcretePlan(plan, details, options.case_id).c_str());
      if (!no_disk.empty()) SafePrintf(stdout, "  WARNING: %s\n", no_disk.c_str());
    }
  }
  return json ? PrintResult(out, result) : kExitOk;
}

int Contain(const CommandContext& ctx, ContainFlags& f) {
  const response::ResponseOptions options = MakeOptions(ctx, f);
  auto client = ctx.Client();
  if (!client) return ReportError(client.error());
  if (f.evidence_bucket) {
    // Before the first change: evidence goes only to a bucket that cannot be rewritten.
    auto lock = response::RequireWriteOnce(**client, *f.evidence_bucket, f.memory.allow_unlocked,
                                           "--evidence-bucket");
    if (!lock) {
      ReportError(lock.error());
      PrintInfo("nothing was changed");
      return ExitCodeFor(lock.error());
    }
    if (!lock->write_once())
      PrintWarning(f.evidence_bucket->Uri() + " is not write-once (" + lock->Describe() + "); using it as " +
                   std::string(response::kAllowUnlockedFlag) + " says");
    f.bucket_lock = *lock;
  }
  if (auto s = CheckClaims(ctx, f.take_over); !s) {
    ReportError(s.error());
    PrintInfo("nothing was changed");
    return ExitCodeFor(s.error());
  }
  std::vector<response::Plan> plans;
  for (const cloud::ResolvedTarget& target : ctx.targets) {
    plans.push_back(response::BuildContainPlan(target, f.selection));
    response::ArrangeMemoryCapture(options.memory, &plans.back());
  }
  ProfileReadsByClient profiles_read;
  if (auto s = CheckCredentialsQuota(ctx, plans, options, &profiles_read); !s && f.plan_only) {
    PrintWarning("contain would stop before any change: " + s.error().message);
  } else if (!s) {
    ReportError(s.error());
    PrintInfo("nothing was changed");
    return ExitCodeFor(s.error());
  }
  if (f.plan_only) return PrintConcretePlans(ctx, plans, options, f.result, f.nacl);
  for (const auto& plan : plans) {
    SafePrintf(stderr, "%s", response::FormatPlan(plan).c_str());
    if (const std::string no_disk = NoDiskEvidence(plan); !no_disk.empty()) PrintWarning(no_disk);
  }
  // --nacl cuts off whole subnets: every neighbour is named before the question (or --yes).
  for (const auto& plan : plans) {
    if (!f.nacl) break;
    auto target_client = ctx.ClientFor(plan.target);
    if (!target_client) return ReportError(target_client.error());
    auto neighbours = NaclNeighbours(**target_client, plan.target);
    if (!neighbours) {
      ReportError(WithContext(neighbours.error(), "reading the neighbours --nacl cuts off").value());
      PrintInfo("nothing was changed");
      return ExitCodeFor(neighbours.error());
    }
    for (const std::string& line : *neighbours) PrintInfo("--nacl: " + line);
    if (!f.allow_from.empty())
      PrintWarning("--nacl: the network ACL denies all traffic, so --allow-from cannot reach " +
                   plan.target.instance_id + " either");
  }
  const std::string& case_id = ctx.case_flags.id;
  if (!f.yes &&
      !Confirm("Contain " + std::to_string(plans.size()) + " instance(s) under case " + case_id + "?"))
    return kExitUsage;

  auto store = ctx.OpenCase("contain " + JoinWords(ctx.targets));
  if (!store) return ReportError(store.error());
  // The clock of the time to isolation starts once the responder said yes: claims and the fleet
  // read count, as they delay the isolation.
  IsolationTimes isolated(*store);
  if (f.evidence_bucket) {
    if (auto s = response::RecordCaseBucket(**store, *f.evidence_bucket, f.bucket_lock); !s) {
      ReportError(s.error());
      PrintInfo("nothing was contained");
      return ExitCodeFor(s.error());
    }
  }
  if (auto s = RecordTargetLocations(**store, ctx); !s) {
    ReportError(WithContext(s.error(), "recording where the targets are").value());
    PrintInfo("nothing was contained");
    return ExitCodeFor(s.error());
  }
  if (auto s = ClaimTargets(ctx, **store, f.take_over); !s) {
    ReportError(s.error());
    PrintInfo("nothing was contained");
    return ExitCodeFor(s.error());
  }
  if (f.found) {
    if (auto s = StoreFinding(**store, *f.found, ctx.case_flags.responder); !s) {
      ReportError(s.error());
      PrintInfo("nothing was contained");
      return ExitCodeFor(s.error());
    }
  }
  std::vector<response::TargetReport> reports =
      RunPlans(ctx, **store, options, plans, isolated, profiles_read);
  const std::map<std::string, double> isolated_after = isolated.seconds();
  PrintSummary(reports, case_id, f.result, "contained", &isolated_after);
  int status = ExitStatusFor(reports);
  PrintNextSteps(NextAfterContain(case_id, status != kExitOk));
  status = ReportLostRecords(**store, RecordCaseStatus(**store, status, "contained"));
  status = NotifyReports(**client, **store, f.notify, HandOverFor(ctx, f), reports, status);
  PrintInfo("case " + case_id + " is in " + (*store)->dir().string());
  return status;
}

}  // namespace

CommandBody SetupContain(CLI::App& app) {
  app.description(
      "Contain compromised EC2 instances: record their state, then tag, protect, take them out of Auto\n"
      "Scaling and load balancers, isolate every ENI, cut their credentials, and snapshot them.");
  auto f = std::make_shared<ContainFlags>();
  app.add_flag("--yes", f->yes, "do not ask for confirmation");
  app.add_flag("--plan", f->plan_only, "print the plan and change nothing");
  AddLockFlags(app, &f->lock_flags);
  app.add_option("--asg", f->asg, "detach (default: the group replaces the node) or standby")
      ->check(CLI::IsMember({"detach", "standby"}));
  app.add_option("--allow-from", f->allow_from,
                 "CIDR or sg-... allowed into the isolation group (forensic access); repeatable");
  app.add_option("--skip", f->selection.skip, "leave this step out; repeatable");
  app.add_option("--only", f->selection.only,
                 "run only these steps (record-pre-state always runs); repeatable");
  app.add_flag(
      "--revoke-role-sessions", f->revoke_sessions,
      "also deny every session of the role issued before now (affects every sibling sharing the role)");
  app.add_flag("--nacl", f->nacl,
               "also cut off the instance's subnets with the case's deny-all network ACL (every neighbour "
               "there too: named first); undone by release");
  app.add_option("--take-over", f->take_over,
                 "move instances another case holds to this case (name that case; journaled in both)");
  app.add_option("--quarantine-profile", f->quarantine_profile,
                 "replace the instance profile with this one instead of removing it");
  AddMemoryFlags(app, &f->memory);
  AddNotifyFlags(app, &f->notify);
  AddResultFlags(app, &f->result, "the plan and the summary");
  app.add_option(
      "--finding", f->finding,
      "contain the instance of this GuardDuty finding: a JSON file (the finding, its EventBridge\n"
      "event or get-findings output) or a finding id (GetFindings); stored in the case as evidence");
  app.add_option("--detector", f->detector,
                 "the GuardDuty detector of --finding FINDING_ID (default: the region's only one)");
  return {[f](const CommandContext& ctx) { return Contain(ctx, *f); }, [f] { return Check(*f); },
          [f](aws::Client& client, TargetFlags* targets) { return AddFindingTarget(client, *f, targets); }};
}

}  // namespace cordon::cli

#include "response/release.h"

#include <algorithm>
#include <mutex>
#include <set>

#include "base/thread_pool.h"
#include "response/audit_capture.h"
#include "response/isolation_groups.h"
#include "response/live_state.h"
#include "response/run_marker.h"
#include "response/steps/steps.h"

// Overview of one target's release:
//   1. Collect the contain steps the journal shows done, newest first; those whose release is
//      already journaled done (a resumed release) are not assessed again.
//   2. Read live state once (instance, ENIs) and assess every step against it (the drift rules in
//      release.h). Only reads: nothing changes before the verdict.
//   3. Drift and no --force: refuse, journal a note listing every drifted property, change nothing.
//      Drift and --force: journal what is overridden and what is skipped, take the skipped items
//      out of the undo payloads, go on; the target then reports partial (exit 6) if anything was
//      skipped.
//   4. Run each step's undo (Step::RunUndo: intent/outcome journaling, resumable).
namespace cordon::response {
namespace {

std::string RegionOf(const Json& state, const aws::Client& client) {
  std::string region = Str(state, "region");
  if (!region.empty()) return region;
  std::string az =
      Str(state.value("instance", Json::object()).value("Placement", Json::object()), "AvailabilityZone");
  if (az.size() > 1) return az.substr(0, az.size() - 1);
  return client.region();
}

std::string List(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ",") + s;
  return "[" + out + "]";
}

std::vector<std::string> Strings(const Json& array) {
  std::vector<std::string> out;
  if (array.is_array())
    for (const Json& v : array)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

// Which of `ids` exist now. Asked by filter, not by GroupIds: one deleted id makes a GroupIds call
// fail as a whole (InvalidGroup.NotFound), and we want to know which ones are left.
Result<std::set<std::string>> ExistingSecurityGroups(const StepContext& ctx,
                                                     const std::vector<std::string>& ids) {
  std::set<std::string> found;
  if (ids.empty()) return found;
  auto out = ctx.CallAll("ec2", "DescribeSecurityGroups", Filters("group-id", ids));
  if (!out) return MakeError(out.error());
  for (const Json& g : out->value("SecurityGroups", Json::array())) found.insert(Str(g, "GroupId"));
  return found;
}

bool IsDenied(const Error& e) {
  return e.kind == ErrorKind::kAccessDenied || e.code == "AccessDenied" || e.code == "UnauthorizedOperation";
}

// Whether a described instance is terminated or on its way there (nothing on it can be restored).
bool IsTerminated(const Json& instance) {
  std::string state = Str(instance.value("State", Json::object()), "Name");
  return state == "terminated" || state == "shutting-down";
}

// What the assessment found for one target.
struct Findings {
  std::vector<std::string> drift;       // every unreconcilable property, one line each
  std::vector<std::string> skipped;     // the ones --force cannot restore and leaves as they are
  std::vector<std::string> overridden;  // the ones --force restores over someone else's change

  void Skip(const std::string& step, const std::string& what) {
    drift.push_back(step + ": " + what);
    skipped.push_back(step + ": " + what);
  }
  void Override(const std::string& step, const std::string& what) {
    drift.push_back(step + ": " + what);
    overridden.push_back(step + ": " + what);
  }
};

// A done contain step and the payload its undo will act on (the journaled step.done, with what is
// already restored or cannot be restored taken out).
struct UndoItem {
  std::unique_ptr<Step> step;
  Json payload;
  bool released = false;  // release:<step> already journaled done (a resumed release): not assessed
};

// Live state read once per target and shared by the assessments.
struct Live {
  Json enis;  // attached ENIs, boto3 shape
  const Json* Eni(const std::string& id) const {
    for (const Json& e : enis)
      if (Str(e, "NetworkInterfaceId") == id) return &e;
    return nullptr;
  }
};

// isolate-network. Reconcilable: an ENI in cordon's isolation group (alone, or with the case's
// --allow-from group), or already back in its recorded groups. Not: the ENI detached or deleted (skipped), a
// recorded group deleted (that group skipped; an ENI left with none stays isolated), other groups set by
// someone else (overridden).
Status AssessNetwork(StepContext& ctx, const Live& live, Json& payload, Findings& f) {
  static const std::string kStep = "isolate-network";
  Json& before = payload["before"];
  const Json result = payload.value("result", Json::object());
  const Json isolation = result.value("isolation_groups", Json::object());
  const Json allow = result.value("allow_groups", Json::object());
  std::vector<std::string> recorded_all;
  for (const Json& e : before.value("enis", Json::array()))
    for (const std::string& g : Strings(e.value("groups", Json::array()))) recorded_all.push_back(g);
  auto existing = ExistingSecurityGroups(ctx, recorded_all);
  if (!existing) return MakeError(existing.error());
  Json kept = Json::array();
  for (Json e : before.value("enis", Json::array())) {
    std::string id = Str(e, "id");
    const Json* now = live.Eni(id);
    if (now == nullptr) {
      f.Skip(kStep, "ENI " + id + " is no longer attached to the instance (detached or deleted)");
      continue;
    }
    // A capture's ssm-reach group next to the isolation group is cordon's own, not a change; so is
    // the case's allow group.
    std::vector<std::string> recorded = Strings(e["groups"]), groups = GroupIdsWithoutSsmReach(*now);
    const std::string vpc = Str(e, "vpc_id"), iso = Str(isolation, vpc.c_str());
    bool isolated =
        IsCordonIsolated(groups, iso, "") || IsCordonIsolated(groups, iso, Str(allow, vpc.c_str()));
    std::vector<std::string> a = recorded, b = groups;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    // Already back in its recorded groups: nothing to undo (the step's own drift check compares in
    // order, and a by-hand restore need not keep the order).
    if (a == b) continue;
    if (!isolated)
      f.Override(kStep, "ENI " + id + " security groups changed by someone else since containment: now " +
                            List(groups) + ", recorded " + List(recorded));
    Json still = Json::array();
    for (const std::string& g : recorded) {
      if (existing->count(g) != 0) {
        still.push_back(g);
      } else {
        f.Skip(kStep, "ENI " + id + " recorded security group " + g + " no longer exists");
      }
    }
    if (still.empty()) {
      f.Skip(kStep, "ENI " + id + " has none of its recorded security groups left; it stays isolated");
      continue;
    }
    e["groups"] = still;
    kept.push_back(e);
  }
  before["enis"] = kept;
  return Ok();
}

// disassociate-eip. Reconcilable: the address already back on its recorded ENI (taken out of the
// undo: associating it again would fail). Not: released or its ENI gone (skipped), associated
// elsewhere (overridden: re-associated with AllowReassociation).
Status AssessAddresses(StepContext& ctx, const Live& live, Json& payload, Findings& f) {
  static const std::string kStep = "disassociate-eip";
  Json& before = payload["before"];
  Json kept = Json::array();
  for (const Json& a : before.value("addresses", Json::array())) {
    std::string ip = Str(a, "public_ip"), eni = Str(a, "network_interface_id");
    if (live.Eni(eni) == nullptr) {
      f.Skip(kStep, "Elastic IP " + ip + ": its ENI " + eni + " is no longer attached to the instance");
      continue;
    }
    auto out = ctx.Call("ec2", "DescribeAddresses", Filters("allocation-id", {Str(a, "allocation_id")}));
    if (!out) return MakeError(out.error());
    Json found = out->value("Addresses", Json::array());
    if (found.empty()) {
      f.Skip(kStep, "Elastic IP " + ip + " (" + Str(a, "allocation_id") + ") was released");
      continue;
    }
    const Json& now = found[0];
    if (!Str(now, "AssociationId").empty()) {
      std::string where = Str(now, "NetworkInterfaceId");
      if (where == eni) continue;  // already restored
      f.Override(kStep, "Elastic IP " + ip + " is now associated elsewhere (" +
                            (where.empty() ? Str(now, "InstanceId") : where) + ")");
    }
    kept.push_back(a);
  }
  before["addresses"] = kept;
  return Ok();
}

// deregister-lb. Not reconcilable: a classic ELB or target group deleted (skipped). Registering
// again where the instance already is registered is harmless, so that is reconcilable.
Status AssessLoadBalancers(StepContext& ctx, Json& payload, Findings& f) {
  static const std::string kStep = "deregister-lb";
  Json& before = payload["before"];
  Json classic = Json::array(), groups = Json::array();
  for (const Json& name : before.value("classic", Json::array())) {
    auto out = ctx.Call("elb", "DescribeLoadBalancers", Json{{"LoadBalancerNames", {name}}});
    if (!out && !IsNotFoundError(out.error())) return MakeError(out.error());
    if (!out) {
      f.Skip(kStep, "classic load balancer " + name.get<std::string>() + " no longer exists");
      continue;
    }
    classic.push_back(name);
  }
  for (const Json& m : before.value("target_groups", Json::array())) {
    auto out = ctx.Call("elbv2", "DescribeTargetGroups", Json{{"TargetGroupArns", {m["arn"]}}});
    if (!out && !IsNotFoundError(out.error())) return MakeError(out.error());
    if (!out) {
      f.Skip(kStep, "target group " + Str(m, "arn") + " no longer exists");
      continue;
    }
    groups.push_back(m);
  }
  before["classic"] = classic;
  before["target_groups"] = groups;
  return Ok();
}

// asg. Reconcilable: the instance already back in its group. Not: the group deleted, or the
// instance now in another group (both skipped: an instance belongs to one group at most).
Status AssessAsg(StepContext& ctx, Json& payload, Findings& f) {
  static const std::string kStep = "asg";
  Json& before = payload["before"];
  std::string group = Str(before, "group");
  if (group.empty()) return Ok();
  auto g = ctx.Call("autoscaling", "DescribeAutoScalingGroups", Json{{"AutoScalingGroupNames", {group}}});
  if (!g) return MakeError(g.error());
  if (g->value("AutoScalingGroups", Json::array()).empty()) {
    f.Skip(kStep, "Auto Scaling group " + group + " no longer exists");
    before["group"] = nullptr;
    return Ok();
  }
  auto i = ctx.Call("autoscaling", "DescribeAutoScalingInstances",
                    Json{{"InstanceIds", {ctx.target.instance_id}}});
  if (!i) return MakeError(i.error());
  Json list = i->value("AutoScalingInstances", Json::array());
  std::string current = list.empty() ? "" : Str(list[0], "AutoScalingGroupName");
  if (!current.empty() && current != group) {
    f.Skip(kStep,
           "the instance is now in another Auto Scaling group, " + current + " (recorded " + group + ")");
    before["group"] = nullptr;
  }
  return Ok();
}

// credentials. Reconcilable: no profile, the quarantine profile, or the recorded one already back.
// Not: the recorded profile deleted (skipped: only the deny is removed), another profile put there
// by someone else (overridden: replaced by the recorded one).
Status AssessCredentials(StepContext& ctx, Json& payload, Findings& f) {
  static const std::string kStep = "credentials";
  Json& before = payload["before"];
  std::string name = Str(before, "profile_name"), arn = Str(before, "profile_arn");
  if (name.empty()) return Ok();
  auto p = ctx.Call("iam", "GetInstanceProfile", Json{{"InstanceProfileName", name}});
  if (!p && !IsNotFoundError(p.error())) return MakeError(p.error());
  if (!p) {
    f.Skip(kStep, "instance profile " + name + " no longer exists (the role's deny is still removed)");
    before["profile_arn"] = nullptr;
    return Ok();
  }
  auto out = ctx.Call("ec2", "DescribeIamInstanceProfileAssociations",
                      Filters("instance-id", {ctx.target.instance_id}));
  if (!out) return MakeError(out.error());
  std::string quarantine = Str(payload.value("result", Json::object()), "quarantine_profile_arn");
  for (const Json& a : out->value("IamInstanceProfileAssociations", Json::array())) {
    std::string state = Str(a, "State");
    if (state != "associated" && state != "associating") continue;
    std::string now = Str(a.value("IamInstanceProfile", Json::object()), "Arn");
    if (!now.empty() && now != arn && now != quarantine)
      f.Override(kStep, "instance profile replaced by someone else: now " + now + ", recorded " + arn);
  }
  return Ok();
}

// Reads live state and assesses every item of `undo`, taking out of the payloads what is already
// restored, and what --force would skip. Only reads.
Status Assess(StepContext& ctx, std::vector<UndoItem>& undo, Findings& f) {
  auto instance = DescribeTargetInstance(ctx);
  // `cordon iam-policy --for release` may not grant ec2:DescribeInstances (it is built from the undo
  // steps' actions): then "gone" is inferred from the ENIs, as a running or stopped instance always
  // has its primary ENI attached.
  bool denied = !instance && IsDenied(instance.error());
  if (!instance && !denied && !IsNotFoundError(instance.error())) return MakeError(instance.error());
  auto enis = DescribeTargetEnis(ctx);
  if (!enis) return MakeError(enis.error());
  bool gone = denied ? enis->empty() : (!instance || IsTerminated(*instance));
  if (gone) {
    // Nothing on the instance can be restored. The deny on the shared role is still removed: it
    // names only this instance and would otherwise stay on the role for good.
    f.Skip("instance", "the instance is terminated or gone; only the role's deny policy is removed");
    std::vector<UndoItem> kept;
    for (UndoItem& u : undo) {
      if (u.step->name() != "credentials" && !u.released) continue;
      if (!u.released) u.payload["before"]["profile_arn"] = nullptr;
      kept.push_back(std::move(u));
    }
    undo = std::move(kept);
    return Ok();
  }
  Live live{*enis};
  for (UndoItem& u : undo) {
    if (u.released) continue;
    std::string_view name = u.step->name();
    Status s = Ok();
    if (name == "isolate-network") s = AssessNetwork(ctx, live, u.payload, f);
    if (name == "disassociate-eip") s = AssessAddresses(ctx, live, u.payload, f);
    if (name == "deregister-lb") s = AssessLoadBalancers(ctx, u.payload, f);
    if (name == "asg") s = AssessAsg(ctx, u.payload, f);
    if (name == "credentials") s = AssessCredentials(ctx, u.payload, f);
    if (!s) return s;
  }
  return Ok();
}

StepReport CheckFailed(const Error& error, const AuditScope& scope) {
  StepReport r;
  r.step = "release:check";
  r.status = StepStatus::kFailed;
  r.error = error;
  r.detail = "could not read live state; nothing changed";
  if (IsDenied(error)) r.missing_permission = MissingPermission(error, scope.records());
  return r;
}

}  // namespace

Result<ReleaseOutcome> ReleaseCase(aws::Client* client, evidence::CaseStore* store,
                                   const ResponseOptions& options, const std::vector<std::string>& targets,
                                   const ProgressFn& progress) {
  InstallAuditHook(*client);
  auto all = store->pre_state().All();
  if (!all) return MakeError(all.error());
  std::vector<evidence::PreStateRecord> records;
  for (auto& r : *all)
    if (targets.empty() || std::find(targets.begin(), targets.end(), r.target) != targets.end())
      records.push_back(r);
  if (records.empty())
    return MakeError(ErrorKind::kNotFound, "case " + store->id() + " has no recorded pre-state" +
                                               (targets.empty() ? "" : " for the given targets") +
                                               ": nothing to release");

  int64_t run = BeginRun(store, "release");
  (void)store->journal().MarkInterrupted("the previous run stopped inside this step; resuming");
  ReleaseOutcome outcome;
  outcome.reports.resize(records.size());
  std::mutex mu;
  auto contain_steps = ContainSteps();
  ParallelFor(records.size(), 8, [&](size_t i) {
    TargetReport& report = outcome.reports[i];
    const Json& state = records[i].state;
    const std::string& id = records[i].target;
    report.target.instance_id = id;
    report.target.region = RegionOf(state, *client);
    report.target.vpc_id = Str(state, "vpc_id");
    auto make_ctx = [&] {
      StepContext ctx;
      ctx.client = client;
      ctx.store = store;
      ctx.target = report.target;
      ctx.options = &options;
      return ctx;
    };
    // The done steps, in reverse contain order (their position there is the crash hooks' N).
    std::vector<UndoItem> undo;
    for (auto it = contain_steps.rbegin(); it != contain_steps.rend(); ++it) {
      std::unique_ptr<Step> step = it->make();
      if (!step->undoable()) continue;
      auto last = store->journal().LastOutcome(id, it->name);
      if (!last || last->state != evidence::StepState::kDone) continue;
      undo.push_back(UndoItem{std::move(step), last->payload, false});
    }
    Findings findings;
    {
      StepContext ctx = make_ctx();
      AuditScope scope(store, id, "release:check");
      for (UndoItem& u : undo) {
        auto last = store->journal().LastOutcome(id, "release:" + std::string(u.step->name()));
        u.released = last && last->state == evidence::StepState::kDone;
      }
      if (Status s = Assess(ctx, undo, findings); !s) {
        report.steps.push_back(CheckFailed(s.error(), scope));
        return;
      }
    }
    if (!findings.drift.empty() && !options.force) {
      (void)store->journal().Append(
          evidence::kind::kNote, id, "release",
          Json{{"text", "release refused: live state drifted (use --force to override)"},
               {"drift", findings.drift}});
      StepReport r;
      r.step = "release";
      r.status = StepStatus::kFailed;
      r.error =
          Error{ErrorKind::kConflict, "live state drifted; release refused, nothing changed", {}, 0, {}};
      r.detail = "refused";
      report.steps.push_back(r);
      std::lock_guard<std::mutex> lock(mu);
      for (const std::string& d : findings.drift) outcome.refusals.push_back(id + " " + d);
      return;
    }
    if (!findings.drift.empty()) {
      (void)store->journal().Append(
          evidence::kind::kNote, id, "release",
          Json{{"text",
                "release --force over drift: overridden items get the recorded value, skipped ones stay"},
               {"drift", findings.drift},
               {"overridden", findings.overridden},
               {"skipped", findings.skipped}});
      std::lock_guard<std::mutex> lock(mu);
      for (const std::string& d : findings.skipped) outcome.skipped.push_back(id + " " + d);
    }
    bool stopped = false;
    int position = 0;
    for (UndoItem& u : undo) {
      ++position;
      StepReport r;
      if (stopped) {
        r.step = "release:" + std::string(u.step->name());
        r.status = StepStatus::kNotAttempted;
        r.detail = "not attempted: an earlier release step failed";
      } else {
        StepContext ctx = make_ctx();
        ctx.position = position;
        r = u.step->RunUndo(ctx, u.payload);
        stopped = r.status == StepStatus::kFailed;
      }
      report.steps.push_back(r);
      if (progress) {
        std::lock_guard<std::mutex> lock(mu);
        progress(report.target, r);
      }
    }
    if (!findings.skipped.empty()) {
      StepReport r;
      r.step = "release:drift";
      r.status = StepStatus::kSkipped;
      r.detail = std::to_string(findings.skipped.size()) + " drifted properties left as they are (--force)";
      r.partial = true;
      report.steps.push_back(r);
    }
  });
  EndRun(store, run, outcome.refusals.empty() ? "ok" : "refused");
  return outcome;
}

}  // namespace cordon::response

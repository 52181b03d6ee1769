// isolate-network: per ENI, never only ModifyInstanceAttribute(Groups) (rule 3). Each ENI moves
// first to cordon-untrack-<vpc> (all open: existing flows become untracked), then to
// cordon-isolation-<vpc>, or with --allow-from to [isolation, cordon-allow-<case>-<vpc>] in one
// call: the analysts' access is in a group only this case's ENIs carry (isolation_groups.h). Before
// the swaps each ENI's connection-tracking timeouts go to EC2's minimums (conntrack.h): what stays
// tracked (AWS tracks some flows whatever the rules) then expires within a minute of going idle.
// The before records each ENI's original groups and timeouts for release. A primary ENI that also has
// cordon-ssm-reach-<vpc> is isolated with a memory capture running (capture_memory.cc): it counts
// as isolated and is left as it is.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "response/conntrack.h"
#include "response/fleet_state.h"
#include "response/isolation_groups.h"
#include "response/live_state.h"
#include "response/observation.h"
#include "response/steps/steps.h"

namespace cordon::response {
namespace {

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

// After the ENIs are restored: the case's allow groups (recorded, else found by name, as an
// "already done" record has no result) are deleted once no ENI uses them. A failure to delete is
// noted, not fatal: the ENIs are back, and the group only lets in the case's own sources.
Json RemoveAllowGroups(StepContext& ctx, const Json& before, const Json& result) {
  std::set<std::string> vpcs, ids;
  for (const Json& e : before.value("enis", Json::array())) vpcs.insert(Str(e, "vpc_id"));
  const Json recorded = result.is_object() ? result.value("allow_groups", Json::object()) : Json::object();
  for (const auto& [vpc, id] : recorded.items())
    if (id.is_string()) ids.insert(id.get<std::string>());
  for (const std::string& vpc : vpcs) {
    std::string id = Str(recorded, vpc.c_str());
    if (id.empty()) {
      auto found = FindAllowGroup(ctx, CaseIdOf(ctx), vpc);
      if (found) id = *found;
    }
    if (!id.empty()) ids.insert(id);
  }
  Json out = Json::object();
  for (const std::string& id : ids) {
    auto what = DeleteGroupIfUnused(ctx, id);
    out[id] = what ? *what : "not deleted: " + what.error().message;
    ctx.detail += "; allow group " + id + " " + out[id].get<std::string>();
    if (!what)
      ctx.notes.push_back("the --allow-from group " + id + " was not deleted: " + what.error().message);
  }
  return out;
}

// The timeouts release restores on ENI `e` of the before: its own record ("conntrack", null when it
// had none), else (a before from a version that did not record them) what DoApply saw.
Json RawConntrack(const Json& e, const Json& result) {
  if (e.contains("conntrack")) return e["conntrack"];
  return Obj(result, "conntrack").value(Str(e, "id"), Json());  // no result: found already isolated
}
Json RecordedConntrack(const Json& e, const Json& result) {
  return EffectiveConntrack(RawConntrack(e, result));
}

// Whether isolate-network set (or found set) the minimums on ENI `id`: only then does release
// restore its timeouts.
bool ConntrackSet(const Json& result, const std::string& id) {
  return result.is_object() && result.value("conntrack", Json::object()).contains(id);
}

// Sets the minimums on each ENI not there yet. A refusal by policy fails the step (the group swaps
// need the same permission); any other refusal (EC2 sets timeouts on Nitro instances only, an ENI
// just detached) is a note: the swaps still cut what they cut. Returns {eni: timeouts before}.
Result<Json> ShortenConntrack(StepContext& ctx, const Json& enis) {
  Json seen = Json::object();
  int failed = 0;
  for (const Json& e : enis) {
    const std::string id = Str(e, "id");
    if (!SameConntrack(e["conntrack"], MinimalConntrack())) {
      if (Status s = SetConntrack(ctx, id, MinimalConntrack()); !s) {
        if (IsAccessDeniedError(s.error())) return MakeError(s.error());
        ++failed;
        ctx.notes.push_back("ENI " + id + ": connection-tracking timeouts not shortened (" +
                            s.error().message + "); its tracked connections keep " +
                            DescribeConntrack(EffectiveConntrack(e["conntrack"])));
        continue;
      }
    }
    seen[id] = e["conntrack"];
  }
  if (failed > 0) ctx.detail += "; timeouts not shortened on " + std::to_string(failed) + " ENIs";
  return seen;
}

class IsolateNetworkStep : public Step {
 public:
  std::string_view name() const override { return "isolate-network"; }
  bool undoable() const override { return true; }

  // Reconcilable: an ENI in cordon's isolation group (alone, or with the case's --allow-from
  // group), or already back in its recorded groups (in any order: a by-hand restore need not keep
  // it; taken out of the undo). Not: the ENI detached or deleted (skipped), a recorded group deleted
  // (that group skipped; an ENI left with none stays isolated), other groups set by someone else
  // (overridden).
  Status AssessDrift(StepContext& ctx, const LiveState& live, Json* undo, DriftFindings* f) override {
    Json& before = (*undo)["before"];
    const Json result = undo->value("result", Json::object());
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
        f->Skip(name(), "ENI " + id + " is no longer attached to the instance (detached or deleted)");
        continue;
      }
      // A capture's ssm-reach group next to the isolation group is cordon's own, not a change; so
      // is the case's allow group.
      std::vector<std::string> recorded = Strings(e["groups"]), groups = GroupIdsWithoutSsmReach(*now);
      const std::string vpc = Str(e, "vpc_id"), iso = Str(isolation, vpc.c_str());
      bool isolated =
          IsCordonIsolated(groups, iso, "") || IsCordonIsolated(groups, iso, Str(allow, vpc.c_str()));
      std::vector<std::string> a = recorded, b = groups;
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      // Timeouts back at their recorded values (or never shortened) need no undo; the minimums are
      // cordon's; anything else is someone else's change.
      bool conntrack = ConntrackSet(result, id);
      if (conntrack) {
        const Json want = RecordedConntrack(e, result), now_ct = ConntrackOf(*now);
        conntrack = !SameConntrack(now_ct, want);
        if (conntrack && !SameConntrack(now_ct, MinimalConntrack()))
          f->Override(name(), "ENI " + id +
                                  " connection-tracking timeouts changed by someone else since "
                                  "containment: now " +
                                  DescribeConntrack(now_ct) + ", recorded " + DescribeConntrack(want));
      }
      e["restore_conntrack"] = conntrack;
      if (a == b) {  // already back in its recorded groups: only the timeouts may be left to undo
        e["restore_groups"] = false;
        if (conntrack) kept.push_back(e);
        continue;
      }
      if (!isolated)
        f->Override(name(), "ENI " + id + " security groups changed by someone else since containment: now " +
                                List(groups) + ", recorded " + List(recorded));
      Json still = Json::array();
      for (const std::string& g : recorded) {
        if (existing->count(g) != 0) {
          still.push_back(g);
        } else {
          f->Skip(name(), "ENI " + id + " recorded security group " + g + " no longer exists");
        }
      }
      if (still.empty()) {
        f->Skip(name(), "ENI " + id + " has none of its recorded security groups left; it stays isolated");
        continue;
      }
      e["groups"] = still;
      kept.push_back(e);
    }
    before["enis"] = kept;
    return Ok();
  }

 protected:
  Result<Json> Observe(StepContext& ctx) override {
    auto enis = DescribeTargetEnis(ctx);
    if (!enis) return MakeError(enis.error());
    Json out = Json::array();
    for (const Json& e : *enis)
      out.push_back(
          Json{{"id", Str(e, "NetworkInterfaceId")},
               {"vpc_id", Str(e, "VpcId")},
               {"groups", GroupIdsWithoutSsmReach(e)},
               {"conntrack", ConntrackOf(e)},
               {"primary", e.contains("Attachment") && e["Attachment"].value("DeviceIndex", -1) == 0}});
    return Json{{"enis", out}};
  }
  bool IsDone(StepContext& ctx, const Json& o) override {
    if (o["enis"].empty()) return false;
    const std::vector<std::string>& allow_from = ctx.options->allow_from;
    for (const Json& e : o["enis"]) {
      if (!SameConntrack(e.value("conntrack", Json()), MinimalConntrack())) return false;
      const std::string vpc = Str(e, "vpc_id");
      auto g = FindIsolationGroups(ctx, vpc);
      if (!g || g->isolation_id.empty()) return false;
      auto clean = IsolationGroupClean(ctx, g->isolation_id);
      if (!clean || !*clean) return false;  // e.g. an older version's --allow-from ingress to revoke
      std::string allow_id;
      if (!allow_from.empty()) {
        auto a = FindAllowGroup(ctx, CaseIdOf(ctx), vpc);
        if (!a || a->empty()) return false;
        auto matches = AllowGroupMatches(ctx, *a, allow_from);
        if (!matches || !*matches) return false;
        allow_id = *a;
      }
      if (!IsCordonIsolated(e["groups"].get<std::vector<std::string>>(), g->isolation_id, allow_id))
        return false;
    }
    return true;
  }
  Result<Json> DoApply(StepContext& ctx, const Json&) override {
    auto live =
        ObservedOr(ctx, [&] { return Observe(ctx); });  // the ENIs as they are now, read live a moment ago
    if (!live) return MakeError(live.error());
    if ((*live)["enis"].empty())
      return MakeError(ErrorKind::kConflict, "the instance has no network interfaces to isolate");
    auto conntrack = ShortenConntrack(ctx, (*live)["enis"]);
    if (!conntrack) return MakeError(conntrack.error());
    const std::vector<std::string>& allow_from = ctx.options->allow_from;
    Json untrack = Json::object(), isolation = Json::object(), allow = Json::object();
    for (const Json& e : (*live)["enis"]) {
      std::string vpc = Str(e, "vpc_id");
      // Once per VPC for the whole run when there is a fleet read: the groups are cordon's own, and
      // the first ENI of the VPC in this run just made them what they must be.
      FleetState* fleet = FleetOf(ctx);
      auto g =
          fleet != nullptr ? fleet->EnsureIsolationGroupsOnce(ctx, vpc) : EnsureIsolationGroups(ctx, vpc);
      if (!g) return MakeError(g.error());
      untrack[vpc] = g->untrack_id;
      isolation[vpc] = g->isolation_id;
      std::string allow_id;
      if (!allow_from.empty()) {
        auto a = EnsureAllowGroup(ctx, CaseIdOf(ctx), vpc, allow_from);
        if (!a) return MakeError(a.error());
        allow_id = *a;
        allow[vpc] = allow_id;
      }
      Json final_groups = Json::array({g->isolation_id});
      if (!allow_id.empty()) final_groups.push_back(allow_id);
      const std::vector<std::string> now = e["groups"].get<std::vector<std::string>>();
      if (IsCordonIsolated(now, g->isolation_id, allow_id)) continue;  // done before a crash
      // Untracking first cuts the flows the final groups would not allow. An ENI only in the
      // isolation group has none (a rerun adding --allow-from): it must not pass through the
      // all-open group again.
      std::vector<Json> swaps = {Json::array({g->untrack_id}), final_groups};
      if (IsCordonIsolated(now, g->isolation_id, "")) swaps.erase(swaps.begin());
      for (const Json& groups : swaps) {
        auto r = ctx.Call("ec2", "ModifyNetworkInterfaceAttribute",
                          Json{{"NetworkInterfaceId", e["id"]}, {"Groups", groups}});
        if (!r) return MakeError(r.error());
      }
      // No ModifyInstanceAttribute(Groups) after: EC2 refuses it for an instance with more than
      // one ENI (InvalidInstanceID "There are multiple interfaces attached"), and the per-ENI call
      // on the primary ENI already is the instance's groups (range/eni_groups.py).
    }
    ctx.detail = std::to_string((*live)["enis"].size()) + " ENIs" + ctx.detail;
    Json result = {{"untrack_groups", untrack},
                   {"isolation_groups", isolation},
                   {"allow_from", allow_from},
                   {"conntrack", *conntrack}};
    if (!allow.empty()) result["allow_groups"] = allow;
    return result;
  }
  Result<Json> DoUndo(StepContext& ctx, const Json& before, const Json& result) override {
    int restored = 0, timeouts = 0;
    for (const Json& e : before.value("enis", Json::array())) {
      // Timeouts first: an ENI back in its open groups then never runs with the minimums.
      if (e.value("restore_conntrack", true) && ConntrackSet(result, Str(e, "id"))) {
        if (Status s = SetConntrack(ctx, Str(e, "id"), RecordedConntrack(e, result)); !s) {
          if (!(ctx.options->force && IsNotFoundError(s.error()))) return MakeError(s.error());
        } else {
          ++timeouts;
          if (DefaultsUsed(RawConntrack(e, result)))
            ctx.notes.push_back("ENI " + Str(e, "id") +
                                " had connection-tracking timeouts not set; they now have "
                                "EC2's documented defaults (" +
                                DescribeConntrack(RecordedConntrack(e, result)) +
                                "; a Nitro v6 type's own TCP default is 350 s)");
        }
      }
      if (!e.value("restore_groups", true)) continue;
      auto r = ctx.Call("ec2", "ModifyNetworkInterfaceAttribute",
                        Json{{"NetworkInterfaceId", e["id"]}, {"Groups", e["groups"]}});
      if (!r) {
        if (ctx.options->force && IsNotFoundError(r.error())) continue;
        return MakeError(r.error());
      }
      ++restored;  // the primary ENI's groups are the instance's: no ModifyInstanceAttribute (DoApply)
    }
    ctx.detail = std::to_string(restored) + " ENIs, timeouts of " + std::to_string(timeouts);
    Json out = {{"restored", restored}, {"conntrack_restored", timeouts}};
    if (auto a = RemoveAllowGroups(ctx, before, result); !a.empty()) out["allow_groups"] = a;
    return out;
  }
};

}  // namespace

std::unique_ptr<Step> MakeIsolateNetworkStep() { return std::make_unique<IsolateNetworkStep>(); }

}  // namespace cordon::response

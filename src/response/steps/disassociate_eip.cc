// disassociate-eip: removes every Elastic IP from the instance's ENIs, recording allocation,
// association, ENI and private IP so release re-associates each to the same place.
#include "response/fleet_state.h"
#include "response/live_state.h"
#include "response/observation.h"
#include "response/steps/steps.h"

namespace cordon::response {
namespace {

class DisassociateEipStep : public Step {
 public:
  std::string_view name() const override { return "disassociate-eip"; }
  bool undoable() const override { return true; }

  // Reconcilable: the address already back on its recorded ENI (taken out of the undo: associating
  // it again would fail). Not: released or its ENI gone (skipped), associated elsewhere
  // (overridden: re-associated with AllowReassociation).
  Status AssessDrift(StepContext& ctx, const LiveState& live, Json* undo, DriftFindings* f) override {
    Json& before = (*undo)["before"];
    Json kept = Json::array();
    for (const Json& a : before.value("addresses", Json::array())) {
      std::string ip = Str(a, "public_ip"), eni = Str(a, "network_interface_id");
      if (live.Eni(eni) == nullptr) {
        f->Skip(name(), "Elastic IP " + ip + ": its ENI " + eni + " is no longer attached to the instance");
        continue;
      }
      // By filter, not AllocationIds: a released address is then an empty list, not an error.
      auto out = ctx.Call("ec2", "DescribeAddresses", Filters("allocation-id", {Str(a, "allocation_id")}));
      if (!out) return MakeError(out.error());
      Json found = out->value("Addresses", Json::array());
      if (found.empty()) {
        f->Skip(name(), "Elastic IP " + ip + " (" + Str(a, "allocation_id") + ") was released");
        continue;
      }
      const Json& now = found[0];
      if (!Str(now, "AssociationId").empty()) {
        std::string where = Str(now, "NetworkInterfaceId");
        if (where == eni) continue;  // already restored
        f->Override(name(), "Elastic IP " + ip + " is now associated elsewhere (" +
                                (where.empty() ? Str(now, "InstanceId") : where) + ")");
      }
      kept.push_back(a);
    }
    before["addresses"] = kept;
    return Ok();
  }

 protected:
  Result<Json> Observe(StepContext& ctx) override {
    // Only this step moves the addresses, and isolation changes the ENIs' groups, not which ENIs
    // there are: the fleet read is live state. (An ENI attached during the run is isolated by
    // isolate-network's live read; an address on it cannot pass traffic through the isolation group.)
    const TargetState* f = FleetTarget(ctx);
    const bool fleet = f != nullptr && f->enis && f->addresses;
    auto enis = fleet ? Result<Json>(*f->enis) : DescribeTargetEnis(ctx);
    if (!enis) return MakeError(enis.error());
    std::vector<std::string> ids;
    for (const Json& e : *enis) ids.push_back(Str(e, "NetworkInterfaceId"));
    Json addresses = Json::array();
    if (!ids.empty()) {
      auto out = fleet ? Result<Json>(Json{{"Addresses", *f->addresses}})
                       : ctx.Call("ec2", "DescribeAddresses", Filters("network-interface-id", ids));
      if (!out) return MakeError(out.error());
      for (const Json& a : out->value("Addresses", Json::array())) {
        if (Str(a, "AssociationId").empty()) continue;
        addresses.push_back(Json{{"public_ip", Str(a, "PublicIp")},
                                 {"allocation_id", Str(a, "AllocationId")},
                                 {"association_id", Str(a, "AssociationId")},
                                 {"network_interface_id", Str(a, "NetworkInterfaceId")},
                                 {"private_ip", Str(a, "PrivateIpAddress")}});
      }
    }
    return Json{{"addresses", addresses}};
  }
  bool IsDone(StepContext&, const Json& o) override { return o["addresses"].empty(); }
  Result<Json> DoApply(StepContext& ctx, const Json&) override {
    auto now = ObservedOr(ctx, [&] { return Observe(ctx); });
    if (!now) return MakeError(now.error());
    for (const Json& a : (*now)["addresses"]) {
      auto r = ctx.Call("ec2", "DisassociateAddress", Json{{"AssociationId", a["association_id"]}});
      if (!r && !IsNotFoundError(r.error())) return MakeError(r.error());
    }
    ctx.detail = std::to_string((*now)["addresses"].size()) + " Elastic IPs";
    return *now;
  }
  Result<Json> DoUndo(StepContext& ctx, const Json& before, const Json&) override {
    Json done = Json::array();
    for (const Json& a : before.value("addresses", Json::array())) {
      Json input = {{"AllocationId", a["allocation_id"]},
                    {"NetworkInterfaceId", a["network_interface_id"]},
                    {"AllowReassociation", ctx.options->force}};
      if (!Str(a, "private_ip").empty()) input["PrivateIpAddress"] = a["private_ip"];
      auto r = ctx.Call("ec2", "AssociateAddress", input);
      if (!r) return MakeError(r.error());
      done.push_back(
          Json{{"allocation_id", a["allocation_id"]}, {"association_id", Str(*r, "AssociationId")}});
    }
    ctx.detail = std::to_string(done.size()) + " Elastic IPs";
    return Json{{"associated", done}};
  }
};

}  // namespace

std::unique_ptr<Step> MakeDisassociateEipStep() { return std::make_unique<DisassociateEipStep>(); }

}  // namespace cordon::response

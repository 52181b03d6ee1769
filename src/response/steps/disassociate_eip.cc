// disassociate-eip: removes every Elastic IP from the instance's ENIs, recording allocation,
// association, ENI and private IP so release re-associates each to the same place.
#include "response/live_state.h"
#include "response/steps/steps.h"

namespace cordon::response {
namespace {

class DisassociateEipStep : public Step {
 public:
  std::string_view name() const override { return "disassociate-eip"; }
  bool undoable() const override { return true; }

  Status CheckDrift(StepContext& ctx, const Json& done) override {
    for (const Json& a : done.value("before", Json::object()).value("addresses", Json::array())) {
      auto out = ctx.Call("ec2", "DescribeAddresses", Json{{"AllocationIds", {a["allocation_id"]}}});
      if (!out && IsNotFoundError(out.error()))
        return MakeError(ErrorKind::kConflict, "the Elastic IP " + Str(a, "public_ip") + " was released");
      if (!out) return MakeError(out.error());
      for (const Json& now : out->value("Addresses", Json::array())) {
        std::string eni = Str(now, "NetworkInterfaceId");
        if (!Str(now, "AssociationId").empty() && eni != Str(a, "network_interface_id"))
          return MakeError(ErrorKind::kConflict, "the Elastic IP " + Str(a, "public_ip") +
                                                     " is now associated elsewhere (" +
                                                     (eni.empty() ? Str(now, "InstanceId") : eni) + ")");
      }
    }
    return Ok();
  }

 protected:
  Result<Json> Observe(StepContext& ctx) override {
    auto enis = DescribeTargetEnis(ctx);
    if (!enis) return MakeError(enis.error());
    std::vector<std::string> ids;
    for (const Json& e : *enis) ids.push_back(Str(e, "NetworkInterfaceId"));
    Json addresses = Json::array();
    if (!ids.empty()) {
      auto out = ctx.Call("ec2", "DescribeAddresses", Filters("network-interface-id", ids));
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
    auto now = Observe(ctx);
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

#include "response/subnet_nacl.h"

#include <mutex>

#include "response/after_effect.h"
#include "response/live_state.h"

namespace cordon::response {
namespace {

// Targets of one run that share a VPC must not race to create the same network ACL, nor two
// targets in one subnet replace the same association (the loser's id would be gone).
std::mutex ensure_mu;
std::mutex move_mu;

Json Tag(std::string key, std::string value) {
  return Json{{"Key", std::move(key)}, {"Value", std::move(value)}};
}

// Deletes the allow entries of the case's ACL: with rules evaluated in order, any of them opens it.
Status DropAllowEntries(const StepContext& ctx, const std::string& acl_id) {
  auto out = ctx.CallAll("ec2", "DescribeNetworkAcls", Json{{"NetworkAclIds", Json::array({acl_id})}});
  if (!out) return MakeError(out.error());
  for (const Json& acl : out->value("NetworkAcls", Json::array()))
    for (const Json& e : acl.value("Entries", Json::array())) {
      if (Str(e, "RuleAction") != "allow") continue;
      auto r = ctx.Call("ec2", "DeleteNetworkAclEntry",
                        Json{{"NetworkAclId", acl_id},
                             {"RuleNumber", e.value("RuleNumber", 0)},
                             {"Egress", e.value("Egress", false)}});
      if (!r) return MakeError(r.error());
    }
  return Ok();
}

}  // namespace

Result<SubnetAcl> SubnetAssociation(const StepContext& ctx, const std::string& subnet_id) {
  auto out = ctx.CallAll("ec2", "DescribeNetworkAcls", Filters("association.subnet-id", {subnet_id}));
  if (!out) return MakeError(out.error());
  for (const Json& acl : out->value("NetworkAcls", Json::array()))
    for (const Json& a : acl.value("Associations", Json::array()))
      if (Str(a, "SubnetId") == subnet_id)
        return SubnetAcl{subnet_id, Str(a, "NetworkAclAssociationId"), Str(acl, "NetworkAclId"),
                         acl.value("Tags", Json::array()), acl.value("Entries", Json::array())};
  return MakeError(ErrorKind::kNotFound, "subnet " + subnet_id + " has no network ACL association");
}

std::string CaseAclName(const std::string& case_id, const std::string& vpc_id) {
  return "cordon-nacl-" + case_id + "-" + vpc_id;
}

Result<std::string> FindCaseAcl(const StepContext& ctx, const std::string& case_id,
                                const std::string& vpc_id) {
  Json input = {
      {"Filters", Json::array({Json{{"Name", "vpc-id"}, {"Values", Json::array({vpc_id})}},
                               Json{{"Name", "tag:cordon:case"}, {"Values", Json::array({case_id})}}})}};
  auto out = ctx.CallAll("ec2", "DescribeNetworkAcls", input);
  if (!out) return MakeError(out.error());
  for (const Json& acl : out->value("NetworkAcls", Json::array()))
    if (IsolationAclCase(acl.value("Tags", Json::array())) == case_id) return Str(acl, "NetworkAclId");
  return std::string();
}

Result<std::string> EnsureCaseAcl(const StepContext& ctx, const std::string& case_id,
                                  const std::string& vpc_id) {
  std::lock_guard<std::mutex> lock(ensure_mu);
  auto found = FindCaseAcl(ctx, case_id, vpc_id);
  if (!found) return found;
  if (!found->empty()) {
    if (Status s = DropAllowEntries(ctx, *found); !s) return MakeError(s.error());
    return found;
  }
  Json tags = Json::array({Tag("cordon:managed", "true"), Tag("cordon:purpose", std::string(kNaclPurpose)),
                           Tag("cordon:case", case_id), Tag("Name", CaseAclName(case_id, vpc_id))});
  // The client gives the call a ClientToken of its own (the model's idempotencyToken), kept across
  // its retries: a retry of a CreateNetworkAcl whose answer was lost gets the ACL the first sending
  // made, not a second one ("Ensuring idempotency in Amazon EC2 API requests").
  auto out = ctx.Call(
      "ec2", "CreateNetworkAcl",
      Json{{"VpcId", vpc_id},
           {"TagSpecifications", Json::array({Json{{"ResourceType", "network-acl"}, {"Tags", tags}}})}});
  if (!out) return MakeError(out.error());
  std::string id = Str(out->value("NetworkAcl", Json::object()), "NetworkAclId");
  if (id.empty()) return MakeError(ErrorKind::kInternal, "CreateNetworkAcl answered no NetworkAclId");
  return id;
}

Result<std::string> MoveSubnet(const StepContext& ctx, const std::string& subnet_id,
                               const std::string& network_acl_id) {
  std::lock_guard<std::mutex> lock(move_mu);
  auto now = SubnetAssociation(ctx, subnet_id);
  if (!now) return MakeError(now.error());
  if (now->network_acl_id == network_acl_id) return std::string();
  // A repeat after the move took effect names an association that no longer exists
  // (InvalidAssociationID.NotFound): done when the subnet is on the ACL now, under the association
  // that read finds.
  std::string moved;
  auto r = AcceptAfterEffect(
      ctx.Call("ec2", "ReplaceNetworkAclAssociation",
               Json{{"AssociationId", now->association_id}, {"NetworkAclId", network_acl_id}}),
      {"InvalidAssociationID.NotFound"}, [&]() -> Result<bool> {
        auto live = SubnetAssociation(ctx, subnet_id);
        if (!live) return MakeError(live.error());
        moved = live->association_id;
        return live->network_acl_id == network_acl_id;
      });
  if (!r) return MakeError(r.error());
  return moved.empty() ? Str(*r, "NewAssociationId") : moved;
}

std::string IsolationAclCase(const Json& tags) {
  if (TagValue(tags, "cordon:purpose") != kNaclPurpose) return {};
  return TagValue(tags, "cordon:case");
}

std::string RestoreAclOf(const Json& tags, const std::string& subnet_id) {
  return TagValue(tags, std::string(kNaclRestoreTagPrefix) + subnet_id);
}

bool AclAllowsAnything(const Json& entries) {
  if (!entries.is_array()) return false;
  for (const Json& e : entries)
    if (Str(e, "RuleAction") == "allow") return true;
  return false;
}

}  // namespace cordon::response

// Opt-in subnet isolation with a network ACL (contain --nacl; DESIGN.md rule 3: a network ACL is
// opt-in only, as it affects the whole subnet). AWS semantics relied on (VPC User Guide, "Control
// subnet traffic with network access control lists"; EC2 API Reference, ReplaceNetworkAclAssociation):
//   - a subnet is associated with exactly one network ACL; ReplaceNetworkAclAssociation moves it to
//     another one and answers a NEW association id, so a subnet is always found by its subnet id;
//   - a custom network ACL denies all traffic in and out until rules are added (its only rules are
//     the "*" deny rules, shown as rule number 32767); rules are evaluated in order, lowest number
//     first, so one allow rule anywhere would open it: the case's ACL must hold none;
//   - network ACLs are stateless: established connections are cut too, of every interface there.
//
// cordon-nacl-<case>-<vpc> is the case's network ACL in one VPC, tagged cordon:managed=true,
// cordon:purpose=nacl-isolation, cordon:case=<case>, Name. Before a subnet moves onto it, the ACL gets
// the tag cordon:restore:<subnet-id> = <the subnet's network ACL until then>, so the original is
// found again in AWS (by a rerun, or by another target of the case in the same subnet) whatever the
// journal of one target says.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"
#include "base/json.h"
#include "response/step.h"

namespace cordon::response {

inline constexpr std::string_view kNaclPurpose = "nacl-isolation";
inline constexpr std::string_view kNaclRestoreTagPrefix = "cordon:restore:";

// The network ACL a subnet is associated with now (boto3 shapes of the ACL's Tags and Entries).
struct SubnetAcl {
  std::string subnet_id;
  std::string association_id;
  std::string network_acl_id;
  Json tags = Json::array();
  Json entries = Json::array();
};

// DescribeNetworkAcls by association.subnet-id. kNotFound when the subnet has no association (on
// AWS: the subnet no longer exists).
Result<SubnetAcl> SubnetAssociation(const StepContext& ctx, const std::string& subnet_id);

// "cordon-nacl-<case>-<vpc>".
std::string CaseAclName(const std::string& case_id, const std::string& vpc_id);

// The case's network ACL in vpc_id, "" when there is none; creates nothing.
Result<std::string> FindCaseAcl(const StepContext& ctx, const std::string& case_id,
                                const std::string& vpc_id);
// Finds or creates it, and deletes any allow entry someone added to it (safe when several targets
// of one run share the VPC).
Result<std::string> EnsureCaseAcl(const StepContext& ctx, const std::string& case_id,
                                  const std::string& vpc_id);

// Moves the subnet onto `network_acl_id`, its association read by subnet id right before the call
// (serialized within the process: targets of one run may share a subnet). Returns the new
// association id, "" when the subnet already was there.
Result<std::string> MoveSubnet(const StepContext& ctx, const std::string& subnet_id,
                               const std::string& network_acl_id);

// Pure readers of an ACL's Tags and Entries.
// The case whose isolation ACL this is (cordon:case with cordon:purpose=nacl-isolation), else "".
std::string IsolationAclCase(const Json& tags);
// The cordon:restore:<subnet_id> tag: the subnet's network ACL before it moved here; "" if none.
std::string RestoreAclOf(const Json& tags, const std::string& subnet_id);
// Whether any entry allows traffic (the "*" rules and any numbered rule are all deny otherwise).
bool AclAllowsAnything(const Json& entries);

}  // namespace cordon::response

#include "posture/network_checks.h"

#include <map>
#include <set>

#include "cloud/exposure.h"
#include "posture/admin_ports.h"

namespace cordon::posture {
namespace {

struct GroupUser {
  std::string eni_id, instance_id, public_ip;
};

// Every ENI's groups: group id -> the ENIs using it.
std::map<std::string, std::vector<GroupUser>> UsersByGroup(const Json& enis) {
  std::map<std::string, std::vector<GroupUser>> users;
  for (const Json& n : Arr(enis, "NetworkInterfaces")) {
    GroupUser u{Str(n, "NetworkInterfaceId"), Str(Obj(n, "Attachment"), "InstanceId"),
                Str(Obj(n, "Association"), "PublicIp")};
    for (const Json& g : Arr(n, "Groups")) users[Str(g, "GroupId")].push_back(u);
  }
  return users;
}

// The `aws ec2 revoke-security-group-ingress` that removes exactly this rule's open range.
std::string RevokeCommand(const RegionScan& scan, const cloud::OpenRule& r) {
  Json perm = {{"IpProtocol", r.protocol == "all" ? "-1" : r.protocol}};
  if (r.from_port >= 0 && r.protocol != "all") {
    perm["FromPort"] = r.from_port;
    perm["ToPort"] = r.to_port;
  }
  if (r.cidr == "::/0")
    perm["Ipv6Ranges"] = Json::array({{{"CidrIpv6", "::/0"}}});
  else
    perm["IpRanges"] = Json::array({{{"CidrIp", "0.0.0.0/0"}}});
  return scan.Cli("ec2 revoke-security-group-ingress --group-id " + r.group_id + " --ip-permissions " +
                  ShellQuote(Json::array({perm}).dump()));
}

Finding OpenRuleFinding(const RegionScan& scan, const cloud::OpenRule& r,
                        const std::vector<GroupUser>& users) {
  std::vector<AdminPort> admin = AdminPortsOpened(r.protocol, r.from_port, r.to_port);
  Finding f;
  f.check = "sg.world_open";
  f.evidence.push_back(r.group_id);
  Json enis = Json::array();
  bool public_eni = false;
  for (const GroupUser& u : users) {
    f.evidence.push_back(u.eni_id);
    if (!u.instance_id.empty()) f.evidence.push_back(u.instance_id);
    public_eni = public_eni || !u.public_ip.empty();
    enis.push_back(
        {{"network_interface_id", u.eni_id}, {"instance_id", u.instance_id}, {"public_ip", u.public_ip}});
  }
  if (users.empty())
    f.severity = Severity::kLow;
  else if (!admin.empty())
    f.severity = public_eni ? Severity::kCritical : Severity::kHigh;
  else
    f.severity = Severity::kMedium;
  f.title = r.group_id + " (" + r.group_name + ") is open to " + r.cidr + " on " + r.PortText();
  if (!admin.empty()) f.title += ": admin ports " + DescribeAdminPorts(admin);
  f.title += users.empty()
                 ? "; no network interface uses it"
                 : "; used by " + std::to_string(users.size()) + " network interface(s)" +
                       (public_eni ? ", some with a public address" : ", none with a public address");
  Json admin_json = Json::array();
  for (const AdminPort& p : admin)
    admin_json.push_back(std::string(p.name) + " " + std::string(p.protocol) + "/" + std::to_string(p.port));
  f.details = {{"rule", cloud::ToJson(r)},
               {"admin_ports", admin_json},
               {"network_interfaces", enis},
               {"public", public_eni}};
  f.fix = RevokeCommand(scan, r);
  return f;
}

}  // namespace

void CheckSecurityGroups(RegionScan& scan) {
  auto groups = scan.CallAll("ec2", "DescribeSecurityGroups");
  if (!groups) {
    scan.NotAssessed("sg.world_open", groups.error());
    scan.NotAssessed("sg.unused", groups.error());
    return;
  }
  auto enis = scan.CallAll("ec2", "DescribeNetworkInterfaces");
  if (!enis) {
    // The open rules are still known; who uses them is not, so the severity cannot be judged.
    scan.NotAssessed("sg.world_open", enis.error());
    scan.NotAssessed("sg.unused", enis.error());
    return;
  }
  auto users = UsersByGroup(*enis);
  static const std::vector<GroupUser> kNone;
  for (const cloud::OpenRule& r : cloud::FindOpenRules(*groups)) {
    auto it = users.find(r.group_id);
    scan.Add(OpenRuleFinding(scan, r, it == users.end() ? kNone : it->second));
  }
  for (const Json& g : Arr(*groups, "SecurityGroups")) {
    std::string id = Str(g, "GroupId");
    if (Str(g, "GroupName") == "default" || users.count(id)) continue;
    Finding f;
    f.check = "sg.unused";
    f.severity = Severity::kLow;
    f.evidence = {id};
    f.title =
        id + " (" + Str(g, "GroupName") + ") in " + Str(g, "VpcId") + " is used by no network interface";
    f.details = {{"group_name", Str(g, "GroupName")}, {"vpc_id", Str(g, "VpcId")}};
    f.fix = scan.Cli("ec2 delete-security-group --group-id " + id);
    scan.Add(std::move(f));
  }
}

}  // namespace cordon::posture

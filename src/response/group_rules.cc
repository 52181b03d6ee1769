// Security group rules as cordon compares and changes them, shared by the isolation groups and the
// forensics lab.
#include "response/group_rules.h"

#include <arpa/inet.h>

#include <algorithm>

#include "response/live_state.h"

namespace cordon::response {

bool IsDuplicate(const Error& e) { return e.code.find("Duplicate") != std::string::npos; }

Status IgnoreDuplicate(const Result<Json>& r) {
  if (r || IsDuplicate(r.error())) return Ok();
  return MakeError(r.error());
}

// A CIDR in the form AWS describes it (host bits cleared, IPv6 lowercase and compressed), so that a
// source given as 2001:DB8:0::/64 matches the rule AWS reports; anything else unchanged.
std::string CanonicalCidr(const std::string& cidr) {
  const size_t slash = cidr.find('/');
  if (slash == std::string::npos) return cidr;
  const std::string addr = cidr.substr(0, slash), bits = cidr.substr(slash + 1);
  const int family = addr.find(':') != std::string::npos ? AF_INET6 : AF_INET;
  const int width = family == AF_INET6 ? 128 : 32;
  if (bits.empty() || bits.size() > 3 || bits.find_first_not_of("0123456789") != std::string::npos)
    return cidr;
  const int prefix = std::stoi(bits);
  unsigned char raw[16] = {};
  if (prefix > width || inet_pton(family, addr.c_str(), raw) != 1) return cidr;
  for (int i = 0; i < width / 8; ++i) {
    const int keep = std::clamp(prefix - i * 8, 0, 8);
    raw[i] &= static_cast<unsigned char>(0xff00 >> keep);
  }
  char text[INET6_ADDRSTRLEN] = {};
  if (inet_ntop(family, raw, text, sizeof text) == nullptr) return cidr;
  return std::string(text) + "/" + std::to_string(prefix);
}

// A described permission split into one permission per address range, prefix list or group, each
// with its key: protocol, ports and the one source, to compare with the wanted ones. The key leaves
// out what AWS adds when it describes a rule (descriptions, a pair's UserId) and the ports of an
// all-protocols rule.
std::vector<std::pair<std::string, Json>> SingleRules(const Json& perm) {
  static const std::pair<const char*, const char*> kSources[] = {{"IpRanges", "CidrIp"},
                                                                 {"Ipv6Ranges", "CidrIpv6"},
                                                                 {"PrefixListIds", "PrefixListId"},
                                                                 {"UserIdGroupPairs", "GroupId"}};
  std::vector<std::pair<std::string, Json>> out;
  Json base = {{"IpProtocol", perm.value("IpProtocol", "-1")}};
  if (base["IpProtocol"] != "-1")
    for (const char* port : {"FromPort", "ToPort"})
      if (perm.contains(port)) base[port] = perm[port];
  for (const auto& [list, field] : kSources) {
    for (const Json& item : perm.value(list, Json::array())) {
      Json one = perm, key = base;
      for (const auto& [other, unused] : kSources) one.erase(other);
      one[list] = Json::array({item});
      key[list] = CanonicalCidr(Str(item, field));
      out.emplace_back(key.dump(), one);
    }
  }
  return out;
}

Result<Json> DescribeGroup(const StepContext& ctx, const std::string& id) {
  auto out = ctx.Call("ec2", "DescribeSecurityGroups", Json{{"GroupIds", {id}}});
  if (!out) return MakeError(out.error());
  Json groups = out->value("SecurityGroups", Json::array());
  if (groups.empty()) return MakeError(ErrorKind::kNotFound, "security group " + id + " not found");
  return groups[0];
}

Status Revoke(const StepContext& ctx, const char* op, const std::string& id, const Json& rule) {
  auto r = ctx.Call("ec2", op, Json{{"GroupId", id}, {"IpPermissions", Json::array({rule})}});
  if (!r && r.error().code.find("NotFound") == std::string::npos) return MakeError(r.error());
  return Ok();
}

}  // namespace cordon::response

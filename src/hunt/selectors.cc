#include "hunt/selectors.h"

#include <algorithm>

namespace cordon::hunt {

std::vector<std::string> Selectors::AllTokens() const {
  std::vector<std::string> out;
  for (const auto* list : {&instances, &ips, &enis, &roles, &access_keys}) {
    out.insert(out.end(), list->begin(), list->end());
  }
  return out;
}

bool Selectors::IsOwnIp(std::string_view ip) const {
  return std::find(ips.begin(), ips.end(), ip) != ips.end();
}

Status ValidateSelectors(const Selectors& selectors, bool allow_none) {
  if (selectors.empty() && !allow_none) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "a hunt needs at least one selector (--instance, --ip, --eni, --role or --access-key)");
  }
  for (const std::string& value : selectors.AllTokens()) {
    if (value.empty() || value.find_first_of(" \t\r\n\"\\,") != std::string::npos) {
      return MakeError(ErrorKind::kInvalidArgument, "bad selector value '" + value + "'");
    }
  }
  for (const std::string& id : selectors.instances) {
    if (id.rfind("i-", 0) != 0)
      return MakeError(ErrorKind::kInvalidArgument, "not an instance id: '" + id + "'");
  }
  for (const std::string& id : selectors.enis) {
    if (id.rfind("eni-", 0) != 0)
      return MakeError(ErrorKind::kInvalidArgument, "not an ENI id: '" + id + "'");
  }
  for (const std::string& ip : selectors.ips) {
    const bool ip_chars = ip.find_first_not_of("0123456789abcdefABCDEF.:") == std::string::npos;
    if (!ip_chars || (ip.find('.') == std::string::npos && ip.find(':') == std::string::npos)) {
      return MakeError(ErrorKind::kInvalidArgument, "not an IP address: '" + ip + "'");
    }
  }
  if (selectors.since && selectors.until && *selectors.since > *selectors.until) {
    return MakeError(ErrorKind::kInvalidArgument, "--since is after --until");
  }
  return Ok();
}

}  // namespace cordon::hunt

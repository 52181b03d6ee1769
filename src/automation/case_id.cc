#include "automation/case_id.h"

#include "base/hash.h"

namespace cordon::automation {
namespace {

bool CaseIdChars(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_' || c == '.'))
      return false;
  return true;
}

// `part` as it is when it fits, else a digest of it: the same event always gives the same id.
std::string Fit(const std::string& head, const std::string& part) {
  if (CaseIdChars(part) && head.size() + part.size() <= 64) return head + part;
  return head + Sha256Hex(part).substr(0, 24);
}

// 2026-12-03T05:46:33Z (or 05:46:33.120Z) -> 20261203T054633Z. EventBridge writes UTC with a Z.
std::string CompactTime(const std::string& iso) {
  std::string digits;
  for (char c : iso.substr(0, 19))
    if (c >= '0' && c <= '9') digits += c;
  if (digits.size() != 14) return iso;  // not ISO 8601: Fit hashes it
  return digits.substr(0, 8) + "T" + digits.substr(8) + "Z";
}

}  // namespace

std::string CaseIdFor(const Event& event, const std::string& prefix) {
  switch (event.kind) {
    case EventKind::kGuardDutyFinding:
      return Fit(prefix + "-GD-", event.finding_id);
    case EventKind::kSecurityHubFinding:  // Ids are ARNs, so this is the digest form
      return Fit(prefix + "-SH-", event.finding_id);
    case EventKind::kTagChange:
      return Fit(prefix + "-TAG-", event.instance_id + "-" + CompactTime(event.time));
    case EventKind::kOther:
      break;
  }
  return "";
}

}  // namespace cordon::automation

#include "response/drift.h"

#include <algorithm>

namespace cordon::response {

const Json* LiveState::Eni(const std::string& id) const {
  if (!enis.is_array()) return nullptr;
  for (const Json& e : enis) {
    auto it = e.find("NetworkInterfaceId");
    if (it != e.end() && it->is_string() && it->get<std::string>() == id) return &e;
  }
  return nullptr;
}

bool DriftFindings::held() const {
  return std::any_of(findings_.begin(), findings_.end(),
                     [](const DriftFinding& f) { return f.action == DriftAction::kHeld; });
}

std::vector<std::string> DriftFindings::Lines() const {
  std::vector<std::string> out;
  for (const DriftFinding& f : findings_) out.push_back(f.Line());
  return out;
}

std::vector<std::string> DriftFindings::Lines(DriftAction action) const {
  std::vector<std::string> out;
  for (const DriftFinding& f : findings_)
    if (f.action == action) out.push_back(f.Line());
  return out;
}

}  // namespace cordon::response

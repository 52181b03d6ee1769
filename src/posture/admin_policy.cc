#include "posture/admin_policy.h"

#include "base/strings.h"

namespace cordon::posture {
namespace {

// A string or a list of strings, as IAM allows for Action and Resource.
bool HasValue(const Json& v, bool (*want)(const std::string&)) {
  if (v.is_string()) return want(v.get<std::string>());
  if (v.is_array())
    for (const Json& e : v)
      if (e.is_string() && want(e.get<std::string>())) return true;
  return false;
}

bool EveryAction(const std::string& a) { return a == "*" || a == "*:*"; }
// Action names are case-insensitive in IAM ("IAM:*" works as "iam:*").
bool EveryIamAction(const std::string& a) { return EqualsIgnoreCase(a, "iam:*"); }
bool EveryResource(const std::string& r) { return r == "*"; }

std::string StatementReason(const Json& s) {
  if (!s.is_object() || s.value("Effect", "") != "Allow") return "";
  auto action = s.find("Action");
  auto resource = s.find("Resource");
  if (action == s.end() || resource == s.end() || !HasValue(*resource, EveryResource)) return "";
  std::string reason;
  if (HasValue(*action, EveryAction))
    reason = "allows Action \"*\" on Resource \"*\"";
  else if (HasValue(*action, EveryIamAction))
    reason = "allows \"iam:*\" on Resource \"*\" (can grant itself everything)";
  else
    return "";
  if (s.contains("Condition")) reason += ", under a condition";
  if (s.contains("Sid") && s["Sid"].is_string()) reason += " (statement " + s["Sid"].get<std::string>() + ")";
  return reason;
}

}  // namespace

bool IsAdministratorAccessArn(std::string_view arn) {
  return StartsWith(arn, "arn:") && EndsWith(arn, ":iam::aws:policy/AdministratorAccess");
}

std::string AdminLikeReason(const Json& document) {
  Json doc = document;
  if (doc.is_string()) {
    doc = Json::parse(document.get<std::string>(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return "";
  }
  if (!doc.is_object()) return "";
  auto statements = doc.find("Statement");
  if (statements == doc.end()) return "";
  if (statements->is_object()) return StatementReason(*statements);
  if (!statements->is_array()) return "";
  for (const Json& s : *statements)
    if (std::string r = StatementReason(s); !r.empty()) return r;
  return "";
}

}  // namespace cordon::posture

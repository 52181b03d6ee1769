#include <cstdio>
#include <string>
#include <vector>

#include "base/json_fields.h"
#include "base/terminal_print.h"
#include "base/terminal_text.h"
#include "report/triage_report.h"

namespace cordon::report {
namespace {

// A string member of the posture's JSON (base/json_fields.h's Str) kept on one line of text: "" when
// absent or not a string.
std::string OneLineStr(const Json& j, const char* key) { return OneLine(Str(j, key)); }

std::string Joined(const Json& list) {
  std::string out;
  if (list.is_array())
    for (const Json& v : list)
      if (v.is_string()) out += (out.empty() ? "" : " ") + OneLine(v.get<std::string>());
  return out;
}

// The instance's own public addresses among the network interfaces an open group's finding lists.
std::vector<std::string> PublicAddresses(const Json& finding, const std::string& instance_id) {
  std::vector<std::string> out;
  const Json details = finding.value("details", Json::object());
  for (const Json& n : details.value("network_interfaces", Json::array()))
    if (OneLineStr(n, "instance_id") == instance_id && !OneLineStr(n, "public_ip").empty())
      out.push_back(OneLineStr(n, "public_ip") + " on " + OneLineStr(n, "network_interface_id"));
  return out;
}

}  // namespace

void PrintTriagePostureText(const Json& j, const std::string& instance_id) {
  SafePrintf(stdout, "\nPosture (its share of cordon posture: open groups, IMDS, volumes, SSM, role)\n");
  if (j.contains("error")) {
    SafePrintf(stdout, "  (could not be read: %s)\n", OneLineStr(j, "error").c_str());
    return;
  }
  const Json& findings = j["findings"];
  if (findings.empty() && j["not_assessed"].empty()) SafePrintf(stdout, "  nothing found\n");
  for (const Json& f : findings) {
    SafePrintf(stdout, "  [%s] %s\n", OneLineStr(f, "severity").c_str(), OneLineStr(f, "title").c_str());
    if (OneLineStr(f, "check") == "sg.world_open")
      for (const std::string& a : PublicAddresses(f, instance_id))
        SafePrintf(stdout, "      public:   %s\n", a.c_str());
    SafePrintf(stdout, "      check:    %s\n      evidence: %s\n      fix:      %s\n",
               OneLineStr(f, "check").c_str(), Joined(f["evidence"]).c_str(), OneLineStr(f, "fix").c_str());
  }
  for (const Json& n : j["not_assessed"])
    SafePrintf(stdout, "  not assessed (unknown, not clean): %s %s: %s\n", OneLineStr(n, "region").c_str(),
               OneLineStr(n, "check").c_str(), OneLineStr(n, "reason").c_str());
}

}  // namespace cordon::report

#include "cli/triage_posture.h"

#include <string>

#include "aws/client.h"
#include "base/terminal_text.h"
#include "posture/posture.h"

namespace cordon::cli {
namespace {

// A member of the posture's JSON as one line of text ("" when absent or not a string).
std::string Text(const Json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? OneLine(it->get<std::string>()) : "";
}

}  // namespace

TriagePosture RunTriagePosture(aws::Client& client, const std::string& region,
                               const std::string& instance_id) {
  posture::PostureOptions options;
  options.regions = {region};
  options.instance_id = instance_id;
  options.exposure_only = true;
  TriagePosture out;
  auto share = posture::PostureJson(client, options, {instance_id});
  if (!share) {
    out.json = Json{{"error", share.error().ToString()}};
    out.incomplete_reason = share.error().ToString();
    return out;
  }
  out.json = std::move(*share);
  const Json& gaps = out.json["not_assessed"];
  if (!gaps.empty()) {
    out.incomplete_reason = Text(gaps[0], "check") + " not assessed: " + Text(gaps[0], "reason");
    if (gaps.size() > 1) out.incomplete_reason += " (and " + std::to_string(gaps.size() - 1) + " more)";
  }
  return out;
}

}  // namespace cordon::cli

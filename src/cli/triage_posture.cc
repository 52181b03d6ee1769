#include "cli/triage_posture.h"

#include <string>

#include "aws/client.h"
#include "base/json_fields.h"
#include "base/terminal_text.h"
#include "posture/posture.h"

namespace cordon::cli {
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
    out.incomplete_reason =
        OneLine(Str(gaps[0], "check")) + " not assessed: " + OneLine(Str(gaps[0], "reason"));
    if (gaps.size() > 1) out.incomplete_reason += " (and " + std::to_string(gaps.size() - 1) + " more)";
  }
  return out;
}

}  // namespace cordon::cli

#include "cli/posture_case.h"

#include <algorithm>

#include "base/hash.h"
#include "base/json_fields.h"
#include "base/time.h"
#include "cli/case_flags.h"
#include "cli/output.h"
#include "response/case_paths.h"
#include "response/run_identity.h"

namespace cordon::cli {
namespace {

void AddId(std::vector<std::string>* ids, const Json& j, const char* key) {
  if (!j.is_object()) return;
  auto it = j.find(key);
  if (it == j.end() || !it->is_string() || it->get<std::string>().empty()) return;
  if (std::find(ids->begin(), ids->end(), it->get<std::string>()) == ids->end())
    ids->push_back(it->get<std::string>());
}

}  // namespace

std::vector<std::string> PreStateIds(const Json& state) {
  std::vector<std::string> ids;
  const Json instance = state.is_object() ? state.value("instance", Json::object()) : Json::object();
  AddId(&ids, instance, "InstanceId");
  AddId(&ids, instance, "VpcId");
  for (const Json& b : Arr(instance, "BlockDeviceMappings"))
    AddId(&ids, b.value("Ebs", Json::object()), "VolumeId");
  for (const Json& g : Arr(instance, "SecurityGroups")) AddId(&ids, g, "GroupId");
  for (const Json& n : Arr(state, "network_interfaces")) {
    AddId(&ids, n, "NetworkInterfaceId");
    for (const Json& g : Arr(n, "Groups")) AddId(&ids, g, "GroupId");
  }
  return ids;
}

Result<PostureCase> OpenPostureCase(CaseFlags flags) {
  if (auto s = FinishCaseFlags(&flags); !s) return MakeError(s.error());
  auto store = evidence::CaseStore::OpenExisting(response::CasesRoot(flags.cases_dir) / flags.id);
  if (!store) return MakeError(store.error());
  auto summary = (*store)->Summary();
  if (!summary) return MakeError(summary.error());
  auto pre = (*store)->pre_state().All();
  if (!pre) return MakeError(pre.error());
  PostureCase c{std::move(flags), std::move(*store), {}, ""};
  for (const std::string& t : summary->targets) {
    if (t.rfind("i-", 0) != 0) continue;
    if (c.instance.empty()) c.instance = t;
    c.share_ids.push_back(t);
  }
  for (const auto& record : *pre)
    for (std::string& id : PreStateIds(record.state))
      if (std::find(c.share_ids.begin(), c.share_ids.end(), id) == c.share_ids.end())
        c.share_ids.push_back(std::move(id));
  return c;
}

std::optional<int> StorePostureInCase(PostureCase& c, aws::Client* client, const std::string& command_line,
                                      const posture::Posture& p) {
  evidence::CaseStore& store = *c.store;
  if (auto s = response::RecordRunIdentity(store, client, {"posture", command_line, c.flags.responder}); !s)
    return ReportError(s.error());
  const posture::Posture share = posture::ShareOf(p, c.share_ids);
  Json doc = posture::ToJson(p);
  doc["case_share"] = posture::ToJson(share);
  doc["case_share"]["ids"] = c.share_ids;
  const std::string json = doc.dump(2);
  std::string instance = c.instance;
  for (const posture::SuspectView& s : p.suspect) instance = s.instance_id;
  evidence::EvidenceItem item;
  item.target = instance;
  item.kind = evidence::EvidenceKind::kFile;
  item.source = "cordon posture (security groups, instances, roles, detective controls)";
  item.collector = c.flags.responder;
  item.details = Json{{"posture", "cordon posture --output json"},
                      {"regions", p.regions},
                      {"instance", instance},
                      {"findings", p.findings.size()},
                      {"share_findings", share.findings.size()},
                      {"not_assessed", p.not_assessed.size()}};
  const std::string stamp = FormatAmzDate(SystemClock::Default()->Now());
  auto stored = store.evidence().StoreFile("posture-" + stamp + "-" + Sha256Hex(json).substr(0, 12) + ".json",
                                           json, item);
  if (!stored) return ReportError(stored.error());
  PrintInfo("posture stored in case " + c.flags.id + " as " + stored->location + " (SHA-256 " +
            stored->sha256 + ")");
  return std::nullopt;
}

}  // namespace cordon::cli

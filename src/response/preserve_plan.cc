#include "response/preserve_plan.h"

namespace cordon::response {
namespace {

std::string VolumeLine(const cloud::Volume& v) {
  return v.id + " " + v.device + " " + std::to_string(v.size_gib) + " GiB" +
         (v.encrypted ? " encrypted" : "");
}

// What no EBS snapshot holds: instance-store disks (DESIGN.md §3 rule 6), or a volume list unread.
std::vector<std::string> NotSnapshotted(const cloud::InstanceInventory& inv) {
  std::vector<std::string> out;
  if (!inv.volumes.error.empty())
    out.push_back("unknown: the volumes could not be read: " + inv.volumes.error);
  const cloud::InstanceStore& store = inv.instance_store;
  if (!store.error.empty()) {
    out.push_back("unknown whether the instance has instance-store disks: " + store.error);
  } else if (store.supported || !store.devices.empty()) {
    out.push_back("instance-store disks (" + std::to_string(store.total_gib) +
                  " GiB) cannot be snapshotted: their data is not preserved");
  }
  return out;
}

}  // namespace

std::vector<std::string> DescribePreserve(const cloud::InstanceInventory& inv, const PreservePlanRequest& r) {
  std::vector<std::string> out;
  out.push_back(r.case_exists ? "case " + r.case_id + " exists; its series continues at set " +
                                    std::to_string(r.first_set)
                              : "case " + r.case_id + " is new: it is created, and the pre-state recorded");
  for (int i = 0; i < r.count; ++i) {
    const int set = r.first_set + i;
    out.push_back("set " + std::to_string(set) + " (preserve-snapshot-" + std::to_string(set) + ", " +
                  (i == 0 ? std::string("now") : "after " + std::to_string(i * r.every.count()) + "s") +
                  "): one crash-consistent snapshot of every EBS volume, tagged cordon:set=preserve-" +
                  std::to_string(set) + ", and the instance's metadata as a case file");
  }
  for (const cloud::Volume& v : inv.volumes.items) out.push_back("volume " + VolumeLine(v));
  if (inv.volumes.error.empty() && inv.volumes.items.empty())
    out.emplace_back("no EBS volume: no disk evidence will be taken");
  for (std::string& line : NotSnapshotted(inv)) out.push_back(std::move(line));
  out.emplace_back("the instance itself is not changed");
  return out;
}

std::string FormatPreservePlan(const cloud::InstanceInventory& inv, const PreservePlanRequest& r) {
  std::string out = "Preserve plan for " + inv.target.instance_id + " (" + inv.target.region + "), case " +
                    r.case_id + ":\n";
  for (const std::string& line : DescribePreserve(inv, r)) out += "  - " + line + "\n";
  return out;
}

Json PreservePlanToJson(const cloud::InstanceInventory& inv, const PreservePlanRequest& r) {
  Json sets = Json::array();
  for (int i = 0; i < r.count; ++i)
    sets.push_back({{"set", r.first_set + i},
                    {"step", "preserve-snapshot-" + std::to_string(r.first_set + i)},
                    {"after_seconds", i * r.every.count()}});
  Json volumes = Json::array();
  for (const cloud::Volume& v : inv.volumes.items)
    volumes.push_back(
        {{"id", v.id}, {"device", v.device}, {"size_gib", v.size_gib}, {"encrypted", v.encrypted}});
  return Json{{"instance", inv.target.instance_id},
              {"region", inv.target.region},
              {"case", r.case_id},
              {"case_exists", r.case_exists},
              {"sets", std::move(sets)},
              {"volumes", std::move(volumes)},
              {"not_snapshotted", NotSnapshotted(inv)},
              {"lines", DescribePreserve(inv, r)}};
}

}  // namespace cordon::response

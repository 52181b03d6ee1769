#include <cstdio>
#include <string>
#include <vector>

#include "base/colour.h"
#include "base/strings.h"
#include "base/terminal_print.h"
#include "base/terminal_text.h"
#include "report/triage_report.h"

namespace cordon::report {
namespace {

std::string OrDash(const std::string& s) { return s.empty() ? "-" : s; }
std::string YesNo(bool b) { return b ? "yes" : "no"; }

// Every row's text holds what AWS returned (tags, names, error messages): each row on its line, whatever
// newline a tag holds (base/terminal_text.h).
void Section(const std::string& title) { SafePrintf(stdout, "\n%s\n", OneLine(title).c_str()); }
void Row(const std::string& label, const std::string& value) {
  SafePrintf(stdout, "  %-24s %s\n", OneLine(label).c_str(), OneLine(value).c_str());
}
void Line(const std::string& text) { SafePrintf(stdout, "  %s\n", OneLine(text).c_str()); }
void Failed(const std::string& error) {
  SafePrintf(stdout, "  (could not be read: %s)\n", OneLine(error).c_str());
}

// The inventory and activity sections, before the posture share and the hunt.
void PrintInventoryText(const TriageReport& report) {
  const cloud::ResolvedTarget& target = report.target;
  const cloud::InstanceInventory& inv = report.inventory;
  const cloud::Activity& act = report.activity;
  const std::string &owner = report.owner, &criticality = report.criticality;
  const auto& i = inv.instance;
  SafePrintf(stdout, "%s%s  %s  (%s, found by %s)\n", i.id.c_str(),
             i.name.empty() ? "" : (" \"" + OneLine(i.name) + "\"").c_str(), i.state.c_str(),
             inv.target.region.c_str(), inv.target.matched_by.c_str());
  if (target.uniqueness_unproven && !target.skipped_regions.empty())
    SafePrintf(stdout, "  ! other instances may have this IP: these regions could not be searched: %s\n",
               cloud::DescribeSkipped(target.skipped_regions).c_str());
  else if (!target.skipped_regions.empty())
    SafePrintf(stdout, "  (the match is definitive; these regions could not be searched: %s)\n",
               cloud::DescribeSkipped(target.skipped_regions).c_str());
  if (target.uniqueness_unproven && !target.failed_lookups.empty())
    SafePrintf(stdout,
               "  ! an instance holding this IP as an Elastic IP may be missed: these lookups failed: %s\n",
               cloud::DescribeFailedLookups(target.failed_lookups).c_str());
  else if (!target.failed_lookups.empty())
    SafePrintf(stdout, "  (the match is definitive; these lookups failed: %s)\n",
               cloud::DescribeFailedLookups(target.failed_lookups).c_str());

  auto findings = cloud::Findings(inv);
  Section("Findings");
  if (findings.empty()) Line("none");
  for (const auto& f : findings) {
    std::printf("  %s ", Paint(stdout, Colour::kFinding, "!").c_str());  // cordon's mark; the text is data
    SafePrintf(stdout, "%s\n", OneLine(f).c_str());
  }

  Section("Identity");
  Row("type", i.type);
  Row("launched", OrDash(i.launch_time));
  Row("AMI", OrDash(i.image_id));
  Row("availability zone", OrDash(i.availability_zone));
  Row("VPC / subnet", OrDash(i.vpc_id) + " / " + OrDash(i.subnet_id));
  Row("key pair", OrDash(i.key_name));
  Row("platform", OrDash(i.platform));
  Row("owner", owner.empty() ? "unknown (no owner tag)" : owner);
  Row("criticality", criticality.empty() ? "unknown (no criticality tag)" : criticality);
  std::vector<std::string> tags;
  for (const auto& [k, v] : i.tags) tags.push_back(k + "=" + v);
  Row("tags", tags.empty() ? "-" : Join(tags));

  Section("Network interfaces");
  if (!inv.network_interfaces.error.empty()) Failed(inv.network_interfaces.error);
  for (const auto& n : inv.network_interfaces.items) {
    Row(n.id, "device " + std::to_string(n.device_index) + ", " + OrDash(n.attachment_id) + ", subnet " +
                  OrDash(n.subnet_id));
    for (const auto& p : n.private_ips) {
      std::string v = p.address + (p.primary ? " (primary)" : "");
      if (!p.public_ip.empty()) v += " -> " + p.public_ip;
      if (p.primary && !n.allocation_id.empty()) v += " (Elastic IP " + n.allocation_id + ")";
      Row("  private IP", v);
    }
    std::vector<std::string> groups;
    for (const auto& g : n.groups) groups.push_back(g.id + " (" + g.name + ")");
    Row("  security groups", groups.empty() ? "-" : Join(groups));
    Row("  source/dest check", n.source_dest_check ? "on" : "off");
    Row("  delete on termination", YesNo(n.delete_on_termination));
  }
  if (!inv.elastic_ips.error.empty())
    Row("Elastic IPs", "(could not be read: " + inv.elastic_ips.error + ")");
  for (const auto& e : inv.elastic_ips.items)
    Row("Elastic IP " + e.public_ip, OrDash(e.allocation_id) + " on " + OrDash(e.network_interface_id) + " " +
                                         OrDash(e.private_ip) + " (" + OrDash(e.association_id) + ")");

  Section("Exposure to the internet");
  if (!inv.exposure.error.empty()) Failed(inv.exposure.error);
  if (inv.exposure.items.empty() && inv.exposure.error.empty()) Line("no rule open to 0.0.0.0/0 or ::/0");
  for (const auto& r : inv.exposure.items)
    SafePrintf(stdout, "  ! %s → %s  (%s %s)\n", r.cidr.c_str(), r.PortText().c_str(), r.group_id.c_str(),
               OneLine(r.group_name).c_str());

  Section("Auto Scaling and load balancers");
  const auto& a = inv.auto_scaling;
  if (!a.error.empty()) {
    Row("Auto Scaling", "(could not be read: " + a.error + ")");
  } else if (!a.member) {
    Row("Auto Scaling", "not in a group");
  } else {
    Row("Auto Scaling group", a.group_name + " (" + a.lifecycle_state + ", " + a.health_status + ")");
    Row("  min / max / desired", std::to_string(a.min_size) + " / " + std::to_string(a.max_size) + " / " +
                                     std::to_string(a.desired_capacity));
    Row("  scale-in protection", YesNo(a.protected_from_scale_in));
  }
  if (!inv.classic_load_balancers.error.empty())
    Row("classic ELBs", "(could not be read: " + inv.classic_load_balancers.error + ")");
  else
    Row("classic ELBs",
        inv.classic_load_balancers.items.empty() ? "none" : Join(inv.classic_load_balancers.items));
  if (!inv.target_groups.error.empty())
    Row("target groups", "(could not be read: " + inv.target_groups.error + ")");
  if (inv.target_groups.items.empty() && inv.target_groups.error.empty()) Row("target groups", "none");
  for (const auto& t : inv.target_groups.items)
    Row("target group " + t.name, "port " + std::to_string(t.port) + ", " + OrDash(t.health_state));

  Section("Credentials");
  const auto& p = inv.instance_profile;
  if (p.profile_arn.empty()) {
    if (!p.error.empty())
      Failed(p.error);
    else
      Line("no instance profile");
  } else {
    Row("instance profile", p.profile_arn);
    Row("  association", OrDash(p.association_id) + " (" + OrDash(p.association_state) + ")");
    if (!p.role_error.empty()) {
      Row("  role", "(could not be read: " + p.role_error + ")");
    } else {
      Row("  role", OrDash(p.role_arn));
      std::vector<std::string> attached;
      for (const auto& ap : p.attached_policies) attached.push_back(ap.name);
      Row("  attached policies", attached.empty() ? "none" : Join(attached));
      Row("  inline policies", p.inline_policies.empty() ? "none" : Join(p.inline_policies));
    }
  }

  Section("Storage");
  if (!inv.volumes.error.empty()) Failed(inv.volumes.error);
  for (const auto& v : inv.volumes.items)
    Row(v.id, OrDash(v.device) + "  " + std::to_string(v.size_gib) + " GiB " + OrDash(v.type) + ", " +
                  (v.encrypted ? "encrypted" + (v.kms_key_id.empty() ? "" : " (" + v.kms_key_id + ")")
                               : "not encrypted") +
                  ", delete on termination " + YesNo(v.delete_on_termination));
  const auto& st = inv.instance_store;
  if (!st.error.empty()) {
    std::string known;  // the instance type's answer, when it was read before the failure
    if (st.type_read)
      known = (st.supported ? std::to_string(st.total_gib) + " GiB" : "none") + " by the instance type; ";
    Row("instance store", known + "(could not be read: " + st.error + ")");
  } else if (st.supported || !st.devices.empty()) {
    Row("instance store", std::to_string(st.total_gib) + " GiB" +
                              (st.devices.empty() ? "" : ", " + Join(st.devices)) +
                              " (cannot be snapshotted)");
  } else {
    Row("instance store", "none");
  }

  Section("Protection and metadata");
  const auto& at = inv.attributes;
  if (!at.error.empty()) {
    Row("attributes", "(could not be read: " + at.error + ")");
  } else {
    Row("termination protection", at.disable_api_termination ? YesNo(*at.disable_api_termination) : "-");
    Row("stop protection", at.disable_api_stop ? YesNo(*at.disable_api_stop) : "-");
    Row("shutdown behaviour", OrDash(at.shutdown_behavior));
  }
  const auto& md = inv.metadata_options;
  Row("IMDS", "tokens " + OrDash(md.http_tokens) + ", endpoint " + OrDash(md.http_endpoint) + ", hop limit " +
                  std::to_string(md.hop_limit) + (md.imdsv1_allowed() ? "  ! IMDSv1 allowed" : ""));
  if (!inv.ssm.error.empty())
    Row("SSM", "(could not be read: " + inv.ssm.error + ")");
  else if (!inv.ssm.managed)
    Row("SSM", "not managed");
  else
    Row("SSM", "managed, " + OrDash(inv.ssm.ping_status) + ", agent " + OrDash(inv.ssm.agent_version) +
                   ", last ping " + OrDash(inv.ssm.last_ping));

  Section("CloudTrail management events since " + act.since);
  if (!act.cloudtrail_error.empty())
    Failed(act.cloudtrail_error);
  else if (act.cloudtrail.empty())
    Line("none");
  for (const auto& e : act.cloudtrail)
    SafePrintf(stdout, "  %-25s %-32s %-24s %s%s\n", OneLine(e.time).c_str(), OneLine(e.name).c_str(),
               OneLine(OrDash(e.username)).c_str(), e.matched == "session" ? "(its role session)" : "",
               e.error_code.empty() ? "" : (" " + OneLine(e.error_code)).c_str());

  Section("AWS Config history");
  if (!act.config_error.empty())
    Failed(act.config_error);
  else if (!act.config_recorder)
    Line("no configuration recorder in " + inv.target.region);
  else if (act.config.empty())
    Line("no configuration items since " + act.since);
  for (const auto& c : act.config) Row(c.capture_time, c.status);
}

}  // namespace

void PrintTriageText(const TriageReport& report) {
  PrintInventoryText(report);
  PrintTriagePostureText(report.posture, report.target.instance_id);
  if (!report.hunt.is_null()) PrintTriageHuntText(report.hunt, report.activity.since);
  if (!report.incomplete.empty()) {
    Section("Incomplete (these parts could not be read, or only in part)");
    for (const IncompletePart& p : report.incomplete) Line(p.part + ": " + p.error);
  }
}

}  // namespace cordon::report

#include "cli/triage_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "base/duration.h"
#include "base/strings.h"
#include "base/terminal_text.h"
#include "base/thread_pool.h"
#include "base/time.h"
#include "cli/aws_flags.h"
#include "cli/colour.h"
#include "cli/config_file.h"
#include "cli/exit_codes.h"
#include "cli/next_steps.h"
#include "cli/output.h"
#include "cli/parse_flags.h"
#include "cli/result_output.h"
#include "cli/terminal_print.h"
#include "cli/triage_hunt.h"
#include "cli/triage_posture.h"
#include "cloud/activity.h"
#include "cloud/instance_inventory.h"
#include "cloud/tags.h"
#include "cloud/target.h"

namespace cordon::cli {
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

// A part triage attempted that failed or was only partly read. `part` is where it sits in the JSON output
// ("inventory.volumes", "activity.cloudtrail", "hunt"); `error` is why (the AWS error code and message).
struct IncompletePart {
  std::string part, error;
};

// Every attempted part that is not complete. Parts that were not attempted (no log sources: no hunt; no
// instance profile: no role; no Config recorder: no history) are not in it.
// "target.regions" is listed when the target was found by IP but a region could not be searched: another
// instance there may have the same IP. Skipped regions after a match by id are only noted in the target.
// "target.lookups" likewise when a public-address lookup (Elastic IPs) failed: an instance holding the IP
// as an Elastic IP may be missed.
std::vector<IncompletePart> IncompleteParts(const cloud::ResolvedTarget& target,
                                            const cloud::InstanceInventory& inv, const cloud::Activity& act,
                                            const TriagePosture& posture,
                                            const std::optional<TriageHunt>& hunt) {
  std::vector<IncompletePart> parts;
  auto add = [&](const char* part, const std::string& error) {
    if (!error.empty()) parts.push_back({part, error});
  };
  if (target.uniqueness_unproven && !target.skipped_regions.empty())
    add("target.regions", "not searched, so other instances may have this IP: " +
                              cloud::DescribeSkipped(target.skipped_regions));
  if (target.uniqueness_unproven && !target.failed_lookups.empty())
    add("target.lookups", "failed, so an instance holding this IP as an Elastic IP may be missed: " +
                              cloud::DescribeFailedLookups(target.failed_lookups));
  add("inventory.network_interfaces", inv.network_interfaces.error);
  add("inventory.elastic_ips", inv.elastic_ips.error);
  add("inventory.exposure", inv.exposure.error);
  add("inventory.auto_scaling", inv.auto_scaling.error);
  add("inventory.classic_load_balancers", inv.classic_load_balancers.error);
  add("inventory.target_groups", inv.target_groups.error);
  add("inventory.instance_profile", inv.instance_profile.error);
  add("inventory.instance_profile.role", inv.instance_profile.role_error);
  add("inventory.volumes", inv.volumes.error);
  add("inventory.instance_store", inv.instance_store.error);
  add("inventory.attributes", inv.attributes.error);
  add("inventory.ssm", inv.ssm.error);
  add("activity.cloudtrail", act.cloudtrail_error);
  add("activity.config", act.config_error);
  add("posture", posture.incomplete_reason);
  if (hunt && !hunt->complete)
    add("hunt", hunt->incomplete_reason.empty() ? "incomplete" : hunt->incomplete_reason);
  return parts;
}

void PrintText(const cloud::ResolvedTarget& target, const cloud::InstanceInventory& inv,
               const cloud::Activity& act, const std::string& owner, const std::string& criticality) {
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

namespace {

struct TriageFlags {
  std::string since = "7d";
  ResultFlags result;  // --output, --query
  std::string owner_tags = "owner,team,contact", criticality_tags = "criticality,env,environment";
  bool no_hunt = false;
  HuntSources source_flags;
  // By Check: the window start and the log sources to hunt.
  TimePoint since_time;
  HuntSources sources;
};

// Before any AWS call: the window, and the configuration file (a broken one stops triage first).
Status Check(TriageFlags& f) {
  auto since_time = ParseTimeOrAgo(f.since, SystemClock::Default()->Now(), false, "--since");
  if (!since_time) return MakeError(since_time.error());
  f.since_time = *since_time;
  if (auto s = CheckResultFlags(f.result); !s) return s;
  // Source flags replace the configuration file's sources as a whole (as in `cordon hunt`); --no-hunt
  // wins over both.
  f.sources = f.no_hunt ? HuntSources{} : f.source_flags;
  if (f.sources.empty() && !f.no_hunt) {
    Result<ConfigFile> file = LoadConfigFile();
    if (!file) return MakeError(file.error());
    f.sources = file->hunt;
  }
  return Ok();
}

// YYYYMMDD in UTC, for the case id the next-step hint suggests.
std::string Today() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[16];
  std::strftime(text, sizeof text, "%Y%m%d", &utc);
  return text;
}

int Triage(const CommandContext& ctx, const TriageFlags& f) {
  auto client = ctx.Client();
  if (!client) return ReportError(client.error());
  const cloud::ResolvedTarget* target = &ctx.targets.front();
  const std::string& target_text = ctx.target_flags.texts.front();
  const std::string &owner_tags = f.owner_tags, &criticality_tags = f.criticality_tags;
  const HuntSources& sources = f.sources;
  const TimePoint since_time = f.since_time;
  Result<cloud::InstanceInventory> inv = MakeError(ErrorKind::kInternal, "not collected");
  cloud::Activity activity;
  TriagePosture posture;
  ParallelFor(3, 3, [&](size_t i) {
    if (i == 0)
      inv = cloud::CollectInventory(**client, *target);
    else if (i == 1)
      activity = cloud::CollectActivity(**client, *target, since_time);
    else
      posture = RunTriagePosture(**client, target->region, target->instance_id);
  });
  if (!inv) return ReportError(inv.error());
  // After the inventory: the hunt's selectors are the instance's addresses, ENIs and role.
  std::optional<TriageHunt> hunt;
  if (!sources.empty()) hunt = RunTriageHunt(*client, sources, TriageSelectors(*inv, since_time));

  std::string owner = cloud::FirstTagMatch(inv->instance.tags, cloud::ParseKeyList(owner_tags));
  std::string criticality = cloud::FirstTagMatch(inv->instance.tags, cloud::ParseKeyList(criticality_tags));
  const std::vector<IncompletePart> incomplete = IncompleteParts(*target, *inv, activity, posture, hunt);
  if (f.result.structured()) {
    Json incomplete_json = Json::array();
    for (const IncompletePart& p : incomplete)
      incomplete_json.push_back(Json{{"part", p.part}, {"error", p.error}});
    Json skipped = Json::array();
    for (const cloud::SkippedRegion& r : target->skipped_regions)
      skipped.push_back(Json{{"region", r.region}, {"error", r.error.ToString()}});
    Json failed_lookups = Json::array();
    for (const cloud::FailedLookup& f : target->failed_lookups)
      failed_lookups.push_back(
          Json{{"region", f.region}, {"action", f.action}, {"what", f.what}, {"error", f.error.ToString()}});
    Json findings = Json::array();
    for (const auto& f : cloud::Findings(*inv)) findings.push_back(f);
    Json out{{"target", Json{{"query", target_text},
                             {"instance_id", target->instance_id},
                             {"region", target->region},
                             {"vpc_id", target->vpc_id},
                             {"state", target->state},
                             {"terminated", target->terminated()},
                             {"matched_by", target->matched_by},
                             {"skipped_regions", skipped},
                             {"failed_lookups", failed_lookups}}},
             {"owner", owner.empty() ? Json() : Json(owner)},
             {"criticality", criticality.empty() ? Json() : Json(criticality)},
             {"findings", findings},
             {"inventory", cloud::ToJson(*inv)},
             {"activity", cloud::ToJson(activity)},
             {"posture", posture.json},
             {"hunt", hunt ? hunt->json : Json()},
             {"complete", incomplete.empty()},
             {"incomplete", incomplete_json}};
    // JSON exact (its escaping is what makes it safe); text and table neutralized by PrintResult.
    if (int status = PrintResult(out, f.result); status != kExitOk) return status;
  } else {
    PrintText(*target, *inv, activity, owner, criticality);
    PrintTriagePostureText(posture, target->instance_id);
    if (hunt) PrintTriageHuntText(*hunt, activity.since);
    if (!incomplete.empty()) {
      Section("Incomplete (these parts could not be read, or only in part)");
      for (const IncompletePart& p : incomplete) Line(p.part + ": " + p.error);
    }
  }
  PrintNextSteps(NextAfterTriage(*inv, Today()));
  if (incomplete.empty()) return kExitOk;
  // The output says what went wrong; stderr says that something did, for whoever only sees the status.
  std::vector<std::string> unread;
  for (const IncompletePart& p : incomplete)
    if (p.part != "hunt" && p.part != "posture") unread.push_back(p.part);
  if (!unread.empty())
    PrintWarning("triage is incomplete: " + Join(unread) + " could not be read; see the output");
  if (hunt && !hunt->complete)
    PrintWarning("the log hunt failed or skipped input; see its part of the output");
  if (!posture.incomplete_reason.empty())
    PrintWarning("the posture share is incomplete (" + posture.incomplete_reason +
                 "); see its part of the output");
  return kExitPartial;
}

}  // namespace

CommandBody SetupTriage(CLI::App& app) {
  app.description(
      "Read-only triage of one instance: identity, owner, network exposure, Auto Scaling and load\n"
      "balancer memberships, credentials, storage, protections, SSM and recent activity; and its share\n"
      "of `cordon posture` (open groups, IMDSv1, unencrypted volumes, role), each with its fix.");
  auto f = std::make_shared<TriageFlags>();
  app.add_option(
      "--since", f->since,
      "CloudTrail, Config and log hunt window start: 7d, 12h, 2026-01-31, or an ISO time (default 7d)");
  app.add_option("--owner-tags", f->owner_tags, "tag keys naming the owner, in order of preference");
  app.add_option("--criticality-tags", f->criticality_tags,
                 "tag keys naming the criticality, in order of preference");
  AddResultFlags(app, &f->result, "the triage");
  AddHuntSourceFlags(app, &f->source_flags);
  app.add_flag("--no-hunt", f->no_hunt,
               "skip the log hunt, even with sources in the flags or the configuration file");
  return {[f](const CommandContext& ctx) { return Triage(ctx, *f); }, [f] { return Check(*f); }};
}

}  // namespace cordon::cli

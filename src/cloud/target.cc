// Target resolution: instance id, ENI id, or an IP looked up through ENIs, Elastic IPs and
// instances, then narrowed by --vpc. Several matches are a conflict, never a guess.
#include "cloud/target.h"

#include <arpa/inet.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <tuple>

#include "aws/filters.h"
#include "base/json_fields.h"
#include "base/strings.h"
#include "base/thread_pool.h"
#include "cloud/region_fanout.h"

namespace cordon::cloud {
namespace {

bool IsHexId(const std::string& text, std::string_view prefix) {
  if (!StartsWith(text, prefix)) return false;
  std::string_view rest = std::string_view(text).substr(prefix.size());
  if (rest.size() != 8 && rest.size() != 17) return false;
  return std::all_of(rest.begin(), rest.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

bool IsIp(const std::string& text) {
  unsigned char buf[16];
  return inet_pton(AF_INET, text.c_str(), buf) == 1 || inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

// Matches found in one region: instance id -> how it matched (the first way wins).
using Matches = std::map<std::string, std::string>;

void AddMatch(Matches* m, const std::string& instance_id, const std::string& how) {
  if (!instance_id.empty()) m->emplace(instance_id, how);
}

// Collects the instances of a DescribeInstances result.
void AddInstances(const Json& out, const std::string& how, Matches* m) {
  for (const Json& r : out.value("Reservations", Json::array()))
    for (const Json& i : r.value("Instances", Json::array())) AddMatch(m, Str(i, "InstanceId"), how);
}

void AddEnis(const Json& out, const std::string& how, Matches* m) {
  for (const Json& eni : out.value("NetworkInterfaces", Json::array())) {
    auto att = eni.find("Attachment");
    if (att == eni.end()) continue;
    AddMatch(m, Str(*att, "InstanceId"), how + " of " + Str(eni, "NetworkInterfaceId"));
  }
}

// A lookup whose NotFound means "not here", and whose other failures are fatal for the region.
Result<Json> Lookup(aws::Client& client, const char* service, const char* op, Json input,
                    const std::string& region) {
  auto out = client.CallAll(service, op, std::move(input), aws::CallOptions{region, {}, false});
  if (!out && out.error().kind == ErrorKind::kNotFound) return Json::object();
  return out;
}

// Whether `ip` could be an Elastic IP or an instance's public IPv4 address. Private (RFC 1918), shared
// (RFC 6598), loopback and link-local IPv4 addresses never are, and Elastic IPs are IPv4 only: for those a
// failed public-address lookup hides nothing.
bool CouldBePublicIpv4(const std::string& ip) {
  in_addr addr{};
  if (inet_pton(AF_INET, ip.c_str(), &addr) != 1) return false;
  const uint32_t a = ntohl(addr.s_addr);
  auto in = [&](uint32_t net, int bits) { return (a >> (32 - bits)) == (net >> (32 - bits)); };
  return !(in(0x0A000000, 8) || in(0xAC100000, 12) || in(0xC0A80000, 16) || in(0x64400000, 10) ||
           in(0x7F000000, 8) || in(0xA9FE0000, 16));
}

// Lookups of `kind` in `region`. A failure of the lookups that must answer fails the region; the
// public-address lookups are best effort, and their failures go to *failed (see below).
// *described gets the DescribeInstances answer when the lookup itself was one (by instance id), so the
// caller need not describe the matches again.
Result<Matches> FindInRegion(aws::Client& client, TargetKind kind, const std::string& text,
                             const std::string& region, std::vector<FailedLookup>* failed,
                             std::optional<Json>* described) {
  Matches m;
  switch (kind) {
    case TargetKind::kInstanceId: {
      auto out =
          Lookup(client, "ec2", "DescribeInstances", Json{{"InstanceIds", Json::array({text})}}, region);
      if (!out) return tl::unexpected(out.error());
      AddInstances(*out, "instance id", &m);
      *described = *out;
      break;
    }
    case TargetKind::kEniId: {
      auto out = Lookup(client, "ec2", "DescribeNetworkInterfaces",
                        Json{{"NetworkInterfaceIds", Json::array({text})}}, region);
      if (!out) return tl::unexpected(out.error());
      AddEnis(*out, "network interface", &m);
      break;
    }
    case TargetKind::kIpAddress: {
      // Primary and secondary private IPs of every ENI (not only the instance's primary one).
      auto enis = Lookup(client, "ec2", "DescribeNetworkInterfaces",
                         aws::Filters("addresses.private-ip-address", Json::array({text})), region);
      if (!enis) return tl::unexpected(enis.error());
      AddEnis(*enis, "private IP", &m);
      auto priv = Lookup(client, "ec2", "DescribeInstances",
                         aws::Filters("private-ip-address", Json::array({text})), region);
      if (!priv) return tl::unexpected(priv.error());
      AddInstances(*priv, "private IP", &m);
      auto pub =
          Lookup(client, "ec2", "DescribeInstances", aws::Filters("ip-address", Json::array({text})), region);
      if (!pub) return tl::unexpected(pub.error());
      AddInstances(*pub, "public IP", &m);
      // Public IPs of secondary ENIs, and Elastic IPs, two ways. Each covers the Elastic IPs the other
      // would find, so neither fails the region. The ENI filter is missing from some emulators (moto
      // answers 500), so its failure alone is not reported; a failed Elastic IP lookup is (it needs
      // its own permission, ec2:DescribeAddresses), together with the ENI filter's if that failed too.
      std::optional<FailedLookup> assoc_failed;
      auto assoc = Lookup(client, "ec2", "DescribeNetworkInterfaces",
                          aws::Filters("association.public-ip", Json::array({text})), region);
      if (assoc)
        AddEnis(*assoc, "public IP", &m);
      else
        assoc_failed = FailedLookup{region, "ec2:DescribeNetworkInterfaces",
                                    "public IPs of network interfaces", assoc.error()};
      std::vector<FailedLookup> eip_failed;
      auto eips =
          Lookup(client, "ec2", "DescribeAddresses", aws::Filters("public-ip", Json::array({text})), region);
      if (!eips) {
        eip_failed.push_back({region, "ec2:DescribeAddresses", "Elastic IPs", eips.error()});
      } else {
        Json eni_ids = Json::array();
        for (const Json& a : eips->value("Addresses", Json::array())) {
          AddMatch(&m, Str(a, "InstanceId"), "Elastic IP " + Str(a, "AllocationId"));
          // An EIP associated with an ENI (not the instance) may not name the instance.
          if (Str(a, "InstanceId").empty() && !Str(a, "NetworkInterfaceId").empty())
            eni_ids.push_back(Str(a, "NetworkInterfaceId"));
        }
        if (!eni_ids.empty()) {
          auto out = Lookup(client, "ec2", "DescribeNetworkInterfaces",
                            Json{{"NetworkInterfaceIds", eni_ids}}, region);
          if (out)
            AddEnis(*out, "Elastic IP", &m);
          else
            eip_failed.push_back({region, "ec2:DescribeNetworkInterfaces",
                                  "the network interfaces of Elastic IPs", out.error()});
        }
      }
      // The Elastic IP lookup's failure first: it is the one that matters, and the error a search
      // that found nothing returns (access denied stays access denied, not the filter's 500).
      if (!eip_failed.empty() && CouldBePublicIpv4(text)) {
        for (auto& f : eip_failed) failed->push_back(std::move(f));
        if (assoc_failed) failed->push_back(std::move(*assoc_failed));
      }
      break;
    }
  }
  return m;
}

std::string Describe(const ResolvedTarget& t) {
  std::string s =
      t.instance_id + " in " + t.region + ", " + (t.vpc_id.empty() ? "no VPC" : t.vpc_id) + ", " + t.state;
  return s + " (" + t.matched_by + ")";
}

std::string RegionList(const std::vector<std::string>& regions) {
  std::string s;
  for (const auto& r : regions) s += (s.empty() ? "" : ", ") + r;
  return regions.size() > 3 ? std::to_string(regions.size()) + " regions" : s;
}

// "a public-address lookup failed, so ... may be missed: <lookups>\ngrant ec2:DescribeAddresses ...": the
// failed lookups, what they may hide, and what to do.
std::string FailedLookupsText(const std::vector<FailedLookup>& failed) {
  std::string denied;  // the actions refused, each once
  for (const auto& f : failed)
    if (f.error.kind == ErrorKind::kAccessDenied && denied.find(f.action) == std::string::npos)
      denied += (denied.empty() ? "" : " and ") + f.action;
  return std::string(failed.size() == 1 ? "a public-address lookup" : "public-address lookups") +
         " failed, so an instance holding this IP as an Elastic IP may be missed: " +
         DescribeFailedLookups(failed) + "\n" +
         (denied.empty() ? "retry later" : "grant " + denied + " (cordon iam-policy includes it)") +
         ", or use the instance id";
}

}  // namespace

Result<TargetKind> ClassifyTarget(const std::string& text) {
  if (IsHexId(text, "i-")) return TargetKind::kInstanceId;
  if (IsHexId(text, "eni-")) return TargetKind::kEniId;
  if (IsIp(text)) return TargetKind::kIpAddress;
  return MakeError(
      ErrorKind::kInvalidArgument,
      "'" + text + "' is not an instance id (i-0123456789abcdef0), an ENI id (eni-...) or an IP address");
}

Result<std::vector<std::string>> ListRegions(aws::Client& client) {
  auto out = client.Call("ec2", "DescribeRegions", Json::object());
  if (!out) return WithContext(out.error(), "listing regions");
  std::vector<std::string> regions;
  for (const Json& r : out->value("Regions", Json::array())) regions.push_back(Str(r, "RegionName"));
  std::sort(regions.begin(), regions.end());
  return regions;
}

Result<TargetSearch> FindTargets(aws::Client& client, const TargetQuery& query) {
  auto kind = ClassifyTarget(query.text);
  if (!kind) return tl::unexpected(kind.error());
  std::vector<std::string> regions = query.regions;
  if (regions.empty()) regions.push_back(client.region());

  std::mutex mu;
  TargetSearch search;
  // Indexed like `regions`, so "the first error" does not depend on which thread finished first.
  std::vector<std::optional<Error>> errors(regions.size());
  ParallelFor(regions.size(), kRegionConcurrency, [&](size_t i) {
    const std::string& region = regions[i];
    std::vector<FailedLookup> failed;
    std::optional<Json> described;
    auto matches = FindInRegion(client, *kind, query.text, region, &failed, &described);
    std::vector<ResolvedTarget> here;
    if (matches && !matches->empty()) {
      // One call fills in state and VPC for every match (ENI and EIP matches lack them); a lookup by
      // instance id already has them.
      Json ids = Json::array();
      for (const auto& [id, how] : *matches) ids.push_back(id);
      auto out = described ? Result<Json>(*described)
                           : Lookup(client, "ec2", "DescribeInstances", Json{{"InstanceIds", ids}}, region);
      if (!out) {
        matches = tl::unexpected(out.error());
      } else {
        for (const Json& r : out->value("Reservations", Json::array()))
          for (const Json& inst : r.value("Instances", Json::array())) {
            ResolvedTarget t;
            t.instance_id = Str(inst, "InstanceId");
            t.region = region;
            t.vpc_id = Str(inst, "VpcId");
            t.state = inst.contains("State") ? Str(inst["State"], "Name") : "";
            t.matched_by = (*matches)[t.instance_id];
            if (query.vpc_id.empty() || query.vpc_id == t.vpc_id) here.push_back(std::move(t));
          }
      }
    }
    std::lock_guard<std::mutex> lock(mu);
    if (!matches) {
      errors[i] = matches.error();
      return;
    }
    for (auto& t : here) search.found.push_back(std::move(t));
    for (auto& f : failed) search.failed_lookups.push_back(std::move(f));
  });
  for (size_t i = 0; i < regions.size(); ++i)
    if (errors[i]) search.skipped.push_back({regions[i], *errors[i]});
  if (search.skipped.size() == regions.size())
    return WithContext(
        search.skipped.front().error,
        "looking up " + query.text + " in " + regions.front() +
            (regions.size() > 1 ? " (all " + std::to_string(regions.size()) + " regions failed)" : ""));
  std::sort(search.found.begin(), search.found.end(), [](const ResolvedTarget& a, const ResolvedTarget& b) {
    return std::tie(a.region, a.vpc_id, a.instance_id) < std::tie(b.region, b.vpc_id, b.instance_id);
  });
  std::sort(search.skipped.begin(), search.skipped.end(),
            [](const SkippedRegion& a, const SkippedRegion& b) { return a.region < b.region; });
  // Stable: a region's failures keep their order (the Elastic IP lookup's first).
  std::stable_sort(search.failed_lookups.begin(), search.failed_lookups.end(),
                   [](const FailedLookup& a, const FailedLookup& b) { return a.region < b.region; });
  return search;
}

std::string DescribeSkipped(const std::vector<SkippedRegion>& skipped) {
  std::string s;
  for (const auto& r : skipped) s += (s.empty() ? "" : "; ") + r.region + " (" + r.error.ToString() + ")";
  return s;
}

std::string DescribeFailedLookups(const std::vector<FailedLookup>& failed) {
  std::string s;
  for (const auto& f : failed)
    s += (s.empty() ? "" : "; ") + f.action + " (" + f.what + ") in " + f.region + " (" + f.error.ToString() +
         ")";
  return s;
}

Result<ResolvedTarget> ResolveTarget(aws::Client& client, const TargetQuery& query) {
  auto search = FindTargets(client, query);
  if (!search) return tl::unexpected(search.error());
  std::vector<ResolvedTarget>& found = search->found;
  const std::vector<SkippedRegion>& skipped = search->skipped;
  std::vector<std::string> regions = query.regions;
  if (regions.empty()) regions.push_back(client.region());
  auto kind = ClassifyTarget(query.text);  // FindTargets checked it
  const std::vector<FailedLookup>& failed = search->failed_lookups;
  std::string unsearched = skipped.empty() ? "" : "could not search " + DescribeSkipped(skipped);
  if (found.empty()) {
    std::string what = *kind == TargetKind::kInstanceId ? "no instance " + query.text
                       : *kind == TargetKind::kEniId
                           ? "no network interface " + query.text + " attached to an instance"
                           : "no instance with the IP address " + query.text;
    if (!query.vpc_id.empty()) what += " in " + query.vpc_id;
    if (!skipped.empty() || !failed.empty()) {
      // Not found where we could look, which proves nothing about where (or how) we could not: the
      // failure (access denied, throttled...) is the error, not "not found".
      std::vector<std::string> answered;
      for (const auto& r : regions)
        if (std::none_of(skipped.begin(), skipped.end(),
                         [&](const SkippedRegion& s) { return s.region == r; }))
          answered.push_back(r);
      Error e = !skipped.empty() ? skipped.front().error : failed.front().error;
      e.message = what + " in " + RegionList(answered);
      if (!skipped.empty())
        e.message += ", but " + unsearched +
                     "\nfix access to those regions, or pass --region REGION if the instance is elsewhere";
      if (!failed.empty()) e.message += (skipped.empty() ? ", but " : "\nand ") + FailedLookupsText(failed);
      return tl::unexpected(std::move(e));
    }
    return MakeError(ErrorKind::kNotFound,
                     what + " in " + RegionList(regions) +
                         (query.regions.size() > 1 ? "" : " (--all-regions searches every region)"));
  }
  if (found.size() > 1) {
    std::string msg = query.text + " matches " + std::to_string(found.size()) + " instances:";
    for (const auto& t : found) msg += "\n  " + Describe(t);
    if (!skipped.empty()) msg += "\nand perhaps more: " + unsearched;
    if (!failed.empty())
      msg += "\nand perhaps more: the lookups " + DescribeFailedLookups(failed) + " failed";
    msg += "\nnarrow it with --vpc VPC_ID";
    if (regions.size() > 1) msg += " or --region REGION";
    return MakeError(ErrorKind::kAmbiguous, msg);
  }
  ResolvedTarget t = std::move(found.front());
  t.skipped_regions = std::move(search->skipped);
  t.failed_lookups = std::move(search->failed_lookups);
  t.uniqueness_unproven = *kind == TargetKind::kIpAddress && query.vpc_id.empty() &&
                          (!t.skipped_regions.empty() || !t.failed_lookups.empty());
  return t;
}

Status RequireDefinitive(const ResolvedTarget& target, const std::string& query_text) {
  if (!target.uniqueness_unproven) return Ok();
  std::string msg = query_text + " matches " + Describe(target) + ", but ";
  const size_t n = target.skipped_regions.size();
  if (n > 0)
    msg += std::to_string(n) + (n == 1 ? " region" : " regions") +
           " could not be searched, and another instance there may have the same IP: " +
           DescribeSkipped(target.skipped_regions) + "\nnarrow the search with --region " + target.region +
           " or --vpc " + (target.vpc_id.empty() ? "VPC_ID" : target.vpc_id) +
           " (or use the instance id), or fix access to those regions";
  if (!target.failed_lookups.empty())
    msg += (n > 0 ? "\nand " : "") + FailedLookupsText(target.failed_lookups) + " (or narrow with --vpc " +
           (target.vpc_id.empty() ? "VPC_ID" : target.vpc_id) + ")";
  return MakeError(ErrorKind::kAmbiguous, msg);
}

}  // namespace cordon::cloud

#include "cli/target_flags.h"

#include <algorithm>
#include <fstream>

#include "base/strings.h"

namespace cordon::cli {

void AddTargetFlags(CLI::App& app, TargetFlags* flags, bool one) {
  if (one) {
    app.add_option("TARGET", flags->texts, "instance id, public or private IP, or ENI id")
        ->required()
        ->expected(1);
  } else {
    app.add_option("TARGET", flags->texts,
                   "instance id, public or private IP, or ENI id; several run concurrently");
    app.add_option("--targets-file", flags->targets_file,
                   "read more targets from this file, one per line (# comments)");
  }
  app.add_option("--vpc", flags->vpc, "narrow an IP target to this VPC");
  app.add_flag("--all-regions", flags->all_regions, "search every enabled region (concurrently)");
}

Status ReadTargetsFile(TargetFlags* flags) {
  if (!flags->targets_file.empty()) {
    std::ifstream in(flags->targets_file);
    if (!in)
      return MakeError(ErrorKind::kInvalidArgument, "cannot read the targets file " + flags->targets_file);
    std::string line;
    while (std::getline(in, line)) {
      std::string t(Trim(line));
      if (!t.empty() && t[0] != '#') flags->texts.push_back(t);
    }
  }
  return Ok();
}

Status RequireTargets(const TargetFlags& flags) {
  if (flags.texts.empty())
    return MakeError(ErrorKind::kInvalidArgument,
                     "no target: give instance ids, IPs or ENI ids, or --targets-file");
  return Ok();
}

Result<std::vector<cloud::ResolvedTarget>> ResolveTargets(aws::Client& client, const TargetFlags& flags,
                                                          bool acts) {
  cloud::TargetQuery query;
  query.regions = {client.region()};
  query.vpc_id = flags.vpc;
  if (flags.all_regions) {
    auto regions = cloud::ListRegions(client);
    if (!regions) return MakeError(regions.error());
    query.regions = *regions;
  }
  std::vector<cloud::ResolvedTarget> out;
  for (const std::string& text : flags.texts) {
    query.text = text;
    auto target = cloud::ResolveTarget(client, query);
    if (!target) return MakeError(target.error());
    // Found by IP while a region could not be searched: another instance may have the IP, so this
    // one is not proven to be the one meant. Acting on it anyway is a guess.
    if (acts) {
      if (auto s = cloud::RequireDefinitive(*target, text); !s) return MakeError(s.error());
    }
    if (acts && target->terminated())
      return MakeError(ErrorKind::kConflict, "instance " + target->instance_id + " is " + target->state +
                                                 ": there is nothing left to act on");
    bool seen = std::any_of(out.begin(), out.end(), [&](const cloud::ResolvedTarget& t) {
      return t.instance_id == target->instance_id;
    });
    if (!seen) out.push_back(std::move(*target));
  }
  return out;
}

}  // namespace cordon::cli

#include "cli/target_flags.h"

#include <algorithm>
#include <fstream>
#include <set>

#include "base/strings.h"
#include "base/thread_pool.h"
#include "cli/organization_accounts.h"
#include "cli/output.h"
#include "cli/target_accounts.h"

namespace cordon::cli {

void AddTargetFlags(CLI::App& app, TargetFlags* flags, bool one, bool accounts) {
  if (one) {
    app.add_option("TARGET", flags->texts, "instance id, public or private IP, or ENI id")
        ->required()
        ->expected(1);
  } else {
    app.add_option("TARGET", flags->texts,
                   "instance id, public or private IP, or ENI id; several run concurrently");
    app.add_option("--targets-file", flags->targets_file,
                   "read more targets from this file, one per line: TARGET [region=REGION] "
                   "[account=ACCOUNT_ID] (# comments)");
  }
  app.add_option("--vpc", flags->vpc, "narrow an IP target to this VPC");
  app.add_flag("--all-regions", flags->all_regions, "search every enabled region (concurrently)");
  if (!accounts) return;
  app.add_option("--accounts", flags->accounts,
                 "also search these accounts (comma-separated ids), assuming --role-name in each")
      ->delimiter(',');
  app.add_flag("--organization", flags->organization,
               "also search every active account of the profile's organization (Organizations ListAccounts; "
               "the management or a delegated administrator account), assuming --role-name in each");
  app.add_option("--role-name", flags->role_name,
                 "the role assumed in each of --accounts or --organization (and a targets file's account=)");
}

Status ReadTargetsFile(TargetFlags* flags) {
  if (!flags->targets_file.empty()) {
    std::ifstream in(flags->targets_file);
    if (!in)
      return MakeError(ErrorKind::kInvalidArgument, "cannot read the targets file " + flags->targets_file);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      std::string t(Trim(line));
      if (t.empty() || t[0] == '#') continue;
      auto parsed = ParseTargetLine(t);
      if (!parsed)
        return MakeError(ErrorKind::kInvalidArgument,
                         flags->targets_file + ":" + std::to_string(number) + ": " + parsed.error().message);
      flags->texts.push_back(parsed->first);
      if (!parsed->second.region.empty() || !parsed->second.account.empty())
        flags->hints[parsed->first] = parsed->second;
    }
  }
  return Ok();
}

Status CheckAccountFlags(const TargetFlags& flags) {
  const bool named = std::any_of(flags.hints.begin(), flags.hints.end(),
                                 [](const auto& h) { return !h.second.account.empty(); });
  if (flags.organization && !flags.accounts.empty())
    return MakeError(ErrorKind::kInvalidArgument,
                     "--organization and --accounts are mutually exclusive: --organization already searches "
                     "every active account of the organization");
  const bool others = !flags.accounts.empty() || named || flags.organization;
  if (others && flags.role_name.empty())
    return MakeError(ErrorKind::kInvalidArgument,
                     std::string(named                ? "a targets file's account="
                                 : flags.organization ? "--organization"
                                                      : "--accounts") +
                         " needs --role-name ROLE: the role cordon assumes in each account");
  if (!others && !flags.role_name.empty())
    return MakeError(ErrorKind::kInvalidArgument,
                     "--role-name goes with --accounts or --organization (or account= in a targets file)");
  for (const std::string& a : flags.accounts) {
    auto parsed = ParseTargetLine("x account=" + a);
    if (!parsed)
      return MakeError(ErrorKind::kInvalidArgument, "--accounts " + a + ": an account id is 12 digits");
  }
  return Ok();
}

Status RequireTargets(const TargetFlags& flags) {
  if (flags.texts.empty())
    return MakeError(ErrorKind::kInvalidArgument,
                     "no target: give instance ids, IPs or ENI ids, or --targets-file");
  return Ok();
}

namespace {

// The places a run may search: the profile's account first, then each --accounts entry (or, with
// --organization, each other active account of the organization) and each account a targets-file
// line names, each through its own assumed-role client. Fails only when the organization cannot
// be listed.
Result<std::vector<AccountPlace>> MakePlaces(aws::Client& client, const TargetFlags& flags,
                                             const std::string& case_id) {
  std::vector<AccountPlace> places(1);
  auto add = [&](const std::string& account) {
    for (const AccountPlace& p : places)
      if (p.account == account) return;
    AccountPlace p;
    p.account = account;
    p.role_arn = RoleArnFor(account, flags.role_name, client.region());
    p.client = aws::MakeAssumedRoleClient(client, p.role_arn, SessionNameFor(case_id));
    places.push_back(std::move(p));
  };
  for (const std::string& a : flags.accounts) add(a);
  if (flags.organization) {
    auto members = OrganizationAccounts(client);
    if (!members) return tl::unexpected(members.error());
    for (const std::string& a : *members) add(a);
  }
  for (const auto& [text, hint] : flags.hints)
    if (!hint.account.empty()) add(hint.account);
  return places;
}

// Says once per run of each account that could not be searched (its role not assumable, say) while a
// target was found elsewhere: the run goes on without it, as it does for --accounts.
void WarnUnsearched(const std::vector<AccountAnswer>& answers, std::set<const AccountPlace*>* warned) {
  for (const AccountAnswer& a : answers) {
    if (a.result || a.result.error().kind == ErrorKind::kNotFound || !warned->insert(a.place).second)
      continue;
    const std::string name =
        a.place->role_arn.empty() ? "the profile's account" : "account " + a.place->account;
    PrintWarning("could not search " + name + ": " + a.result.error().ToString());
  }
}

aws::Client& ClientOf(aws::Client& client, const AccountPlace& place) {
  return place.client ? *place.client : client;
}

// The regions to search in each place: the client's, or (--all-regions) every enabled one, listed
// in all places concurrently. A place whose regions cannot be listed keeps the error, for every
// target looked for there.
std::vector<Result<std::vector<std::string>>> PlaceRegions(aws::Client& client, const TargetFlags& flags,
                                                           const std::vector<AccountPlace>& places) {
  std::vector<Result<std::vector<std::string>>> regions(places.size(),
                                                        std::vector<std::string>{client.region()});
  if (!flags.all_regions) return regions;
  ParallelFor(places.size(), 8, [&](size_t i) {
    auto listed = cloud::ListRegions(ClientOf(client, places[i]));
    regions[i] = listed ? Result<std::vector<std::string>>(*listed) : MakeError(listed.error());
  });
  return regions;
}

}  // namespace

Result<std::vector<cloud::ResolvedTarget>> ResolveTargets(aws::Client& client, const TargetFlags& flags,
                                                          bool acts, const std::string& case_id,
                                                          std::map<std::string, TargetAccount>* accounts) {
  auto made = MakePlaces(client, flags, case_id);
  if (!made) return tl::unexpected(made.error());
  const std::vector<AccountPlace>& places = *made;
  const auto regions = PlaceRegions(client, flags, places);
  std::vector<cloud::ResolvedTarget> out;
  std::set<const AccountPlace*> warned;
  for (const std::string& text : flags.texts) {
    auto hint = flags.hints.find(text);
    const TargetHint named = hint == flags.hints.end() ? TargetHint{} : hint->second;
    // account= names the one place to look; otherwise every place, concurrently.
    std::vector<AccountAnswer> answers;
    for (const AccountPlace& p : places)
      if (named.account.empty() || p.account == named.account)
        answers.push_back({&p, MakeError(ErrorKind::kNotFound, "not searched")});
    ParallelFor(answers.size(), 8, [&](size_t i) {
      const auto& where = regions[static_cast<size_t>(answers[i].place - places.data())];
      if (!where && named.region.empty()) {
        answers[i].result = MakeError(where.error());
        return;
      }
      cloud::TargetQuery query;
      query.text = text;
      query.vpc_id = flags.vpc;
      query.regions = named.region.empty() ? *where : std::vector<std::string>{named.region};
      answers[i].result = cloud::ResolveTarget(ClientOf(client, *answers[i].place), query);
    });
    // One place (the profile's account alone, as before --accounts): its answer as it is.
    auto one = answers.size() > 1 ? CombineAccountAnswers(text, flags.vpc, answers, acts)
               : answers.front().result
                   ? Result<std::pair<cloud::ResolvedTarget, const AccountPlace*>>(
                         std::pair{std::move(*answers.front().result), answers.front().place})
                   : MakeError(answers.front().result.error());
    if (!one) return MakeError(one.error());
    WarnUnsearched(answers, &warned);
    cloud::ResolvedTarget& target = one->first;
    // Found by IP while a region could not be searched: another instance may have the IP, so this
    // one is not proven to be the one meant. Acting on it anyway is a guess.
    if (acts) {
      if (auto s = cloud::RequireDefinitive(target, text); !s) return MakeError(s.error());
    }
    if (acts && target.terminated())
      return MakeError(ErrorKind::kConflict, "instance " + target.instance_id + " is " + target.state +
                                                 ": there is nothing left to act on");
    bool seen = std::any_of(out.begin(), out.end(), [&](const cloud::ResolvedTarget& t) {
      return t.instance_id == target.instance_id;
    });
    if (seen) continue;
    const AccountPlace& place = *one->second;
    if (place.client)
      accounts->emplace(target.instance_id, TargetAccount{place.account, place.role_arn, place.client});
    out.push_back(std::move(target));
  }
  return out;
}

}  // namespace cordon::cli

// The instance claim protocol (see instance_claim.h and docs/concurrency.md for why it is race-free).
#include "response/instance_claim.h"

#include <map>
#include <optional>

#include "base/time.h"
#include "cloud/instances_by_id.h"
#include "response/live_state.h"

namespace cordon::response {
namespace {

// The tags as the protocol reads them.
struct View {
  std::string established;                   // cordon:case=X with incident-response=quarantine:X
  std::map<std::string, std::string> live;   // case -> claim time
  std::map<std::string, std::string> stale;  // claims of the released case
};

View ViewOf(const Json& tags) {
  View v;
  const std::string ir = TagValue(tags, "incident-response");
  const std::string cc = TagValue(tags, "cordon:case");
  if (!cc.empty() && ir == "quarantine:" + cc) v.established = cc;
  for (const Json& t : tags) {
    const std::string key = Str(t, "Key");
    if (key.rfind(kClaimTagPrefix, 0) != 0 || key.size() == kClaimTagPrefix.size()) continue;
    std::string id = key.substr(kClaimTagPrefix.size());
    (ir == "released:" + id ? v.stale : v.live)[id] = Str(t, "Value");
  }
  return v;
}

// Whether claim a comes before claim b: earlier time, then smaller case id. Times that do not parse
// sort first (any fixed order keeps the protocol safe; see docs/concurrency.md).
bool Earlier(const std::pair<std::string, std::string>& a, const std::pair<std::string, std::string>& b) {
  auto ta = ParseTimestamp(a.second), tb = ParseTimestamp(b.second);
  TimePoint za = ta.value_or(TimePoint{}), zb = tb.value_or(TimePoint{});
  if (za != zb) return za < zb;
  return a.first < b.first;
}

// The earliest live claim, skipping `except`.
std::optional<std::pair<std::string, std::string>> EarliestClaim(const View& v,
                                                                 const std::string& except = "") {
  std::optional<std::pair<std::string, std::string>> best;
  for (const auto& c : v.live)
    if (c.first != except && (!best || Earlier(c, *best))) best = c;
  return best;
}

ClaimState StateOf(const View& v) {
  ClaimState s;
  if (!v.established.empty()) {
    s.holder_case = v.established;
    s.contained = true;
    auto it = v.live.find(v.established);
    if (it != v.live.end()) s.since = it->second;
  } else if (auto c = EarliestClaim(v)) {
    s.holder_case = c->first;
    s.since = c->second;
  }
  return s;
}

Status Tag(aws::Client& client, const cloud::ResolvedTarget& target, const std::string& op, Json tags) {
  aws::CallOptions o;
  o.region = target.region;
  auto out = client.Call("ec2", op, Json{{"Resources", {target.instance_id}}, {"Tags", std::move(tags)}}, o);
  if (!out) return MakeError(out.error());
  return Ok();
}

std::string ClaimKey(const std::string& id) { return std::string(kClaimTagPrefix) + id; }

tl::unexpected<Error> HeldBy(const cloud::ResolvedTarget& target, const std::string& holder,
                             const std::string& since, bool racing = false) {
  std::string msg = "instance " + target.instance_id +
                    (racing ? " is being claimed at the same time by case " : " is claimed by case ") +
                    holder;
  if (!since.empty()) msg += " (since " + since + ")";
  msg += "; contain it under that case, or pass --take-over " + holder + " to move it to this case";
  return MakeError(ErrorKind::kConflict, msg);
}

}  // namespace

Result<Json> ReadInstanceTags(aws::Client& client, const cloud::ResolvedTarget& target) {
  auto instance = cloud::DescribeInstanceById(client, target.region, target.instance_id);
  if (!instance) return MakeError(instance.error());
  return instance->value("Tags", Json::array());
}

ClaimState ClaimFromTags(const Json& tags) { return StateOf(ViewOf(tags)); }

Result<ClaimState> ReadClaim(aws::Client& client, const cloud::ResolvedTarget& target) {
  auto tags = ReadInstanceTags(client, target);
  if (!tags) return MakeError(tags.error());
  return ClaimFromTags(*tags);
}

Result<ClaimState> ClaimInstance(aws::Client& client, const cloud::ResolvedTarget& target,
                                 const std::string& case_id, const std::string& take_over_case,
                                 const ClaimOptions& options) {
  if (auto ok = evidence::ValidateCaseId(case_id); !ok) return MakeError(ok.error());
  if (take_over_case == case_id)
    return MakeError(ErrorKind::kInvalidArgument,
                     "--take-over " + take_over_case + " names this case itself");
  auto tags = ReadInstanceTags(client, target);
  if (!tags) return MakeError(tags.error());
  View view = ViewOf(*tags);
  ClaimState now = StateOf(view);

  // The claims of a released case are leftovers: remove them so they never look live again
  // (a later case's quarantine tag replaces the released:<CASE> value that marks them stale).
  if (!view.stale.empty()) {
    Json del = Json::array();
    for (const auto& [id, since] : view.stale) del.push_back(Json{{"Key", ClaimKey(id)}, {"Value", since}});
    if (auto ok = Tag(client, target, "DeleteTags", del); !ok) return MakeError(ok.error());
  }

  if (view.established == case_id) return now;  // a rerun of the holder

  std::string mine;  // our claim's time
  ClaimState result;
  if (now.holder_case == case_id) {
    // Our claim is the earliest live one (a rerun after a crash before the tag step, or after a
    // take-over that did not reach it): keep it and settle as after a fresh write.
    mine = now.since;
  } else if (!take_over_case.empty()) {
    if (now.holder_case != take_over_case)
      return MakeError(ErrorKind::kInvalidArgument,
                       "--take-over " + take_over_case + ": instance " + target.instance_id +
                           (now.holder_case.empty()
                                ? " is not claimed by any case"
                                : " is claimed by case " + now.holder_case + ", not " + take_over_case));
    // Our claim first, then the old one goes, then cordon:case moves: a crash between any two
    // leaves a state a rerun of either case reads consistently (docs/concurrency.md).
    mine = FormatIso8601(client.clock()->Now());
    if (auto ok = Tag(client, target, "CreateTags",
                      Json::array({Json{{"Key", ClaimKey(case_id)}, {"Value", mine}}}));
        !ok)
      return MakeError(ok.error());
    Json del = Json::array({Json{{"Key", ClaimKey(take_over_case)}}});
    if (auto ok = Tag(client, target, "DeleteTags", del); !ok) return MakeError(ok.error());
    if (auto ok = Tag(client, target, "CreateTags",
                      Json::array({Json{{"Key", "cordon:case"}, {"Value", case_id}}}));
        !ok)
      return MakeError(ok.error());
    result.taken_over_from = take_over_case;
  } else {
    if (!now.holder_case.empty()) {
      // Held or claimed by another case. A claim of ours left by a crashed run goes with us.
      if (auto own = view.live.find(case_id); own != view.live.end())
        (void)Tag(client, target, "DeleteTags",
                  Json::array({Json{{"Key", ClaimKey(case_id)}, {"Value", own->second}}}));
      return HeldBy(target, now.holder_case, now.since);
    }
    mine = FormatIso8601(client.clock()->Now());
    if (auto ok = Tag(client, target, "CreateTags",
                      Json::array({Json{{"Key", ClaimKey(case_id)}, {"Value", mine}}}));
        !ok)
      return MakeError(ok.error());
  }

  // Win only on a read after our write that shows nobody else (docs/concurrency.md, "Why").
  auto withdraw = [&]() {
    (void)Tag(client, target, "DeleteTags", Json::array({Json{{"Key", ClaimKey(case_id)}, {"Value", mine}}}));
  };
  std::optional<std::pair<std::string, std::string>> other;
  for (int poll = 0;; ++poll) {
    auto again = ReadInstanceTags(client, target);
    if (!again) return MakeError(again.error());  // our claim stays: a rerun continues with it
    View v = ViewOf(*again);
    if (!v.established.empty() && v.established != case_id) {
      withdraw();
      return HeldBy(target, v.established, v.live.count(v.established) ? v.live[v.established] : "");
    }
    if (!v.live.count(case_id)) {  // someone removed our claim (a take-over of this case)
      ClaimState s = StateOf(v);
      if (s.holder_case.empty())
        return MakeError(ErrorKind::kConflict, "the claim of case " + case_id + " on instance " +
                                                   target.instance_id +
                                                   " was removed while claiming it; rerun");
      return HeldBy(target, s.holder_case, s.since);
    }
    other = EarliestClaim(v, case_id);
    if (!other) break;  // alone: won
    const std::pair<std::string, std::string> me{case_id, v.live[case_id]};
    if (!Earlier(me, *other)) {
      withdraw();
      return HeldBy(target, other->first, other->second, /*racing=*/true);
    }
    if (poll >= options.settle_polls) {
      withdraw();
      return HeldBy(target, other->first, other->second, /*racing=*/true);
    }
    client.clock()->SleepFor(options.settle_interval);
  }
  result.holder_case = case_id;
  result.since = mine;
  return result;
}

Status RecordTakeOver(evidence::CaseStore& store, const std::filesystem::path& cases_root,
                      const std::string& instance_id, const ClaimState& claim, const std::string& responder) {
  const std::string& from = claim.taken_over_from;
  if (from.empty()) return Ok();
  const std::string to = store.id();
  Json take_over{{"instance", instance_id},
                 {"from", from},
                 {"to", to},
                 {"responder", responder},
                 {"since", claim.since}};
  std::string other_note;
  auto old_case = evidence::CaseStore::OpenExisting(cases_root / from);
  if (old_case) {
    auto seq = (*old_case)->journal().Append(
        evidence::kind::kNote, instance_id, "",
        Json{{"text", "instance " + instance_id + " was taken over by case " + to + " (responder " +
                          responder + "); this case no longer holds it"},
             {"take_over", take_over}});
    other_note = seq ? "recorded in case " + from + " at seq " + std::to_string(*seq)
                     : "could not be recorded in case " + from + ": " + seq.error().message;
  } else if (old_case.error().kind == ErrorKind::kNotFound) {
    other_note = "case " + from + " is not on this machine (" + (cases_root / from).string() +
                 "); its journal does not record the take-over";
  } else {
    other_note = "could not open case " + from + ": " + old_case.error().message;
  }
  take_over["other_case"] = other_note;
  auto seq = store.journal().Append(
      evidence::kind::kNote, instance_id, "",
      Json{{"text", "instance " + instance_id + " taken over from case " + from + "; " + other_note},
           {"take_over", take_over}});
  if (!seq) return MakeError(seq.error());
  return Ok();
}

}  // namespace cordon::response

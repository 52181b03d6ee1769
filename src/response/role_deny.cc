#include "response/role_deny.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <optional>

#include "base/json_fields.h"
#include "response/live_state.h"

namespace cordon::response {
namespace {

constexpr std::string_view kDenySid = "CordonDenyContainedInstances";
constexpr std::string_view kRevokeSid = "CordonRevokeOlderSessions";
constexpr std::string_view kKey = "ec2:SourceInstanceARN";

Json Statements(const Json& doc) {
  if (!doc.is_object() || !doc.contains("Statement")) return Json::array();
  const Json& s = doc["Statement"];
  return s.is_array() ? s : Json::array({s});
}

const Json* StatementBySid(const Json& statements, std::string_view sid) {
  for (const Json& s : statements)
    if (s.is_object() && Str(s, "Sid") == sid) return &s;
  return nullptr;
}

}  // namespace

std::optional<RunDenies::Put> RunDenies::Find(const std::string& role, const std::string& policy) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = puts_.find({role, policy});
  if (it == puts_.end()) return std::nullopt;
  return it->second;
}

void RunDenies::Wrote(const std::string& role, const std::string& policy, bool ok, const Json& doc) {
  std::lock_guard<std::mutex> lock(mu_);
  if (ok) {
    puts_[{role, policy}] = Put{doc, true};
  } else if (auto it = puts_.find({role, policy}); it != puts_.end()) {
    it->second.certain = false;
  }
}

std::string LastPathPart(const std::string& arn) {
  size_t slash = arn.rfind('/');
  return slash == std::string::npos ? arn : arn.substr(slash + 1);
}

std::string DenyPolicyName(const std::string& case_id) { return "cordon-deny-" + case_id; }

// ec2:SourceInstanceARN holds the ARN of the instance the role's credentials were delivered to,
// arn:<partition>:ec2:<region>:<account>:instance/<id>, set by EC2, whoever uses the credentials.
// StringLike matches the whole value, so "*/i-X" matches the ARNs ending in "/i-X": only i-X's, as
// the "/" keeps it from matching a longer id. Partition, region and account add nothing: an instance
// profile serves instances of its own account only, and instance ids are unique. It is exact and
// costs 24 characters per instance in the document; ArnLike "arn:aws:ec2:*:*:instance/i-X" is
// exact too but costs 47, so that 200 instances alone would take 9,400 of the role's 10,240.
std::string DenyEntry(const std::string& instance_id) { return "*/" + instance_id; }

std::vector<std::string> DenyEntries(const Json& doc) {
  std::vector<std::string> out;
  const Json statements = Statements(doc);
  const Json* deny = StatementBySid(statements, kDenySid);
  if (deny == nullptr) return out;
  // A document anyone with iam:PutRolePolicy may have edited: read with json_fields, which never throws.
  const Json& like = Obj(Obj(*deny, "Condition"), "StringLike");
  const Json v = like.contains(kKey) ? like[kKey] : Json();
  if (v.is_string()) out.push_back(v.get<std::string>());
  if (v.is_array())
    for (const Json& e : v)
      if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

std::string RevokedBefore(const Json& doc) {
  const Json statements = Statements(doc);
  const Json* revoke = StatementBySid(statements, kRevokeSid);
  if (revoke == nullptr) return "";
  return Str(Obj(Obj(*revoke, "Condition"), "DateLessThan"), "aws:TokenIssueTime");
}

Json DenyDocument(std::vector<std::string> entries, const std::string& revoke_before) {
  std::sort(entries.begin(), entries.end());
  entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
  Json statements = Json::array();
  if (!entries.empty())
    statements.push_back(Json{{"Sid", kDenySid},
                              {"Effect", "Deny"},
                              {"Action", "*"},
                              {"Resource", "*"},
                              {"Condition", {{"StringLike", {{kKey, entries}}}}}});
  if (!revoke_before.empty())
    statements.push_back(Json{{"Sid", kRevokeSid},
                              {"Effect", "Deny"},
                              {"Action", "*"},
                              {"Resource", "*"},
                              {"Condition", {{"DateLessThan", {{"aws:TokenIssueTime", revoke_before}}}}}});
  return Json{{"Version", "2012-10-17"}, {"Statement", statements}};
}

Json MergeDeny(const Json& doc, const std::vector<std::string>& add, const std::string& revoke_before) {
  std::vector<std::string> entries = DenyEntries(doc);
  entries.insert(entries.end(), add.begin(), add.end());
  // ISO 8601 UTC times of one format compare as strings.
  std::string revoke = std::max(RevokedBefore(doc), revoke_before);
  return DenyDocument(std::move(entries), revoke);
}

Json WithoutEntry(const Json& doc, const std::string& entry) {
  std::vector<std::string> entries = DenyEntries(doc);
  entries.erase(std::remove(entries.begin(), entries.end(), entry), entries.end());
  // The revoke was asked for the role while the case holds it; it goes with the last instance.
  return DenyDocument(entries, entries.empty() ? "" : RevokedBefore(doc));
}

size_t IamPolicySize(std::string_view text) {
  return static_cast<size_t>(std::count_if(
      text.begin(), text.end(), [](char c) { return !std::isspace(static_cast<unsigned char>(c)); }));
}

size_t IamDocumentSize(const Json& doc) { return IamPolicySize(doc.dump()); }

std::mutex& RoleDenyLock(const std::string& role) {
  static std::mutex registry_mu;
  static auto* locks = new std::map<std::string, std::unique_ptr<std::mutex>>;  // never destroyed
  std::lock_guard<std::mutex> lock(registry_mu);
  auto& mu = (*locks)[role];
  if (!mu) mu = std::make_unique<std::mutex>();
  return *mu;
}

Result<Json> ReadRolePolicy(const StepContext& ctx, const std::string& role, const std::string& policy) {
  auto got = ctx.Call("iam", "GetRolePolicy", Json{{"RoleName", role}, {"PolicyName", policy}});
  if (!got && IsNotFoundError(got.error())) return Json();
  if (!got) return MakeError(got.error());
  Json doc = got->value("PolicyDocument", Json());
  // The wire layer decodes documents as botocore does; one that did not parse stays text.
  if (doc.is_string()) doc = Json::parse(doc.get<std::string>(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object())
    return MakeError(ErrorKind::kParse, "inline policy " + policy + " of role " + role + " is not JSON");
  return doc;
}

Status AddDenyEntry(const StepContext& ctx, const std::string& role, const std::string& policy,
                    const std::string& entry, const std::string& revoke_before) {
  std::lock_guard<std::mutex> lock(RoleDenyLock(role));
  RunDenies* run = ctx.role_denies;
  const std::optional<RunDenies::Put> known = run != nullptr ? run->Find(role, policy) : std::nullopt;
  Json live;  // IAM's document, as far as this run knows
  std::vector<std::string> add = {entry};
  std::string revoke = revoke_before;
  if (known && known->certain) {
    live = known->doc;
  } else {
    auto doc = ReadRolePolicy(ctx, role, policy);
    if (!doc) return MakeError(doc.error());
    live = *doc;
    if (known) {  // after a failed put: what this run did put, in case the read is older than that
      std::vector<std::string> put_before = DenyEntries(known->doc);
      add.insert(add.end(), put_before.begin(), put_before.end());
      revoke = std::max(revoke, RevokedBefore(known->doc));
    }
  }
  Json merged = MergeDeny(live, add, revoke);
  if (merged == live) return Ok();
  auto put = ctx.Call("iam", "PutRolePolicy",
                      Json{{"RoleName", role}, {"PolicyName", policy}, {"PolicyDocument", merged.dump()}});
  if (run != nullptr) run->Wrote(role, policy, bool(put), merged);
  if (!put)
    return WithContext(put.error(), "putting inline policy " + policy + " (" +
                                        std::to_string(IamDocumentSize(merged)) + " characters) on role " +
                                        role);
  return Ok();
}

Result<std::string> RemoveDenyEntry(const StepContext& ctx, const std::string& role,
                                    const std::string& policy, const std::string& entry) {
  std::lock_guard<std::mutex> lock(RoleDenyLock(role));
  RunDenies* run = ctx.role_denies;
  const std::optional<RunDenies::Put> known = run != nullptr ? run->Find(role, policy) : std::nullopt;
  Json doc;  // IAM's document, as far as this run knows (null: no policy)
  if (known && known->certain) {
    doc = known->doc;
  } else {
    auto read = ReadRolePolicy(ctx, role, policy);
    if (!read) return MakeError(read.error());
    doc = *read;
    if (known) {  // after a failed write: without what this run took out before, in case the read is older
      const std::vector<std::string> kept = DenyEntries(known->doc);
      for (const std::string& e : DenyEntries(*read))
        if (std::find(kept.begin(), kept.end(), e) == kept.end()) doc = WithoutEntry(doc, e);
    }
  }
  std::vector<std::string> entries = DenyEntries(doc);
  if (doc.is_null() || std::find(entries.begin(), entries.end(), entry) == entries.end())
    return std::string("already gone");
  Json rest = WithoutEntry(doc, entry);
  if (DenyEntries(rest).empty()) {
    auto d = ctx.Call("iam", "DeleteRolePolicy", Json{{"RoleName", role}, {"PolicyName", policy}});
    const bool deleted = d || IsNotFoundError(d.error());
    if (run != nullptr) run->Wrote(role, policy, deleted, Json());
    if (!deleted) return MakeError(d.error());
    return std::string("removed, policy deleted");
  }
  auto put = ctx.Call("iam", "PutRolePolicy",
                      Json{{"RoleName", role}, {"PolicyName", policy}, {"PolicyDocument", rest.dump()}});
  if (run != nullptr) run->Wrote(role, policy, bool(put), rest);
  if (!put) return MakeError(put.error());
  return std::string("removed");
}

}  // namespace cordon::response

#include "response/bucket/journal_anchor.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "response/bucket/checked_put.h"

namespace cordon::response {
namespace {

constexpr std::string_view kAnchorFormat = "cordon-anchor-v1";

std::string AnchorsPrefix(const BucketRef& ref, std::string_view case_id) {
  return ref.CaseKeyPrefix(case_id) + "anchors/";
}

// "<seq>-<hash>.json" into a head; nullopt for any other name.
std::optional<evidence::JournalHead> ParseAnchorName(std::string_view name) {
  const size_t dash = name.find('-');
  if (dash == std::string_view::npos || !name.ends_with(".json")) return std::nullopt;
  evidence::JournalHead head;
  auto [end, ec] = std::from_chars(name.data(), name.data() + dash, head.seq);
  if (ec != std::errc() || end != name.data() + dash || head.seq < 1) return std::nullopt;
  head.hash = std::string(name.substr(dash + 1, name.size() - dash - 1 - 5));
  if (head.hash.size() != 64 || head.hash.find_first_not_of("0123456789abcdef") != std::string::npos)
    return std::nullopt;
  return head;
}

}  // namespace

std::string AnchorKey(const BucketRef& ref, std::string_view case_id, const evidence::JournalHead& head) {
  char seq[32];
  std::snprintf(seq, sizeof seq, "%012lld", static_cast<long long>(head.seq));
  return AnchorsPrefix(ref, case_id) + seq + "-" + head.hash + ".json";
}

Result<Anchor> WriteAnchor(aws::Client& client, const BucketRef& ref, const evidence::JournalHead& head,
                           const AnchorContent& content) {
  Anchor anchor;
  anchor.head = head;
  anchor.key = AnchorKey(ref, content.case_id, head);
  auto existing = client.Call("s3", "HeadObject", Json{{"Bucket", ref.bucket}, {"Key", anchor.key}});
  if (existing) {
    anchor.already = true;
    return anchor;
  }
  if (existing.error().http_status != 404) return MakeError(existing.error());
  const Json body = {{"format", kAnchorFormat},
                     {"case_id", content.case_id},
                     {"seq", head.seq},
                     {"records", head.seq},
                     {"hash", head.hash},
                     {"time", content.time},
                     {"responder", content.responder},
                     {"database_sha256", content.database_sha256}};
  auto put = PutChecked(client, ref.bucket, anchor.key, body.dump(2) + "\n", /*skip_same=*/false);
  if (!put) return MakeError(put.error());
  return anchor;
}

Result<std::vector<Anchor>> ListAnchors(aws::Client& client, const BucketRef& ref, std::string_view case_id) {
  const std::string prefix = AnchorsPrefix(ref, case_id);
  auto listed = client.CallAll("s3", "ListObjectsV2", Json{{"Bucket", ref.bucket}, {"Prefix", prefix}});
  if (!listed) {
    Error e = listed.error();
    e.message = "listing the anchors in s3://" + ref.bucket + "/" + prefix + ": " + e.message;
    return MakeError(e);
  }
  std::vector<Anchor> anchors;
  for (const Json& object : listed->value("Contents", Json::array())) {
    const std::string key = object.value("Key", "");
    if (!key.starts_with(prefix)) continue;
    auto head = ParseAnchorName(std::string_view(key).substr(prefix.size()));
    if (!head) continue;
    anchors.push_back(Anchor{*head, key, false});
  }
  std::sort(anchors.begin(), anchors.end(),
            [](const Anchor& a, const Anchor& b) { return a.head.seq < b.head.seq; });
  return anchors;
}

}  // namespace cordon::response

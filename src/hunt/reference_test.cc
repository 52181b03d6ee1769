// Generated data with randomized selectors: the engine must agree exactly with a slow, obviously correct
// reference written here (parse every record with nlohmann::json, apply the documented rule).
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "hunt/flow_log.h"
#include "hunt/scanner.h"
#include "hunt/sessions.h"
#include "hunt/test_util.h"

namespace cordon::hunt {
namespace {

using nlohmann::json;
using testing::Gzip;
using testing::TempDir;
using testing::WriteFile;

// ---- the reference rule, written plainly from docs/hunt.md ----

bool Alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool Word(char c) { return Alnum(c) || c == '-' || c == '_'; }

bool RefToken(const std::string& text, const std::string& token) {
  for (size_t i = 0; i + token.size() <= text.size(); ++i) {
    if (text.compare(i, token.size(), token) != 0) continue;
    bool ok = true;
    if (i > 0) {
      char b = text[i - 1];
      if (Word(b) || (b == '.' && i > 1 && Alnum(text[i - 2]))) ok = false;
    }
    size_t e = i + token.size();
    if (e < text.size()) {
      char a = text[e];
      if (Word(a) || (a == '.' && e + 1 < text.size() && Alnum(text[e + 1]))) ok = false;
    }
    if (ok) return true;
  }
  return false;
}

std::string Str(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

// eventID -> by?
std::map<std::string, bool> RefCloudTrail(const std::vector<json>& records, const Selectors& s) {
  std::map<std::string, bool> out;
  std::vector<std::string> identity_tokens;
  for (auto* l : {&s.instances, &s.ips, &s.enis, &s.access_keys})
    identity_tokens.insert(identity_tokens.end(), l->begin(), l->end());
  for (const json& r : records) {
    const json id = r.value("userIdentity", json::object());
    bool by = false;
    for (const std::string& t : identity_tokens) {
      by |= RefToken(Str(id, "arn"), t) || RefToken(Str(id, "principalId"), t) ||
            RefToken(Str(id, "accessKeyId"), t);
    }
    for (const std::string& role : s.roles) {
      std::string issuer;
      if (id.contains("sessionContext") && id["sessionContext"].contains("sessionIssuer")) {
        issuer = Str(id["sessionContext"]["sessionIssuer"], "userName");
      }
      by |= issuer == role || Str(id, "arn").find(":assumed-role/" + role + "/") != std::string::npos;
    }
    for (const std::string& ip : s.ips) by |= Str(r, "sourceIPAddress") == ip;
    bool on = false;
    for (const std::string& t : s.AllTokens()) {
      for (const char* field : {"requestParameters", "responseElements", "resources"}) {
        if (r.contains(field)) on |= RefToken(r[field].dump(), t);
      }
    }
    if (by || on) out[Str(r, "eventID")] = by;
  }
  return out;
}

// ---- generated CloudTrail ----

// Values and their look-alikes: a selector drawn from here must never hit its neighbours.
const std::vector<std::string> kInstances = {"i-0abc", "i-0abcd", "i-0abc1", "i-1234567890abcdef0",
                                             "i-1234567890abcdef"};
const std::vector<std::string> kIps = {"10.0.3.8",  "10.0.3.80",   "110.0.3.8",
                                       "10.0.3.81", "203.0.113.7", "2001:db8::1"};
const std::vector<std::string> kEnis = {"eni-0aa", "eni-0aab", "eni-11"};
const std::vector<std::string> kRoles = {"web", "web-server", "app"};
const std::vector<std::string> kKeys = {"ASIAXAMPLE1", "ASIAXAMPLE12", "AKIAEXAMPLE"};

template <class T>
const T& Pick(std::mt19937& rng, const std::vector<T>& v) {
  return v[rng() % v.size()];
}

json RandomRecord(std::mt19937& rng, int n) {
  json r;
  r["eventVersion"] = "1.08";
  const int kind = static_cast<int>(rng() % 4);
  json id;
  if (kind == 0) {  // an instance role session
    const std::string& role = Pick(rng, kRoles);
    const std::string& inst = Pick(rng, kInstances);
    id = {{"type", "AssumedRole"},
          {"principalId", "AROAEXAMPLE:" + inst},
          {"arn", "arn:aws:sts::111122223333:assumed-role/" + role + "/" + inst},
          {"accessKeyId", Pick(rng, kKeys)},
          {"sessionContext",
           {{"sessionIssuer", {{"type", "Role"}, {"userName", role}}}, {"ec2RoleDelivery", "2.0"}}}};
  } else if (kind == 1) {
    id = {{"type", "IAMUser"},
          {"arn", "arn:aws:iam::111122223333:user/" + Pick(rng, kRoles)},
          {"accessKeyId", Pick(rng, kKeys)}};
  } else if (kind == 2) {
    id = {{"type", "AWSService"}, {"invokedBy", "ec2.amazonaws.com"}};
  } else {
    id = {{"type", "AssumedRole"},
          {"arn", "arn:aws:sts::111122223333:assumed-role/admin/alice"},
          {"principalId", "AROAADMIN:alice"}};
  }
  r["userIdentity"] = id;
  char when[32];
  std::snprintf(when, sizeof(when), "2024-03-0%dT%02d:%02d:%02dZ", 1 + static_cast<int>(rng() % 3),
                static_cast<int>(rng() % 24), static_cast<int>(rng() % 60), static_cast<int>(rng() % 60));
  r["eventTime"] = when;
  r["eventSource"] = "ec2.amazonaws.com";
  r["eventName"] = rng() % 2 ? "DescribeInstances" : "StopInstances";
  r["awsRegion"] = "us-east-1";
  r["sourceIPAddress"] =
      kind == 2 ? "ec2.amazonaws.com" : (rng() % 5 == 0 ? "AWS Internal" : Pick(rng, kIps));
  // Decoys in fields the rule ignores.
  r["userAgent"] = "aws-cli/2 " + Pick(rng, kInstances) + " " + Pick(rng, kIps);
  if (rng() % 3 == 0) r["errorMessage"] = "not authorized on " + Pick(rng, kInstances);
  if (rng() % 2) {
    r["requestParameters"] = {
        {"instancesSet", {{"items", json::array({{{"instanceId", Pick(rng, kInstances)}}})}}},
        {"filterSet", {{"items", json::array({{{"name", "addr"}, {"valueSet", {Pick(rng, kIps)}}}})}}}};
  } else {
    r["requestParameters"] = nullptr;
  }
  if (rng() % 3 == 0)
    r["responseElements"] = {{"networkInterfaceId", Pick(rng, kEnis)}, {"privateIp", Pick(rng, kIps)}};
  if (rng() % 4 == 0) {
    r["resources"] =
        json::array({{{"accountId", "111122223333"},
                      {"type", "AWS::EC2::Instance"},
                      {"ARN", "arn:aws:ec2:us-east-1:111122223333:instance/" + Pick(rng, kInstances)}}});
  }
  r["eventID"] = "ev-" + std::to_string(n);
  return r;
}

Selectors RandomSelectors(std::mt19937& rng) {
  Selectors s;
  auto some = [&](const std::vector<std::string>& pool, std::vector<std::string>* out, int percent) {
    for (const std::string& v : pool) {
      if (static_cast<int>(rng() % 100) < percent) out->push_back(v);
    }
  };
  while (s.empty()) {
    some(kInstances, &s.instances, 30);
    some(kIps, &s.ips, 25);
    some(kEnis, &s.enis, 20);
    some(kRoles, &s.roles, 15);
    some(kKeys, &s.access_keys, 15);
  }
  return s;
}

TEST(Reference, CloudTrailMatchesNaiveReferenceOnRandomData) {
  size_t total_by = 0, total_on = 0;
  for (uint32_t seed = 1; seed <= 12; ++seed) {
    std::mt19937 rng(seed);
    TempDir dir;
    std::vector<json> all;
    int n = 0;
    for (int file = 0; file < 6; ++file) {
      std::vector<json> records;
      const int count = 20 + static_cast<int>(rng() % 80);
      for (int i = 0; i < count; ++i) records.push_back(RandomRecord(rng, n++));
      all.insert(all.end(), records.begin(), records.end());
      const std::string name = "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/0" +
                               std::to_string(1 + file % 3) + "/f" + std::to_string(file);
      switch (file % 3) {
        case 0:  // the S3 delivery object, gzip
          WriteFile(dir.path() / (name + ".json.gz"), Gzip(json{{"Records", records}}.dump()));
          break;
        case 1:  // a pretty-printed array
          WriteFile(dir.path() / (name + ".json"), json(records).dump(3));
          break;
        case 2: {  // JSON Lines
          std::string lines;
          for (const json& r : records) lines += r.dump() + "\n";
          WriteFile(dir.path() / (name + ".jsonl"), lines);
          break;
        }
      }
    }
    const Selectors s = RandomSelectors(rng);
    const std::map<std::string, bool> expected = RefCloudTrail(all, s);
    for (const auto& [id, by] : expected) (by ? total_by : total_on) += 1;
    for (int threads : {1, 3}) {
      ScanOptions options;
      options.threads = threads;
      HuntResults r = testing::Hunt(s, {{LogKind::kCloudTrail, dir.path().string()}}, options);
      EXPECT_TRUE(r.skipped.empty());
      std::map<std::string, bool> got;
      for (const CloudTrailEvent& e : r.events) got[e.event_id] = e.by;
      ASSERT_EQ(got, expected) << "seed " << seed << " threads " << threads;
    }
  }
  // The data exercised both lists.
  EXPECT_GT(total_by, 100u);
  EXPECT_GT(total_on, 100u);
}

// ---- generated flow logs ----

struct RefAgg {
  uint64_t bytes = 0, packets = 0, flows = 0;
  int64_t first = INT64_MAX, last = INT64_MIN;
  bool operator==(const RefAgg&) const = default;
};
using RefKey = std::tuple<std::string, int, int, std::string, std::string>;

std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == ' ') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

void RefFlows(const std::string& text, const Selectors& s, std::map<RefKey, RefAgg>* aggs,
              uint64_t* matched) {
  std::vector<std::string> lines;
  std::string cur;
  for (char c : text) {
    if (c == '\n') {
      lines.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) lines.push_back(cur);
  const std::vector<std::string> header = Fields(lines[0]);
  auto has = [](const std::vector<std::string>& v, const std::string& x) {
    return x != "-" && std::find(v.begin(), v.end(), x) != v.end();
  };
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> f = Fields(lines[i]);
    std::map<std::string, std::string> rec;
    for (size_t k = 0; k < header.size(); ++k) rec[header[k]] = f[k];
    auto get = [&](const char* name) { return rec.count(name) ? rec[name] : std::string("-"); };
    const bool src = has(s.ips, get("srcaddr")) || has(s.ips, get("pkt-srcaddr"));
    const bool dst = has(s.ips, get("dstaddr")) || has(s.ips, get("pkt-dstaddr"));
    const bool eni = has(s.enis, get("interface-id"));
    const bool inst = has(s.instances, get("instance-id"));
    if (!src && !dst && !eni && !inst) continue;
    if (get("log-status") != "-" && get("log-status") != "OK") continue;
    const std::string srcp = get("pkt-srcaddr") != "-" ? get("pkt-srcaddr") : get("srcaddr");
    const std::string dstp = get("pkt-dstaddr") != "-" ? get("pkt-dstaddr") : get("dstaddr");
    std::string direction, peer;
    if (src) {
      direction = "egress", peer = dstp;
    } else if (dst) {
      direction = "ingress", peer = srcp;
    } else if (get("flow-direction") == "egress" || get("flow-direction") == "ingress") {
      direction = get("flow-direction");
      peer = direction == "egress" ? dstp : srcp;
    } else {
      direction = "unknown", peer = srcp + "->" + dstp;
    }
    auto num = [&](const char* name) { return get(name) == "-" ? -1 : std::stoll(get(name)); };
    RefAgg& a = (*aggs)[{peer, static_cast<int>(num("dstport")), static_cast<int>(num("protocol")), direction,
                         get("action")}];
    a.bytes += num("bytes") > 0 ? num("bytes") : 0;
    a.packets += num("packets") > 0 ? num("packets") : 0;
    a.flows += 1;
    if (num("start") >= 0) a.first = std::min<int64_t>(a.first, num("start"));
    if (num("end") >= 0) a.last = std::max<int64_t>(a.last, num("end"));
    ++*matched;
  }
}

TEST(Reference, FlowLogsMatchNaiveReferenceOnRandomData) {
  uint64_t total_matched = 0;
  const std::vector<std::string> formats = {
      std::string(kDefaultFlowHeader),
      "version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport "
      "pkt-srcaddr "
      "pkt-dstaddr protocol bytes packets start end action tcp-flags log-status",
      "srcaddr dstaddr interface-id flow-direction bytes packets action instance-id start end dstport "
      "protocol",
  };
  for (uint32_t seed = 1; seed <= 12; ++seed) {
    std::mt19937 rng(seed * 7919);
    TempDir dir;
    std::map<RefKey, RefAgg> expected;
    uint64_t expected_matched = 0;
    std::vector<std::string> texts;
    for (int file = 0; file < 5; ++file) {
      const std::string& header = formats[(seed + file) % formats.size()];
      const std::vector<std::string> names = Fields(header);
      std::string text = header + "\n";
      const int count = 50 + static_cast<int>(rng() % 200);
      for (int i = 0; i < count; ++i) {
        const bool nodata = rng() % 20 == 0;
        std::string line;
        for (const std::string& name : names) {
          std::string v;
          if (name == "srcaddr" || name == "dstaddr" || name == "pkt-srcaddr" || name == "pkt-dstaddr") {
            v = nodata ? "-" : (rng() % 6 == 0 ? "-" : Pick(rng, kIps));
            if (name == "srcaddr" || name == "dstaddr") v = nodata ? "-" : Pick(rng, kIps);
          } else if (name == "interface-id") {
            v = Pick(rng, kEnis);
          } else if (name == "instance-id") {
            v = rng() % 3 ? Pick(rng, kInstances) : "-";
          } else if (name == "flow-direction") {
            v = rng() % 2 ? "ingress" : "egress";
          } else if (name == "action") {
            v = nodata ? "-" : (rng() % 4 ? "ACCEPT" : "REJECT");
          } else if (name == "log-status") {
            v = nodata ? (rng() % 2 ? "NODATA" : "SKIPDATA") : "OK";
          } else if (name == "bytes" || name == "packets" || name == "srcport" || name == "dstport" ||
                     name == "protocol") {
            v = nodata ? "-" : std::to_string(name == "dstport" ? rng() % 4 * 1000 : rng() % 100000);
          } else if (name == "start" || name == "end") {
            v = std::to_string(1700000000 + rng() % 10000);
          } else {
            v = "x" + std::to_string(rng() % 9);
          }
          line += (line.empty() ? "" : (rng() % 10 == 0 ? "  " : " ")) + v;
        }
        text += line + "\n";
      }
      const std::string name =
          "AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/03/01/flow" + std::to_string(file);
      if (file % 2) {
        WriteFile(dir.path() / (name + ".log.gz"), Gzip(text));
      } else {
        WriteFile(dir.path() / (name + ".log"), text);
      }
      texts.push_back(text);
    }
    const Selectors s = RandomSelectors(rng);
    for (const std::string& text : texts) RefFlows(text, s, &expected, &expected_matched);
    total_matched += expected_matched;
    for (size_t whole_limit : {size_t{256} << 20, size_t{100}}) {  // whole objects, and streamed
      ScanOptions options;
      options.threads = 2;
      options.whole_object_limit = whole_limit;
      options.stream_chunk = 777;
      HuntResults r = testing::Hunt(s, {{LogKind::kFlowLogs, dir.path().string()}}, options);
      EXPECT_TRUE(r.skipped.empty()) << r.skipped[0].reason;
      std::map<RefKey, RefAgg> got;
      for (const auto& [k, a] : r.flows) {
        got[{k.peer, k.port, k.protocol, k.direction, k.action}] =
            RefAgg{a.bytes, a.packets, a.flows, a.first, a.last};
      }
      EXPECT_EQ(r.flow_matched_records, expected_matched) << "seed " << seed;
      ASSERT_EQ(got, expected) << "seed " << seed << " whole_limit " << whole_limit;
    }
  }
  EXPECT_GT(total_matched, 1000u);
}

}  // namespace
}  // namespace cordon::hunt

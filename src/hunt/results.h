// The results of a hunt: matched CloudTrail events, flow aggregates, findings, config items, and what was
// skipped. Each scanned object produces one HuntResults; the scanner merges them.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/json.h"
#include "base/time.h"

namespace cordon::hunt {

// Which selector matched, and in which part of the record (e.g. "userIdentity.arn", "requestParameters").
struct SelectorHit {
  std::string selector;
  std::string field;
  bool operator==(const SelectorHit&) const = default;
};

// A CloudTrail record that matched. `by`: a selector matched userIdentity (arn, principalId, accessKeyId,
// the role) or sourceIPAddress, i.e. the instance or its credentials acted. Otherwise the selectors appear
// only in requestParameters, responseElements or resources: something was done `on` the instance.
struct CloudTrailEvent {
  bool by = false;
  std::string event_id;
  std::string event_time;  // as in the record (eventTime, or @timestamp for Logstash re-shipped records)
  TimePoint time{};
  std::string event_source;
  std::string event_name;
  std::string aws_region;
  std::string source_ip;
  std::string user_agent;
  std::string error_code;
  std::string identity_type;
  std::string identity_arn;
  std::string principal_id;
  std::string access_key_id;
  std::string role_name;               // sessionContext.sessionIssuer.userName, for assumed roles
  std::string session_name;            // the part after assumed-role/<role>/ in the arn
  std::vector<std::string> resources;  // resources[].ARN
  std::vector<SelectorHit> hits;
  std::string file;
  // What attribution needs (see sessions.h): the identity's account, the VPC endpoint the call went
  // through and that endpoint's owner, and sessionContext.ec2RoleDelivery, which CloudTrail sets only on
  // credentials EC2 delivered to an instance through its metadata service ("1.0" IMDSv1, "2.0" IMDSv2).
  std::string identity_account;
  std::string vpc_endpoint_id;
  std::string vpc_endpoint_account;
  std::string ec2_role_delivery;
  // A successful sts AssumeRole*: the session it created and that session's access key
  // (responseElements.assumedRoleUser.arn and credentials.accessKeyId).
  std::string assumed_session_arn;
  std::string assumed_access_key;
  // Set on an event found by following AssumeRole from an instance session (role_chains.h): the session
  // whose AssumeRole created the credentials this event used.
  std::string assumed_from;
};

// Use of an instance role session (assumed-role/<role>/i-...) from one source IP.
struct SessionUse {
  std::string session_arn;
  std::string instance;
  std::string source_ip;
  std::string first;  // eventTime of the first and last sight
  std::string last;
  uint64_t events = 0;
  // The source IP is one of --ip, and the call did not come through another account's VPC endpoint (a
  // private address is only the instance's inside the instance's own network).
  bool own_ip = false;
  // Some record of the session carries sessionContext.ec2RoleDelivery: EC2 issued it to the instance.
  // A session merely named after an instance id (anyone allowed to assume the role can choose that name)
  // is not proof that the instance acted.
  bool issued_by_ec2 = false;
  std::string vpc_endpoint_account;  // the endpoint owner, when the calls came through a VPC endpoint
  std::string assumed_from;          // for a session the instance's session assumed: that session
};

// Flow aggregate key: peer, port (the record's dstport), protocol number, direction (egress, ingress or
// unknown, seen from the selected instance), action (ACCEPT or REJECT).
struct FlowKey {
  std::string peer;
  int port = -1;
  int protocol = -1;
  std::string direction;
  std::string action;
  auto Tie() const { return std::tie(peer, port, protocol, direction, action); }
  bool operator<(const FlowKey& o) const { return Tie() < o.Tie(); }
  bool operator==(const FlowKey& o) const { return Tie() == o.Tie(); }
};

struct FlowKeyHash {
  size_t operator()(const FlowKey& k) const {
    size_t h = std::hash<std::string>()(k.peer);
    for (size_t part : {static_cast<size_t>(k.port), static_cast<size_t>(k.protocol),
                        std::hash<std::string>()(k.direction), std::hash<std::string>()(k.action)}) {
      h ^= part + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);  // boost::hash_combine's mixing
    }
    return h;
  }
};

struct FlowAggregate {
  uint64_t bytes = 0;
  uint64_t packets = 0;
  uint64_t flows = 0;
  int64_t first = INT64_MAX;  // epoch seconds: min(start)
  int64_t last = INT64_MIN;   // max(end)
};

// A GuardDuty finding or an AWS Config configuration item that mentions a selector.
struct Finding {
  std::string kind;   // "guardduty" or "config"
  std::string id;     // finding id, or configurationStateId / resourceId
  std::string type;   // finding type, or resourceType
  std::string title;  // finding title, or configurationItemStatus / change type
  double severity = 0;
  std::string time;      // updatedAt, or configurationItemCaptureTime
  std::string resource;  // instance id / resource id
  std::vector<std::string> selectors;
  std::vector<std::string> details;  // config: changed properties
  std::string file;
};

// Something that could not be read. `unit` is "object" (the whole file), "record" (one CloudTrail record,
// finding or config item) or "line" (flow log lines); `count` how many of them, with one reason.
struct Skipped {
  std::string file;
  std::string unit;
  uint64_t count = 1;
  std::string reason;
};

// Something odd that did not lose data (an unknown flow-log header field, a file with no flow header that
// was read as the default format).
struct Warning {
  std::string file;
  std::string message;
};

// A Sigma rule as a match reports it: what the rule's license (DRL 1.1) asks to keep with every use.
struct SigmaRuleInfo {
  std::string id;
  std::string title;
  std::string level;
  std::string author;
  std::string file;
  std::vector<std::string> falsepositives;
  size_t index = 0;        // into the RuleSet's rules
  bool standalone = true;  // false: only correlations use the rule, its matches are not reported alone
};

// A Sigma match's event: the fields the output prints of it (EventToJson's, which the text and csv rows
// take a part of), their bytes back to back in one string. Over the whole trail every match is kept to
// the end of the hunt (the benchmark's 17,096): as a CloudTrailEvent, with its rule's strings copied, a
// match was 992 bytes of struct and about 18 allocations; now it is 184 bytes and one allocation
// (bench/README.md, "hunt --sigma": 28 MB less peak memory).
class SigmaEvent {
 public:
  SigmaEvent() = default;
  explicit SigmaEvent(const CloudTrailEvent& e);
  // The printed fields back in a CloudTrailEvent (the others left empty): what EventToJson takes.
  CloudTrailEvent Expand() const;

  std::string_view event_id() const { return Field(0); }
  std::string_view event_time() const { return Field(1); }
  std::string_view event_source() const { return Field(2); }
  std::string_view event_name() const { return Field(3); }
  std::string_view aws_region() const { return Field(4); }
  std::string_view source_ip() const { return Field(5); }
  std::string_view user_agent() const { return Field(6); }
  std::string_view error_code() const { return Field(7); }
  std::string_view identity_type() const { return Field(8); }
  std::string_view identity_arn() const { return Field(9); }
  std::string_view principal_id() const { return Field(10); }
  std::string_view access_key_id() const { return Field(11); }
  std::string_view file() const { return Field(12); }
  std::string_view assumed_from() const { return Field(13); }

  TimePoint time{};
  std::vector<std::string> resources;  // as CloudTrailEvent's (usually empty: no allocation)
  std::vector<SelectorHit> hits;

  static constexpr size_t kFields = 14;

 private:
  std::string_view Field(size_t i) const {
    const uint32_t begin = i == 0 ? 0 : end_[i - 1];
    return std::string_view(text_).substr(begin, end_[i] - begin);
  }
  std::string text_;
  std::array<uint32_t, kFields> end_{};  // where each field ends in text_
};

// A CloudTrail record that matched a Sigma rule (--sigma). The rule is shared by all its matches (a copy
// of its strings per match was five allocations or more).
struct SigmaMatch {
  std::shared_ptr<const SigmaRuleInfo> rule;
  SigmaEvent event;
  // The values of the fields the rule's correlations group and count by (Rule::capture_fields).
  std::vector<std::pair<std::string, std::string>> fields;
};

// A Sigma correlation that fired: the correlation rule (title, id, level, author as for a rule), its
// type, the group (group-by field -> value), the window (eventTime of its first and last event) and the
// events (eventIDs, in time order) that made it.
struct SigmaCorrelation {
  SigmaRuleInfo rule;
  std::string type;
  std::vector<std::pair<std::string, std::string>> group;
  std::string first;
  std::string last;
  std::vector<std::string> event_ids;
};

// What --sigma ran: the rules loaded, and every rule document that could not run, with the reason.
struct SigmaCoverage {
  bool enabled = false;  // --sigma was given: the output has a sigma section
  uint64_t rules_loaded = 0;
  uint64_t correlations_loaded = 0;
  struct Skipped {
    std::string file;
    std::string title;
    std::string reason;
  };
  std::vector<Skipped> skipped;
};

struct HuntResults {
  std::vector<CloudTrailEvent> events;
  std::vector<SigmaMatch> sigma_matches;
  std::vector<SigmaCorrelation> sigma_correlations;  // computed after the scan (sigma_correlate.h)
  SigmaCoverage sigma;  // filled by the caller that loaded the rules, not by the scan
  // Hashed, not ordered: a record's aggregate is found for every matched flow record, and an ordered map
  // of a few hundred thousand aggregates cost more than parsing the records. Output sorts them.
  std::unordered_map<FlowKey, FlowAggregate, FlowKeyHash> flows;
  uint64_t flow_matched_records = 0;
  uint64_t flow_nodata_records = 0;  // NODATA/SKIPDATA records of a selected ENI: no traffic to count
  std::vector<Finding> findings;
  std::vector<Skipped> skipped;
  std::vector<Warning> warnings;

  // Scan statistics.
  uint64_t objects = 0;
  uint64_t objects_skipped = 0;
  uint64_t bytes_read = 0;         // as stored (compressed)
  uint64_t bytes_scanned = 0;      // after decompression
  uint64_t candidate_records = 0;  // records parsed because the prefilter hit
  uint64_t flow_lines_parsed = 0;

  // Adds `other` into this. The order of events is fixed later by Finalize().
  void Merge(HuntResults&& other);
  // Sorts events by time then eventID, findings by time, skipped by file: the output is then the same
  // whatever the number of threads.
  void Finalize();
  bool AnythingSkipped() const { return !skipped.empty(); }
};

}  // namespace cordon::hunt

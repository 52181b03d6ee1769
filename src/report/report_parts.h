// The pieces GatherReport puts together, each testable on its own JSON: a hunt's results as timeline
// entries, a recorded state as facts, the case's state in one sentence.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/json_fields.h"
#include "evidence/case_store.h"
#include "evidence/journal_format.h"
#include "report/report_model.h"

namespace cordon::report::detail {

// ISO 8601 UTC to the second ("2024-05-01T12:00:05Z") for any timestamp ParseTimestamp reads, so
// journal, CloudTrail and flow times sort together; the text as given when it is none of those.
std::string NormalTime(std::string_view text);

// The timeline entries of one `cordon hunt --output json` document stored in the case: every CloudTrail
// event (by and on the instance), the flow aggregates with the most bytes (peaks) and the findings, at
// most `cap` in all; `*left_out` counts the rest.
std::vector<TimelineEntry> HuntEntries(const Json& hunt, size_t cap, size_t* left_out);

// A stored posture document (cli/posture_case.h) as the report's posture section.
PostureReport PostureSection(const evidence::EvidenceItem& item, const Json& doc);

// Gathers "How it happened" from the case's posture files, hunt files and pre-states, each added as
// the case holds them (ledger order, so the earliest observation of a thing is kept).
class CauseCollector {
 public:
  void AddPosture(const evidence::EvidenceItem& item, const Json& doc);
  void AddHunt(const evidence::EvidenceItem& item, const Json& doc);
  void AddPreState(const evidence::PreStateRecord& record);
  // `targets` are the case's; `case_id` goes into the commands the gaps suggest.
  HowItHappened Finish(const std::vector<std::string>& targets, const std::string& case_id) const;

 private:
  struct CredentialUse {
    std::string session, instance, ip, first, last, source;
    int64_t events = 0;
  };
  struct Flow {
    std::string first, last, direction, action, source;
    Json port, protocol;
    int64_t packets = 0, bytes = 0;
  };
  bool posture_seen_ = false, hunt_seen_ = false, sigma_seen_ = false;
  int64_t flow_records_ = 0;
  std::vector<std::string> posture_files_, sigma_files_;
  std::vector<CauseLine> exposure_;
  std::vector<std::string> exposure_keys_, public_ips_;
  std::vector<CredentialUse> uses_;
  std::map<std::string, Flow> first_flow_;  // by peer address: the earliest aggregate
  std::vector<CauseLine> sigma_;
  size_t sigma_left_out_ = 0;
};

// The facts of a recorded state (pre_state_collector's shape) a responder compares: instance state,
// security groups per ENI, Elastic IPs, instance profile, Auto Scaling group, load balancers,
// termination protection, shutdown behaviour, tags. `now` may be null: the facts then have now "".
std::vector<StateFact> CompareStates(const Json& before, const Json& now);

// "i-0abc isolated since 2024-05-01T12:00:09Z (contain by alice); case contained." and the like, from
// the journal alone.
std::string CurrentState(const std::vector<evidence::JournalRecord>& records, const std::string& status);

}  // namespace cordon::report::detail

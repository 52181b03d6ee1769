// Reads CloudTrail log objects and keeps the records that involve the selected instance.
#pragma once

#include <memory>
#include <string_view>

#include "hunt/results.h"
#include "hunt/selectors.h"
#include "hunt/sigma/rule_set.h"
#include "hunt/token_matcher.h"

namespace cordon::hunt {

struct CloudTrailOptions {
  // A record larger than this is not parsed; it is reported as skipped. CloudTrail's own limit is
  // 256 KB per event, so a record this size is damage or a hostile log.
  size_t max_record_bytes = 4u << 20;
  // Sigma rules to run (--sigma); must outlive the reader. With selectors, the rules run over the records
  // by or on the instance; with none, over every record of the trail (results->sigma_matches only).
  const sigma::RuleSet* sigma = nullptr;
};

// Scans one decompressed CloudTrail object in any of the shapes CloudTrail data comes in:
// the S3 delivery object `{"Records":[...]}` (usually one line), a JSON array of records (pretty-printed
// or not), JSON Lines (one record per line), or a single record.
//
// How: the delimited literal prefilter (TokenMatcher) runs over the raw bytes. An object with no hit is
// done. Otherwise the records that contain a hit are located (simdjson on-demand skips the others
// without materializing them; in JSON Lines the hit's line is the record), parsed with simdjson on-demand,
// and the exact rule is applied to the parsed record:
//   by: an instance id, ENI, IP, access key or role name is a delimited token of userIdentity.arn,
//       userIdentity.principalId or userIdentity.accessKeyId; or sourceIPAddress equals an --ip; or the
//       role is the session issuer (sessionContext.sessionIssuer.userName, or assumed-role/<role>/ in arn);
//   on: otherwise, a selector is a delimited token in requestParameters, responseElements or resources.
// Records outside --since/--until are dropped (eventTime, or @timestamp when eventTime is absent).
// With Sigma rules and no selectors every record is a candidate, and the rules decide which are kept.
//
// Invalid JSON, oversized records and records that are not objects are reported in results->skipped with
// the file name; the scan of the object goes on where it can. Not thread-safe: use one reader per worker.
class CloudTrailReader {
 public:
  CloudTrailReader(const Selectors& selectors, CloudTrailOptions options = {});
  ~CloudTrailReader();

  // `text` must stay readable for kReadPadding bytes past its end (see byte_buffer.h).
  void Scan(std::string_view file, std::string_view text, HuntResults* results);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cordon::hunt

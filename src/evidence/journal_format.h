// Journal record format and hash chain, shared by the writer and the verifier.
// See ../../docs/case-format.md, which a responder can follow with sqlite3 and sha256sum alone.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"
#include "base/json.h"

namespace cordon::evidence {

// The first line of every record's canonical form. A new canonical form gets a new signature
// (and a new case format version), so an old record can never hash the same as a new one.
inline constexpr std::string_view kRecordSignature = "cordon-journal-v1";

// prev_hash of record 1.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The record kinds cordon writes. Kinds are open-ended ([a-z0-9._-]{1,64}): a later cordon may add
// kinds, and readers must skip the ones they do not know.
namespace kind {
inline constexpr std::string_view kCaseOpen = "case.open";      // payload: case id, responder, description
inline constexpr std::string_view kCaseStatus = "case.status";  // payload: {"from": ..., "to": ...}
inline constexpr std::string_view kStepIntent = "step.intent";  // about to change something
inline constexpr std::string_view kStepDone = "step.done";
inline constexpr std::string_view kStepFailed = "step.failed";
inline constexpr std::string_view kStepSkipped = "step.skipped";
inline constexpr std::string_view kAwsCall = "aws.call";  // the audit hook: operation, request id, outcome
inline constexpr std::string_view kNote = "note";         // free text from the responder
inline constexpr std::string_view kInterrupted = "interrupted";  // a step's intent had no outcome
inline constexpr std::string_view kPreState = "pre_state.recorded";
inline constexpr std::string_view kEvidenceAdded = "evidence.added";
// One command run (contain, preserve, release) in the case, see response/run_marker.h.
inline constexpr std::string_view kRunStart = "run.start";              // payload: {"command"}
inline constexpr std::string_view kRunEnd = "run.end";                  // payload: {"run_seq", "result"}
inline constexpr std::string_view kRunInterrupted = "run.interrupted";  // a run.start had no run.end
// contain: a target's isolate-network completed; payload {"step", "status", "elapsed_s"} (seconds
// since the run began), see cli/isolation_times.h.
inline constexpr std::string_view kNetworkIsolated = "network.isolated";
}  // namespace kind

// One journal record as stored. `payload` is compact JSON text and is hashed byte for byte.
struct JournalRecord {
  int64_t seq = 0;        // 1, 2, 3, ... with no gaps
  std::string time;       // ISO 8601 UTC, "2024-05-01T12:00:00Z"
  std::string kind;       // see namespace kind
  std::string target;     // an instance id, or "" for the case itself
  std::string step;       // a step name, or ""
  std::string payload;    // compact JSON
  std::string prev_hash;  // `hash` of record seq-1; kGenesisHash for seq 1
  std::string hash;       // RecordHash(*this)

  // The payload parsed; a discarded value when the payload is not JSON.
  Json PayloadJson() const;
};

// The bytes that are hashed: each field followed by a newline, in this order:
//   cordon-journal-v1, seq (decimal), time, kind, target, step, payload, prev_hash
// No field may contain a newline (ValidateRecordFields; compact JSON escapes its control characters),
// so the form is unambiguous. `hash` itself is not part of it.
std::string CanonicalRecord(const JournalRecord& record);

// Lowercase hex SHA-256 of CanonicalRecord(record).
std::string RecordHash(const JournalRecord& record);

// Compact JSON as the journal stores it. Invalid UTF-8 in strings is replaced with U+FFFD rather
// than failing: a record of what happened must not be lost over an odd byte in an AWS response.
std::string CompactJson(const Json& value);

// Checks what a caller puts in a record: kind is 1-64 of [a-z0-9._-]; target and step are at most
// 256 bytes without control characters. Returns kInvalidArgument naming the field otherwise.
[[nodiscard]] Status ValidateRecordFields(std::string_view kind, std::string_view target,
                                          std::string_view step);

}  // namespace cordon::evidence

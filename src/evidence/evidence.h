// The chain-of-custody ledger: what evidence a case holds, where it is, its hash, and who collected
// it from where and when. Files are stored under the case's evidence/ folder.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/json.h"
#include "base/time.h"

namespace cordon::evidence {

namespace detail {
class Database;
}

enum class EvidenceKind { kSnapshot, kConsoleOutput, kMemory, kMetadata, kFile };

// "snapshot", "console-output", "memory", "metadata", "file".
std::string_view EvidenceKindName(EvidenceKind kind);
std::optional<EvidenceKind> ParseEvidenceKind(std::string_view name);

struct EvidenceItem {
  int64_t id = 0;   // assigned by the ledger: 1, 2, 3, ...
  int64_t seq = 0;  // the evidence.added journal record; assigned by the ledger
  std::string target;
  EvidenceKind kind = EvidenceKind::kFile;
  // A snapshot id ("snap-0123"), an S3 URL ("s3://bucket/key"), or for files the ledger stored, a
  // path relative to the case folder ("evidence/console-i-0abc.txt").
  std::string location;
  // Lowercase hex SHA-256 of the content, or "" when cordon cannot hash it (an EBS snapshot).
  std::string sha256;
  int64_t size = 0;       // bytes (for a snapshot, the volume size)
  std::string source;     // where it was taken from, e.g. "ec2:GetConsoleOutput i-0abc"
  std::string collector;  // the responder who collected it; required
  std::string time;       // when it was collected, ISO 8601 UTC; "now" when left empty
  std::string step;       // the step that collected it, or ""
  Json details = Json::object();

  // The journal payload of its evidence.added record: every field above but `seq`.
  Json ToJson() const;
};

// Reads and writes the evidence inventory of one case. Thread-safe; `db` and `clock` must outlive it.
class EvidenceLedger {
 public:
  // Files go under case_dir/evidence/.
  EvidenceLedger(detail::Database* db, Clock* clock, std::filesystem::path case_dir)
      : db_(db), clock_(clock), case_dir_(std::move(case_dir)) {}

  // Records `item` (id, seq and an empty time are filled in) with an evidence.added journal record
  // in the same transaction. Adding an item with the same target, kind, location and sha256 as a
  // recorded one returns the recorded one, so a rerun does not list the same evidence twice.
  // kInvalidArgument: no collector or location, a malformed sha256 or time, a negative size.
  [[nodiscard]] Result<EvidenceItem> AddEvidence(EvidenceItem item);

  // Writes `bytes` to evidence/<name> atomically (a temporary file, fsync, link into place, fsync of
  // the folder), then records it as AddEvidence(about) with location, sha256 and size filled in.
  // `name` is one or more '/'-separated parts of [A-Za-z0-9._-] that do not start with '.'.
  // Evidence is never overwritten: if the file exists with the same content, the recorded item is
  // returned (recording it if a crash came between the write and the record); with other content,
  // kConflict.
  [[nodiscard]] Result<EvidenceItem> StoreFile(std::string_view name, std::string_view bytes,
                                               EvidenceItem about);

  // Recorded items in the order they were added; only those of `target` when given.
  [[nodiscard]] Result<std::vector<EvidenceItem>> List(std::optional<std::string_view> target = std::nullopt);

  // Checks every item against its journal record and, when check_files, every stored file's size
  // and SHA-256 against the item. Appends what does not match to `problems`. Errors only when the
  // database cannot be read.
  [[nodiscard]] Status Check(bool check_files, std::vector<std::string>* problems);

 private:
  detail::Database* db_;
  Clock* clock_;
  std::filesystem::path case_dir_;
};

}  // namespace cordon::evidence

// A case leaves the laptop: its files (case.db, evidence/, report.md) go to the case's prefix in the
// evidence bucket, each with its SHA-256 checksum and read back, recorded in the journal, and the
// journal head is anchored there (journal_anchor.h). The case's bucket is itself a journal record.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/client.h"
#include "base/error.h"
#include "evidence/case_store.h"
#include "response/bucket/bucket_ref.h"
#include "response/bucket/checked_put.h"
#include "response/bucket/journal_anchor.h"
#include "response/bucket/write_once.h"

namespace cordon::response {

// Journal record kinds of this part (docs/case-format.md).
inline constexpr std::string_view kKindEvidenceBucket =
    "case.evidence_bucket";  // {uri, bucket, prefix, object_lock, write_once}
inline constexpr std::string_view kKindExported =
    "case.exported";  // {uri, objects: [{path, key, version_id, sha256, size}]}

// Records `ref` as the case's evidence bucket (with the lock state it was checked with), unless the
// latest such record already names it.
[[nodiscard]] Status RecordCaseBucket(evidence::CaseStore& store, const BucketRef& ref,
                                      const ObjectLockState& lock);

// The case's evidence bucket: the latest case.evidence_bucket record, or nullopt.
[[nodiscard]] Result<std::optional<BucketRef>> CaseBucket(evidence::CaseStore& store);

struct ExportReport {
  std::vector<std::pair<std::string, StoredObject>> objects;  // case-relative path, what is in S3
  Anchor anchor;
};

// Exports the case to `ref` (see the file comment): every file but case.db, a case.exported record
// of them, then the anchor of the head that record made, then case.db checkpointed (so the local
// file is the bytes exported, with nothing after them). Files whose current version already holds
// the same bytes are not written again. The first failure stops it, naming the object.
[[nodiscard]] Result<ExportReport> ExportCase(aws::Client& client, evidence::CaseStore& store,
                                              const BucketRef& ref, const std::string& responder);

}  // namespace cordon::response

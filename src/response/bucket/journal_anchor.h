// Journal anchors: the head of a case's journal (seq, hash, time, responder) written as a write-once
// object in the evidence bucket at the end of each command that changed the case, so a rollback of
// the local journal is detected (DESIGN.md rule 12). Key: PREFIX/CASE/anchors/<seq, 12 digits>-<hash>.json.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "aws/client.h"
#include "base/error.h"
#include "evidence/journal.h"
#include "response/bucket/bucket_ref.h"

namespace cordon::response {

struct Anchor {
  evidence::JournalHead head;
  std::string key;       // the object's key
  bool already = false;  // WriteAnchor: this head was anchored before; nothing was written

  std::string Uri(const BucketRef& ref) const { return "s3://" + ref.bucket + "/" + key; }
};

struct AnchorContent {
  std::string case_id, time, responder;
  std::string database_sha256;  // SHA-256 of case.db as exported with this head
};

std::string AnchorKey(const BucketRef& ref, std::string_view case_id, const evidence::JournalHead& head);

// Writes the anchor of `head` (its JSON: format, case, seq, records, hash, time, responder,
// database_sha256) with its checksum, read back. An anchor already at that key is kept (already).
[[nodiscard]] Result<Anchor> WriteAnchor(aws::Client& client, const BucketRef& ref,
                                         const evidence::JournalHead& head, const AnchorContent& content);

// Every anchor of the case in the bucket, by seq (from the keys; a key that is not an anchor's is
// skipped). Empty when there are none.
[[nodiscard]] Result<std::vector<Anchor>> ListAnchors(aws::Client& client, const BucketRef& ref,
                                                      std::string_view case_id);

}  // namespace cordon::response

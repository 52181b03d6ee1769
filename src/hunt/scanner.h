// The local hunt engine: lists the sources, reads and decompresses each object on a worker, and runs the
// reader for its kind of log.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "hunt/cloudtrail_reader.h"
#include "hunt/results.h"
#include "hunt/selectors.h"
#include "hunt/source.h"

namespace cordon::hunt {

enum class LogKind { kCloudTrail, kFlowLogs, kGuardDuty, kConfig };
std::string_view LogKindName(LogKind kind);

struct SourceSpec {
  LogKind kind;
  std::unique_ptr<Source> source;
};

struct ScanProgress {
  uint64_t objects_done = 0;
  uint64_t objects_total = 0;
  uint64_t bytes_read = 0;
  uint64_t bytes_total = 0;
};

struct ScanOptions {
  // Workers, each scanning one object at a time. 0: one per core.
  int threads = 0;
  // Gzip objects whose decompressed size is over this are streamed (zlib, bounded chunks) instead of
  // decompressed whole: flow logs line by line; JSON logs into a buffer of at most max_json_object bytes.
  size_t whole_object_limit = 256u << 20;
  size_t max_json_object = 1u << 30;
  size_t stream_chunk = 4u << 20;
  CloudTrailOptions cloudtrail;
  // Read only the CloudTrail sources (a rescan for more CloudTrail records, as role_chains.h does).
  bool cloudtrail_only = false;
  // Called now and then from a worker (never concurrently) while the scan runs.
  std::function<void(const ScanProgress&)> progress;
};

// Runs the hunt over every source. Memory stays bounded by threads x (largest object, compressed plus
// decompressed, capped by whole_object_limit) plus the matches. An object that cannot be read or
// decompressed is recorded in HuntResults::skipped and the scan goes on; only a source that cannot be
// listed at all (a missing folder) fails the whole hunt.
Result<HuntResults> RunHunt(const Selectors& selectors, const std::vector<SourceSpec>& sources,
                            const ScanOptions& options);

// Scans one object's stored bytes (compressed or not) as `kind`, into *results. Exposed for tests and
// fuzzers; RunHunt calls it on the workers. Scan() may write up to kReadPadding zero bytes past
// stored->size() (within its capacity, or into a copy); the contents are left as they were, so the caller
// can reuse the string's allocation for the next object.
class ObjectScanner {
 public:
  ObjectScanner(const Selectors& selectors, const ScanOptions& options);
  ~ObjectScanner();
  void Scan(LogKind kind, const std::string& name, std::string* stored, HuntResults* results);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cordon::hunt
